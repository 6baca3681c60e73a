/** Builds the one mail a unit gets for several 交办通知 at once: every item with its own links, one calendar. */
import type { Notification, Recipient } from '../../workflows/definitions.ts';
import type { ActionLinks } from './action-links.ts';
import { dueDateEvents } from './calendar.ts';
import type { ComposedMail } from './compose.ts';
import { shortDate } from './format.ts';
import { slug } from './message-ids.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { officeOf, officeSignature } from './templates/common.ts';
import { assignmentList, inListOrder } from './templates/assignment-list.ts';

/** How the list composer is set up. */
export interface ListComposeOptions {
  readonly mailDomain: string;
  readonly organizer?: { readonly name: string; readonly email: string };
  /** Names the batch: the same batch always gets the same Message-ID, so a retried send is recognisable. */
  readonly batchKey: string;
}

/** `<batch.unit.assignments@domain>`: stable per (batch, unit). */
export function assignmentListMessageId(batchKey: string, unitId: string, mailDomain: string): string {
  return `<${slug(batchKey)}.${slug(unitId)}.assignments@${mailDomain}>`;
}

/**
 * Composes the combined 交办通知 `recipient` gets for `notices`; `links[i]` are its signed links for `notices[i]`.
 * The calendar holds one event per item under the UID its single notice would use, so later changes update it.
 */
export function composeAssignmentList(notices: readonly Notification[], recipient: Recipient, links: readonly (ActionLinks | undefined)[], options: ListComposeOptions): ComposedMail {
  if (notices.length === 0) throw new Error('an assignment list needs at least one notice');
  const first = notices[0]!;
  const linksByKey = new Map(notices.map((n, i) => [n.key, links[i]]));
  // The same order as the template's items, so each item gets its own notice's links (a task item and an annex item
  // can share a number).
  const ordered = inListOrder(notices);
  const doc = assignmentList(ordered, recipient);
  const full = {
    ...doc,
    salutation: `${recipient.name}：`,
    items: doc.items.map((item, i) => ({ ...item, links: linksByKey.get(ordered[i]!.key) })),
    signature: officeSignature(first),
    date: shortDate(first.scheduledFor, first.timezone),
    linkNotice: `以上链接仅供你单位使用，请勿转发；链接设有有效期，过期后请联系${officeOf(first).supervisor}。`,
  };
  return {
    subject: doc.subject,
    html: renderHtml(full),
    text: renderText(full),
    messageId: assignmentListMessageId(options.batchKey, recipient.unitId, options.mailDomain),
    icalEvent: dueDateEvents(ordered, recipient, { mailDomain: options.mailDomain, organizer: options.organizer }),
    headers: {
      'X-Duban-Notice': ordered.map((n) => n.key).join(' '),
      'X-Duban-Kind': 'assignment',
      'Auto-Submitted': 'auto-generated',
    },
  };
}
