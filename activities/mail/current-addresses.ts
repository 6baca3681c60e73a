/**
 * Mail goes to the units' addresses as the plan lists them now, not as they stood when a notice's item started: a
 * unit's new mailbox (or name), written into the plan file and applied with `duban plan apply`, reaches the items
 * already running, their reminders, 督办 and copies alike. The plan's current snapshot is the address book; which
 * snapshot is current, the plan workflow says (`planSource`), asked at most once per plan every `ttlMs`. A notice
 * whose plan cannot be asked (not running, started without one, its snapshot not in this worker's folder) keeps the
 * addresses it carries.
 */
import { Context } from '@temporalio/activity';
import type { Plan } from '../../config/plan-schema.ts';
import { planSourceQuery, planWorkflowId, type Notification, type Recipient } from '../../workflows/definitions.ts';
import type { NotificationSink } from '../notification-sink.ts';

/** A plan's units by id, as its current snapshot lists them. */
export type AddressBook = ReadonlyMap<string, { readonly name: string; readonly emails: readonly string[] }>;

/** How long a plan's book is used before the plan is asked again: an applied change reaches mail within it. */
export const addressBookTtlMs = 60_000;

/** How long a plan is waited on for its answer: a busy plan must not hold up its items' mail. */
export const addressBookPatienceMs = 5_000;

/** The current address book of a plan, or undefined when it cannot be known here. */
export type AddressBookOf = (planId: string) => Promise<AddressBook | undefined>;

/**
 * Books read through `readPlan` from the snapshot the plan workflow names; asked from inside an activity (its client
 * asks the plan). Lookups of the same plan at one time share one question; a failed one, or one the plan leaves
 * unanswered for `patienceMs`, is remembered as "unknown" for `ttlMs` too, so a plan that is not running (or is
 * stuck) costs no question per notice and holds up no mail.
 */
export function createAddressBooks({ readPlan, ttlMs = addressBookTtlMs, patienceMs = addressBookPatienceMs, now = Date.now }: {
  readPlan: (ref: string) => Promise<Plan>; ttlMs?: number; patienceMs?: number; now?: () => number;
}): AddressBookOf {
  const books = new Map<string, { readonly at: number; readonly book: Promise<AddressBook | undefined> }>();
  const ask = async (planId: string): Promise<AddressBook | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const asked = Context.current().client.workflow.getHandle(planWorkflowId(planId)).query(planSourceQuery);
      asked.catch(() => undefined);
      const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, patienceMs, undefined)));
      const source = await Promise.race([asked, gaveUp]);
      if (!source) return undefined;
      const plan = await readPlan(source.planRef);
      return new Map(plan.units.map((u) => [u.id, { name: u.name, emails: u.emails }]));
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  return (planId) => {
    const kept = books.get(planId);
    if (kept && now() - kept.at < ttlMs) return kept.book;
    const book = ask(planId);
    books.set(planId, { at: now(), book });
    return book;
  };
}

/** `sink` with every notice's recipients (and the units it names) at their plan's current addresses. */
export function withCurrentAddresses(sink: NotificationSink, bookOf: AddressBookOf): NotificationSink {
  const addressed = async (notification: Notification): Promise<Notification> => {
    const book = await bookOf(notification.planId);
    return book ? readdressed(notification, book) : notification;
  };
  const { deliverAssignments } = sink;
  return {
    deliver: async (notification) => sink.deliver(await addressed(notification)),
    ...(deliverAssignments && {
      deliverAssignments: async (unit, notices, batchKey) => {
        const book = notices[0] && (await bookOf(notices[0].planId));
        return deliverAssignments.call(sink, book ? current(unit, book) : unit, book ? notices.map((n) => readdressed(n, book)) : notices, batchKey);
      },
    }),
  };
}

/** The notice with each recipient and named unit as `book` lists it (units it does not list, as they were). */
export function readdressed(notification: Notification, book: AddressBook): Notification {
  const { deliverable } = notification;
  return {
    ...notification,
    to: notification.to.map((r) => current(r, book)),
    cc: notification.cc.map((r) => current(r, book)),
    ...(deliverable ? { deliverable: { ...deliverable, units: deliverable.units.map((r) => current(r, book)) } } : {}),
  };
}

function current(recipient: Recipient, book: AddressBook): Recipient {
  const listed = book.get(recipient.unitId);
  if (!listed || (listed.name === recipient.name && listed.emails.join() === recipient.emails.join())) return recipient;
  return { ...recipient, name: listed.name, emails: [...listed.emails] };
}
