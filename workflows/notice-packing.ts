/**
 * How an item in rounds keeps its next notices in its memo (`workflows/notice-rounds.ts`). The notices of one instant
 * repeat the item's facts in each (its units with their e-mails, its milestones, the office) and often address every
 * unit: an item sent to 100 counties published 66 KB for 3 notices, written to its history at every publication and
 * read by every round. Packed, each recipient is written once and each field the notices share once (15 KB).
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
  const interned: Interned[] = notices.map((notice) => ({
    ...notice,
    to: notice.to.map(place),
    cc: notice.cc.map(place),
    ...(notice.deliverable && { deliverable: { ...notice.deliverable, units: notice.deliverable.units.map(place) } }),
  }));
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
  const recipient = (place: number) => recipients[place]!;
  return {
    at,
    notices: notices.map((own) => {
      const notice = { ...shared, ...own } as Interned & { to: number[]; cc: number[] };
      const deliverable = notice.deliverable as (Record<string, unknown> & { units: number[] }) | undefined;
      return {
        ...notice,
        to: notice.to.map(recipient),
        cc: notice.cc.map(recipient),
        ...(deliverable && { deliverable: { ...deliverable, units: deliverable.units.map(recipient) } }),
      } as unknown as Notification;
    }),
  };
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
