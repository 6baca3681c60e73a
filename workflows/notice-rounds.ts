/**
 * An item's side of its plan's notice rounds: it publishes its next send-hour notices ahead (the instant as a search
 * attribute, the notices themselves in its memo), so the plan's round at that slot mails them with every other item's
 * in one pass, and the item need not wake at the slot (`activities/notice-round.ts` reads what is published here).
 */
import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { noticesDueMemoKey, type Notification, type NoticesDue } from './definitions.ts';
import type { DeliverableMachine, DueNotice } from './deliverable-machine.ts';
import { noticeSlotAttribute, noticeSlotOf } from './search-attributes.ts';

/** What an item in rounds publishes at `now`: its next notices while their instant is still ahead. */
export function noticesAhead(machine: Pick<DeliverableMachine, 'preview'>, upcoming: readonly DueNotice[], now: number): NoticesDue | undefined {
  const at = upcoming[0]?.at;
  return at !== undefined && at > now ? { at, notices: machine.preview(upcoming) } : undefined;
}

/**
 * Publishes an item's next notices, changing its search attribute and memo only when they change. `inherited` is what
 * the run found in its memo: a run continued-as-new keeps its predecessor's, which must be withdrawn if it no longer holds.
 */
export function createNoticePublisher(inherited: NoticesDue | undefined) {
  let published = inherited && { ...inherited, json: JSON.stringify(inherited.notices) };
  return {
    /** The notices published now, if any: what the round at their instant mails. */
    get due(): NoticesDue | undefined {
      return published && { at: published.at, notices: published.notices };
    },
    /** Makes `due` what the round at `due.at` will find; `undefined` withdraws whatever was published. */
    publish(due: NoticesDue | undefined): void {
      if (due === undefined) {
        if (published === undefined) return;
        published = undefined;
        upsertSearchAttributes([{ key: noticeSlotAttribute, value: null }]);
        upsertMemo({ [noticesDueMemoKey]: undefined });
        return;
      }
      const json = JSON.stringify(due.notices);
      if (published?.at === due.at && published.json === json) return;
      if (published?.at !== due.at) upsertSearchAttributes([{ key: noticeSlotAttribute, value: noticeSlotOf(due.at) }]);
      published = { ...due, json };
      upsertMemo({ [noticesDueMemoKey]: due satisfies { at: number; notices: readonly Notification[] } });
    },
  };
}
