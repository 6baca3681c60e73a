/** The `.ics` entry for a due date: one all-day event per (deliverable, unit) that a new due date replaces. */
import { createEvent, createEvents, type EventAttributes } from 'ics';
import type { Notification, Recipient } from '../../workflows/definitions.ts';
import { keySequence, slug } from './message-ids.ts';

/** What nodemailer's `icalEvent` takes. */
export interface IcalEvent {
  readonly filename: string;
  readonly method: 'REQUEST' | 'CANCEL';
  readonly content: string;
}

/** The event's UID: stable per (workflow, unit), so calendars update the one entry instead of adding another. */
export function dueEventUid(workflowId: string, unitId: string, mailDomain: string): string {
  return `${slug(workflowId)}.${slug(unitId)}.due@${mailDomain}`;
}

/**
 * An all-day VEVENT on the deliverable's due date, or its cancellation. SEQUENCE comes from the notice key, which
 * only grows, so a later notice (a new due date, a cancellation) wins over the entry a calendar already holds.
 */
export function dueDateEvent(
  notification: Notification,
  recipient: Recipient,
  options: { mailDomain: string; method: 'REQUEST' | 'CANCEL'; organizer?: { name: string; email: string } },
): IcalEvent {
  const { error, value } = createEvent(dueEventAttributes(notification, recipient, options));
  if (error || !value) throw new Error(`could not build the calendar entry of ${notification.key}: ${error?.message ?? 'empty'}`);
  return { filename: options.method === 'CANCEL' ? 'cancel.ics' : 'due.ics', method: options.method, content: value };
}

/** One calendar with a due-date event per notice (a combined 交办通知): each keeps the UID its single notice would have. */
export function dueDateEvents(
  notifications: readonly Notification[],
  recipient: Recipient,
  options: { mailDomain: string; organizer?: { name: string; email: string } },
): IcalEvent {
  const events = notifications.map((n) => dueEventAttributes(n, recipient, { ...options, method: 'REQUEST' }));
  const { error, value } = createEvents(events, { method: 'REQUEST', productId: '-//duban//督办//ZH' });
  if (error || !value) throw new Error(`could not build the calendar of ${notifications.length} items: ${error?.message ?? 'empty'}`);
  return { filename: 'due.ics', method: 'REQUEST', content: value };
}

/** The event of one notice's due date, with DTSTAMP set from the notice's own time. */
function dueEventAttributes(
  notification: Notification,
  recipient: Recipient,
  options: { mailDomain: string; method: 'REQUEST' | 'CANCEL'; organizer?: { name: string; email: string } },
): EventAttributes {
  const deliverable = notification.deliverable;
  if (!deliverable) throw new Error(`notice ${notification.key} has no deliverable to put in a calendar`);
  const [year, month, day] = deliverable.due.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year, month - 1, day + 1));
  const attributes: EventAttributes = {
    uid: dueEventUid(notification.workflowId, recipient.unitId, options.mailDomain),
    sequence: keySequence(notification.key),
    method: options.method,
    productId: '-//duban//督办//ZH',
    title: `【办理期限】${deliverable.title}`,
    description: `督办事项第${deliverable.number}项“${deliverable.title}”办理期限。`,
    start: [year, month, day],
    end: [end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate()],
    status: options.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    // A deadline is not a meeting: it should not block the unit's free/busy time.
    transp: 'TRANSPARENT',
    busyStatus: 'FREE',
    ...(options.organizer ? { organizer: { ...options.organizer, name: quotedParamText(options.organizer.name) } } : {}),
    attendees: recipient.emails.map((email) => ({ name: quotedParamText(recipient.name), email, rsvp: false, role: 'REQ-PARTICIPANT' as const })),
  };
  // DTSTAMP from the notice's own time (the library otherwise stamps "now"), so a retried send is byte-identical.
  return { ...attributes, timestamp: Date.parse(notification.scheduledFor) } as EventAttributes;
}

/**
 * A name made safe for a quoted parameter value (`CN="…"`). RFC 5545 allows no DQUOTE and no control character
 * there, and has no escape for them (the library's `\"` is not one): a `"` becomes `'`, control characters
 * (line breaks included) become spaces. `;`, `,` and `:` are allowed inside the quotes and stay.
 */
export function quotedParamText(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replaceAll('"', "'").replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
