/** Builds the one mail a unit gets for several 提醒/催办 or 超期通知 due at one instant: every item with its own links. */
import { createHash } from 'node:crypto';
import type { Notification, Recipient } from '../../workflows/definitions.ts';
import type { ActionLinks } from './action-links.ts';
import type { ComposedMail } from './compose.ts';
import { shortDate } from './format.ts';
import { slug } from './message-ids.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { officeOf, officeSignature } from './templates/common.ts';
import { inListOrder } from './templates/assignment-list.ts';
import { reminderList, type ListedKind } from './templates/reminder-list.ts';

/** How the list composer is set up. */
export interface ReminderListOptions {
  readonly mailDomain: string;
  /** True when the addressee is copied (抄送) on every notice of the list: no signed links, marked as a copy. */
  readonly copy?: boolean;
}

/**
 * `<reminder.list.HASH.unit@domain>`: the same set of notices to the same unit always gets the same id, whatever order
 * they arrived in, so a retried send of the same group is recognisable.
 */
export function reminderListMessageId(kind: ListedKind, keys: readonly string[], unitId: string, mailDomain: string): string {
  const hash = createHash('sha256').update([...keys].sort().join('\n')).digest('hex').slice(0, 24);
  return `<${slug(kind)}.list.${hash}.${slug(unitId)}@${mailDomain}>`;
}

/**
 * Composes the combined notice `recipient` gets for `notices` (all of `kind`, one plan, one instant); `links[i]` are
 * its signed links for `notices[i]`. No calendar: the single 提醒 and 超期通知 carry none either (the due date already
 * sits in the unit's calendar from the 交办通知, and a reminder should not re-send it as an invitation).
 */
export function composeReminderList(kind: ListedKind, notices: readonly Notification[], recipient: Recipient, links: readonly (ActionLinks | undefined)[], options: ReminderListOptions): ComposedMail {
  if (notices.length === 0) throw new Error('a reminder list needs at least one notice');
  const copy = options.copy === true;
  const first = notices[0]!;
  const linksByKey = new Map(notices.map((n, i) => [n.key, links[i]]));
  // The template's item order, so each item gets its own notice's links (a task item and an annex item can share a number).
  const ordered = inListOrder(notices);
  const doc = reminderList(kind, ordered, recipient, copy);
  // As on a single copy, the copied office keeps only the console page of each item.
  const itemLinks = (n: Notification) => {
    const own = linksByKey.get(n.key);
    return copy ? (own?.console ? { console: own.console } : undefined) : own;
  };
  const full = {
    ...doc,
    salutation: `${recipient.name}：`,
    items: doc.items.map((item, i) => ({ ...item, links: itemLinks(ordered[i]!) })),
    signature: doc.signature ?? officeSignature(first),
    date: shortDate(first.scheduledFor, first.timezone),
    linkNotice: `以上链接仅供你单位使用，请勿转发；链接设有有效期，过期后请联系${officeOf(first).supervisor}。`,
    // Each item's facts name its responsible units, so the note does not list them again.
    copyNote: copy ? `抄送${recipient.name}：供知悉，无需办理。` : undefined,
  };
  return {
    subject: doc.subject,
    html: renderHtml(full),
    text: renderText(full),
    messageId: reminderListMessageId(kind, ordered.map((n) => n.key), recipient.unitId, options.mailDomain),
    headers: {
      'X-Duban-Notice': ordered.map((n) => n.key).join(' '),
      'X-Duban-Kind': kind,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
