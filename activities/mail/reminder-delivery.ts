/**
 * Delivers 提醒/催办, 超期通知 and 完成确认 through the coalescer: each unit-mail of a notice waits for the others of its
 * unit, kind and instant, and the group goes out as one mail (a group of one as the notice's own mail). 完成确认 share
 * an instant when a plan's round mails them (`confirmationsInRounds`); one sent at once has an instant of its own.
 */
import type { Notification } from '../../workflows/definitions.ts';
import { BoundedSet } from './bounded-set.ts';
import { createCoalescer, type CoalescingOptions } from './reminder-coalescer.ts';
import type { ListedKind } from './templates/reminder-list.ts';
import { deliveriesOf, type Delivery, type Failures } from './unit-deliveries.ts';

/** How the sink mails a group: alone as today's mail, or several as one list; each true once the server took it. */
export interface ReminderDeliveryDeps {
  readonly coalescing?: CoalescingOptions;
  /** How many (notice, unit) pairs to remember as sent, so a retried notice skips units already served. */
  readonly rememberSent: number;
  mailSingle(notice: Notification, delivery: Delivery, failures: Failures): Promise<boolean>;
  mailList(kind: ListedKind, notices: readonly Notification[], delivery: Delivery, failures: Failures): Promise<boolean>;
}

/** One unit-mail of one notice, waiting in its group. */
interface UnitNotice {
  readonly notice: Notification;
  readonly delivery: Delivery;
}

/** The notices combined: every item has a deliverable for its heading, and an instant to group by. */
function isListed(n: Notification): n is Notification & { kind: ListedKind } {
  return (n.kind === 'reminder' || n.kind === 'overdue' || n.kind === 'confirmation') && n.deliverable !== undefined && Number.isFinite(Date.parse(n.scheduledFor));
}

/**
 * The group a unit-mail waits in. Beyond (unit, kind, copy, instant): the plan, since unit ids are a plan's own and
 * the office signing differs; and the unit's addresses, so a list goes exactly where each of its notices would.
 */
function groupKeyOf(n: Notification, { recipient, copy }: Delivery): string {
  return JSON.stringify([n.planId, n.kind, recipient.unitId, recipient.emails, copy, Date.parse(n.scheduledFor)]);
}

const sentKey = (noticeKey: string, unitId: string) => `${noticeKey}\n${unitId}`;

/** Combined delivery for the kinds {@link handles} accepts; `deliver` answers the notice's failures once all its units settled. */
export function createReminderDelivery(deps: ReminderDeliveryDeps) {
  const sent = new BoundedSet(deps.rememberSent);

  const sendGroup = async (items: readonly UnitNotice[]): Promise<Failures> => {
    const failures: Failures = { permanent: [], transient: [] };
    const delivery = items[0]!.delivery;
    // A notice retried while its first attempt still waits is in the group twice; it is listed once.
    const notices = [...new Map(items.map(({ notice }) => [notice.key, notice])).values()];
    const first = notices[0]! as Notification & { kind: ListedKind };
    const taken = notices.length === 1 ? await deps.mailSingle(first, delivery, failures) : await deps.mailList(first.kind, notices, delivery, failures);
    if (taken) for (const n of notices) sent.add(sentKey(n.key, delivery.recipient.unitId));
    return failures;
  };
  const coalescer = createCoalescer(sendGroup, deps.coalescing);

  return {
    /** Whether `deliver` takes this notice; every other goes out on its own as before. */
    handles: isListed,
    async deliver(notice: Notification): Promise<Failures> {
      const waiting = deliveriesOf(notice)
        .filter((d) => !sent.has(sentKey(notice.key, d.recipient.unitId)))
        .map((d) => coalescer.add(groupKeyOf(notice, d), { notice, delivery: d }));
      // Every unit-mail is settled before the notice is: none of them is left running behind a failed attempt.
      const outcomes = await Promise.allSettled(waiting);
      const thrown = outcomes.find((o) => o.status === 'rejected');
      if (thrown) throw thrown.reason;
      const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      return { permanent: done.flatMap((f) => f.permanent), transient: done.flatMap((f) => f.transient) };
    },
  };
}
