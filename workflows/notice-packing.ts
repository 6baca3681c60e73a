/**
 * How an item in rounds keeps its next notices in its memo (`workflows/notice-rounds.ts`). The notices of one instant
 * repeat the item's facts in each (its units with their e-mails, its milestones, the office) and often address every
 * unit: an item sent to 100 counties published 66 KB for 3 notices, written to its history at every publication and
 * read by every round. Packed, each recipient is written once and each field the notices share once (15 KB). A notice
 * an item mails itself goes to the mail activity packed the same way ({@link packNotice}).
 */
import { noticesDueMemoKey, type Notification, type NoticesDue, type Recipient } from './definitions.ts';

/** {@link NoticesDue} as the memo holds it: recipients by their place in `recipients`, shared fields in `shared`. */
export interface PackedNoticesDue {
  readonly at: number;
  readonly recipients: readonly Recipient[];
  readonly shared: Readonly<Record<string, unknown>>;
  readonly notices: readonly Readonly<Record<string, unknown>>[];
}

type Interned = Record<string, unknown> & { deliverable?: Record<string, unknown> };

/** The memo entry to publish `due` under {@link noticesDueMemoKey}. */
export function noticesMemo(due: NoticesDue): Record<string, unknown> {
  return { [noticesDueMemoKey]: packNotices(due) };
}

/** The notices a memo publishes, packed or as items published them before packing; `undefined` when it has none. */
export function publishedNotices(memo: Record<string, unknown> | undefined): NoticesDue | undefined {
  const value = memo?.[noticesDueMemoKey] as NoticesDue | PackedNoticesDue | undefined;
  if (value === undefined || value === null) return undefined;
  return 'recipients' in value ? unpackNotices(value) : value;
}

/** `due` packed: its recipients numbered in the order met, the fields every notice has alike kept once. */
export function packNotices({ at, notices }: NoticesDue): PackedNoticesDue {
  const { recipients, place } = recipientPlaces();
  const interned = notices.map((notice) => internedNotice(notice, place));
  const shared: Record<string, unknown> = {};
  const [first, ...rest] = interned;
  for (const [field, value] of Object.entries(first ?? {})) {
    const json = JSON.stringify(value);
    if (rest.every((notice) => field in notice && JSON.stringify(notice[field]) === json)) shared[field] = value;
  }
  const own = interned.map((notice) => Object.fromEntries(Object.entries(notice).filter(([field]) => !(field in shared))));
  return { at, recipients, shared, notices: own };
}

/** The notices as published: each notice's own fields over the shared ones, every recipient in place of its number. */
export function unpackNotices({ at, recipients, shared, notices }: PackedNoticesDue): NoticesDue {
  return { at, notices: notices.map((own) => restoredNotice({ ...shared, ...own }, recipients)) };
}

/**
 * One notice as an item hands it to its mail activity: each recipient written once. A notice to an item's units
 * names them twice (its addressees and the item's units): sent to 100 counties, ~10 KB more in the item's history
 * for every reminder.
 */
export interface PackedNotice {
  readonly recipients: readonly Recipient[];
  readonly notice: Readonly<Record<string, unknown>>;
}

/** `notice` with its recipients numbered, for {@link deliveredNotice} to restore. */
export function packNotice(notice: Notification): PackedNotice {
  const { recipients, place } = recipientPlaces();
  return { recipients, notice: internedNotice(notice, place) };
}

/** The notice a mail activity was given: packed, or whole as items scheduled it before packing. */
export function deliveredNotice(given: Notification | PackedNotice): Notification {
  return 'recipients' in given ? restoredNotice(given.notice, given.recipients) : given;
}

/** Recipients numbered in the order met, each distinct one (by its fields) once. */
function recipientPlaces(): { recipients: Recipient[]; place: (recipient: Recipient) => number } {
  const recipients: Recipient[] = [];
  const places = new Map<string, number>();
  const place = (recipient: Recipient) => {
    const key = JSON.stringify(recipient);
    let found = places.get(key);
    if (found === undefined) {
      found = recipients.push(recipient) - 1;
      places.set(key, found);
    }
    return found;
  };
  return { recipients, place };
}

/** `notice` with every recipient (addressees, copies, the item's units) replaced by its number. */
function internedNotice(notice: Notification, place: (recipient: Recipient) => number): Interned {
  return {
    ...notice,
    to: notice.to.map(place),
    cc: notice.cc.map(place),
    ...(notice.deliverable && { deliverable: { ...notice.deliverable, units: notice.deliverable.units.map(place) } }),
  };
}

/** {@link internedNotice} undone: every number back to its recipient. */
function restoredNotice(interned: Readonly<Record<string, unknown>>, recipients: readonly Recipient[]): Notification {
  const recipient = (place: number) => recipients[place]!;
  const notice = interned as Interned & { to: number[]; cc: number[] };
  const deliverable = notice.deliverable as (Record<string, unknown> & { units: number[] }) | undefined;
  return {
    ...notice,
    to: notice.to.map(recipient),
    cc: notice.cc.map(recipient),
    ...(deliverable && { deliverable: { ...deliverable, units: deliverable.units.map(recipient) } }),
  } as unknown as Notification;
}

/**
 * The notices as one string that is the same for the same notices whatever their fields' order: a publication read
 * back from the memo is unpacked with its shared fields first, and must still count as what is published.
 */
export function noticesKey(notices: readonly Notification[]): string {
  return JSON.stringify(notices, (_field, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value);
}
