/**
 * An item's side of its plan's notice rounds: it publishes its next send-hour notices ahead (the instant as a search
 * attribute, the notices themselves in its memo), so the plan's round at that slot mails them with every other item's
 * in one pass, and the item need not wake at the slot (`activities/notice-round.ts` reads what is published here).
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { noticeRoundGraceMs, noticesDueMemoKey, type Notification, type NoticesDelivered, type NoticesDue } from './definitions.ts';
import type { DeliverableMachine, DueNotice } from './deliverable-machine.ts';
import { noticesKey, noticesMemo, publishedNotices } from './notice-packing.ts';
import { noticeSlotAttribute, noticeSlotOf } from './search-attributes.ts';

/** What an item in rounds publishes at `now`: its next notices while their instant is still ahead. */
export function noticesAhead(machine: Pick<DeliverableMachine, 'preview'>, upcoming: readonly DueNotice[], now: number): NoticesDue | undefined {
  const at = upcoming[0]?.at;
  return at !== undefined && at > now ? { at, notices: machine.preview(upcoming) } : undefined;
}

/**
 * What a run found published by its predecessor (a run continued-as-new keeps its memo and attributes) or its starter:
 * the memo's notices, if the slot attribute still names their instant. Since items withdraw by the attribute alone
 * (`stage`), a memo without its slot is a withdrawn publication.
 */
export function inheritedPublication(memo: Record<string, unknown> | undefined, slot: string | undefined): NoticesDue | undefined {
  const due = publishedNotices(memo);
  return due && slot === noticeSlotOf(due.at) ? due : undefined;
}

/**
 * Publishes an item's next notices, changing its search attribute and memo only when they change. `inherited` is what
 * the run found published: it must be withdrawn if it no longer holds.
 */
export function createNoticePublisher(inherited: NoticesDue | undefined) {
  let published = inherited && { ...inherited, json: noticesKey(inherited.notices) };
  /** `due` with its notices' key to publish, or `undefined` when it is what is published already. */
  const changedTo = (due: NoticesDue) => {
    const json = noticesKey(due.notices);
    return published?.at === due.at && published.json === json ? undefined : { ...due, json };
  };
  const writeMemo = (due: NoticesDue) => upsertMemo(noticesMemo(due));
  return {
    /** The notices published now, if any: what the round at their instant mails. */
    get due(): NoticesDue | undefined {
      return published && { at: published.at, notices: published.notices };
    },
    /**
     * Makes `due` what the round at `due.at` will find, its memo written now and its slot attribute left to the
     * caller's next upsert ({@link slotAttribute}), beside the item's state: one upsert for both. `undefined`
     * withdraws by the attribute alone: a round lists items by their slot, so it never reads a memo left behind.
     */
    stage(due: NoticesDue | undefined): void {
      if (due === undefined) {
        published = undefined;
        return;
      }
      const next = changedTo(due);
      if (next === undefined) return;
      published = next;
      writeMemo(due);
    },
    /** The slot attribute as staged (`null` removes it): for the item's next upsert. */
    get slotAttribute(): SearchAttributeUpdatePair {
      return { key: noticeSlotAttribute, value: published ? noticeSlotOf(published.at) : null };
    },
    /**
     * As runs before one upsert per change published (their histories say so): the attribute and the memo at once,
     * each in an upsert of its own, a withdrawal clearing both.
     */
    publish(due: NoticesDue | undefined): void {
      if (due === undefined) {
        if (published === undefined) return;
        published = undefined;
        upsertSearchAttributes([{ key: noticeSlotAttribute, value: null }]);
        upsertMemo({ [noticesDueMemoKey]: undefined });
        return;
      }
      const next = changedTo(due);
      if (next === undefined) return;
      if (published?.at !== due.at) upsertSearchAttributes([{ key: noticeSlotAttribute, value: noticeSlotOf(due.at) }]);
      published = next;
      writeMemo(due);
    },
  };
}

/** What an item's round state works on: its machine, what it published, and how its workflow sends and records. */
interface ItemRoundParts {
  readonly machine: Pick<DeliverableMachine, 'upcoming' | 'fire' | 'deliveryFailed'>;
  readonly published: () => NoticesDue | undefined;
  readonly send: (notices: readonly Notification[]) => void;
  readonly changed: () => void;
  readonly planNow: () => number;
}

/** An item's round: the notices of an instant that has come, fired and awaiting the round's report. */
export function createItemRound({ machine, published, send, changed, planNow }: ItemRoundParts) {
  // The last report of the plan's round, and the notices fired here awaiting a report (or, after the grace, mailed from here).
  let report: NoticesDelivered | undefined;
  let pending: NoticesDue | undefined;
  // Only from its instant on: a report cannot come earlier, and one that did would wake the loop again and again.
  const reported = (at: number | undefined) => at !== undefined && at <= planNow() && report?.at === at;
  return {
    get pending(): NoticesDue | undefined {
      return pending;
    },
    /** The round's report (`noticesDelivered`): the notices of its instant are out. */
    heard(delivered: NoticesDelivered): void {
      report = delivered;
    },
    /** Whether the round reported the notices of `at`. */
    reported,
    /**
     * Once the instant of published notices has come they are that instant's, whatever happens after it (the round
     * may be mailing them): they are fired on the state they were published from, before any later action applies,
     * so the log lists what was mailed and an action's own notice takes the next key, not one the round used. A
     * publication the schedule has passed (a continued-as-new run's memo) is not fired again.
     */
    fire(now: number): void {
      const due = published();
      if (due === undefined || due.at > now || pending?.at === due.at) return;
      const upcoming = machine.upcoming(now);
      if (upcoming[0]?.at !== due.at) return;
      machine.fire(upcoming);
      pending = due;
      changed();
    },
    /** The round's report settles its notices (its permanent failures recorded as ours); without one, after the grace, they are mailed from here. */
    settle(now: number, graceOver = pending !== undefined && now >= pending.at + noticeRoundGraceMs): void {
      if (pending === undefined) return;
      if (reported(pending.at)) {
        for (const failure of report!.failures) send(machine.deliveryFailed(failure, failure.error, now));
        if (report!.failures.length > 0) changed();
      } else if (graceOver) {
        // The same notices and keys as the round's: a round that mailed some and then failed is not mailed twice.
        send(pending.notices);
      } else {
        return;
      }
      pending = undefined;
    },
  };
}
