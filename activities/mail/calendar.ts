/** The `.ics` entry for a due date: one all-day event per (deliverable, unit) that a new due date replaces. */
import type { Notification, Recipient } from '../../workflows/definitions.ts';
import { isMailbox } from './addresses.ts';
import { keySequence, slug } from './message-ids.ts';

/** What nodemailer's `icalEvent` takes. */
export interface IcalEvent {
  readonly filename: string;
  readonly method: 'REQUEST' | 'CANCEL';
  readonly content: string;
}

type Organizer = { name: string; email: string };

const productId = '-//duban//督办//ZH';

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
  options: { mailDomain: string; method: 'REQUEST' | 'CANCEL'; organizer?: Organizer },
): IcalEvent {
  const content = calendar(options.method, [dueEventLines(notification, recipient, options)]);
  return { filename: options.method === 'CANCEL' ? 'cancel.ics' : 'due.ics', method: options.method, content };
}

/** One calendar with a due-date event per notice (a combined 交办通知): each keeps the UID its single notice would have. */
export function dueDateEvents(
  notifications: readonly Notification[],
  recipient: Recipient,
  options: { mailDomain: string; organizer?: Organizer },
): IcalEvent {
  const events = notifications.map((n) => dueEventLines(n, recipient, { ...options, method: 'REQUEST' }));
  return { filename: 'due.ics', method: 'REQUEST', content: calendar('REQUEST', events) };
}

/**
 * Written directly rather than through a library: the `ics` package validated every event with `yup` (~1–3 ms each),
 * which at a 10,000-item plan's start was most of a combined 交办通知's cost, for content that is fixed here.
 */
function calendar(method: 'REQUEST' | 'CANCEL', events: readonly string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'CALSCALE:GREGORIAN', `PRODID:${productId}`, `METHOD:${method}`, 'X-PUBLISHED-TTL:PT1H', ...events.flat(), 'END:VCALENDAR'];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** The content lines of one notice's due-date event, with DTSTAMP from the notice's own time (a retried send is byte-identical). */
function dueEventLines(
  notification: Notification,
  recipient: Recipient,
  options: { mailDomain: string; method: 'REQUEST' | 'CANCEL'; organizer?: Organizer },
): string[] {
  const deliverable = notification.deliverable;
  if (!deliverable) throw new Error(`notice ${notification.key} has no deliverable to put in a calendar`);
  const [year, month, day] = deliverable.due.split('-').map(Number) as [number, number, number];
  if (!(year > 0 && month > 0 && day > 0)) throw new Error(`notice ${notification.key} has no valid due date: "${deliverable.due}"`);
  const stamp = new Date(Date.parse(notification.scheduledFor));
  if (Number.isNaN(stamp.getTime())) throw new Error(`notice ${notification.key} has no valid time: "${notification.scheduledFor}"`);
  const { organizer } = options;
  return [
    'BEGIN:VEVENT',
    `UID:${dueEventUid(notification.workflowId, recipient.unitId, options.mailDomain)}`,
    `SUMMARY:${text(`【办理期限】${deliverable.title}`)}`,
    `DTSTAMP:${stamp.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`,
    `DTSTART;VALUE=DATE:${dateValue(new Date(Date.UTC(year, month - 1, day)))}`,
    `DTEND;VALUE=DATE:${dateValue(new Date(Date.UTC(year, month - 1, day + 1)))}`,
    `SEQUENCE:${keySequence(notification.key)}`,
    `DESCRIPTION:${text(`督办事项第${deliverable.number}项“${deliverable.title}”办理期限。`)}`,
    `STATUS:${options.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    ...(organizer && isMailbox(organizer.email) ? [`ORGANIZER;CN="${quotedParamText(organizer.name)}":mailto:${organizer.email}`] : []),
    // A deadline is not a meeting: it should not block the unit's free/busy time.
    'X-MICROSOFT-CDO-BUSYSTATUS:FREE',
    'TRANSP:TRANSPARENT',
    // Only well-formed mailboxes: an address the sink will not mail is no attendee (and could carry a line break).
    ...recipient.emails.filter(isMailbox).map((email) => `ATTENDEE;RSVP=FALSE;ROLE=REQ-PARTICIPANT;CN="${quotedParamText(recipient.name)}":mailto:${email}`),
    'END:VEVENT',
  ];
}

/** `YYYYMMDD` of a UTC date. */
function dateValue(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, `;` and `,` escaped, line breaks as `\n`, other control characters dropped. */
function text(value: string): string {
  return value
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character; continuations start with a space. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first line holds 75 octets, each continuation 74 after its leading space.
  let room = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > room) {
      parts.push(current);
      current = '';
      octets = 0;
      room = 74;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * A name made safe for a quoted parameter value (`CN="…"`). RFC 5545 allows no DQUOTE and no control character
 * there, and has no escape for them: a `"` becomes `'`, control characters (line breaks included) become spaces.
 * `;`, `,` and `:` are allowed inside the quotes and stay.
 */
export function quotedParamText(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replaceAll('"', "'").replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
