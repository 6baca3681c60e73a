/** Builds the mail one unit receives for one notice: subject, HTML and text, stable ids, threading, calendar entry. */
import type { Notification, NotificationKind, Recipient } from '../../workflows/definitions.ts';
import type { ActionLinks } from './action-links.ts';
import { dueDateEvent, type IcalEvent } from './calendar.ts';
import { names, shortDate } from './format.ts';
import { noticeMessageId, threadRootId } from './message-ids.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { officeOf, officeSignature, type Template } from './templates/common.ts';
import { acknowledgementReminder } from './templates/acknowledgement.ts';
import { assignment, escalation, overdue, reminder } from './templates/deliverable.ts';
import { cancellation, completion, confirmation, extensionDecision, extensionRequest, rejection } from './templates/decisions.ts';
import { milestonesChanged, reopened, unitsChanged } from './templates/changes.ts';
import { reportReminder } from './templates/report-reminder.ts';
import { deliverableStopped, deliveryFailure, digest, finalReport } from './templates/reports.ts';
import { milestoneTemplate, openMilestonesFact } from './templates/milestone.ts';
import { instruction, instructionAnswer } from './templates/instruction.ts';

/** One template per kind; a new kind without a template fails the type check. */
const templates: Record<NotificationKind, Template> = {
  assignment,
  reminder,
  overdue,
  escalation,
  extension_request: extensionRequest,
  extension_decision: extensionDecision,
  confirmation,
  rejection,
  completion,
  cancellation,
  units_changed: unitsChanged,
  milestones_changed: milestonesChanged,
  reopened,
  report_reminder: reportReminder,
  delivery_failure: deliveryFailure,
  acknowledgement_reminder: acknowledgementReminder,
  deliverable_stopped: deliverableStopped,
  digest,
  final_report: finalReport,
  instruction,
  instruction_answer: instructionAnswer,
};

/** How the composer is set up. */
export interface ComposeOptions {
  /** The right-hand side of every Message-ID and calendar UID, e.g. `xinfang.example`. */
  readonly mailDomain: string;
  /** The sender as a calendar organizer (clients want one on a REQUEST). */
  readonly organizer?: { readonly name: string; readonly email: string };
  /** True when the addressee is copied (抄送): no links, marked as a copy. */
  readonly copy?: boolean;
}

/** A mail ready for nodemailer. */
export interface ComposedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: string;
  readonly icalEvent?: IcalEvent;
  /** Extra headers: the notice's key and kind, and the auto-generated marker that keeps auto-replies away. */
  readonly headers: Readonly<Record<string, string>>;
}

function calendarMethod(n: Notification, copy: boolean): 'REQUEST' | 'CANCEL' | undefined {
  if (copy || !n.deliverable) return undefined;
  if (n.kind === 'assignment' || n.kind === 'reopened' || (n.kind === 'extension_decision' && n.context.approved === true)) return 'REQUEST';
  // A cancelled item's deadline should leave the units' calendars too.
  if (n.kind === 'cancellation') return 'CANCEL';
  return undefined;
}

/**
 * Composes the mail `recipient` gets for `notification`. `links` are that unit's signed action links (never given
 * for a copy). The Message-ID is stable per (notice key, unit); every mail of a workflow to a unit threads under the
 * assignment's id.
 */
export function composeMail(notification: Notification, recipient: Recipient, links: ActionLinks | undefined, options: ComposeOptions): ComposedMail {
  const copy = options.copy === true;
  const doc = (milestoneTemplate(notification) ?? templates[notification.kind])({ notification, recipient, copy });
  const subject = copy ? doc.subject.replace(/^【/, '【抄送·') : doc.subject;
  const full = {
    ...doc,
    subject,
    // As on a paper document, a copy is addressed to the units that must act (主送) and marked as a copy (抄送).
    salutation: `${copy ? names(notification.to) : recipient.name}：`,
    facts: [...(doc.facts ?? []), ...openMilestonesFact(notification), ...(notification.cc.length > 0 ? [['抄送', names(notification.cc)] as const] : [])],
    signature: doc.signature ?? officeSignature(notification),
    // A sign-off date carries no weekday, as on a paper document.
    date: shortDate(notification.scheduledFor, notification.timezone),
    // A copy asks nothing of its addressee; only the console page (for the supervisor and leadership) stays.
    links: copy ? (links?.console ? { console: links.console } : undefined) : links,
    linkNotice: `以上链接仅供你单位使用，请勿转发；链接设有有效期，过期后请联系${officeOf(notification).supervisor}。`,
    copyNote: copy ? `抄送${recipient.name}：供知悉，无需办理。` : undefined,
  };

  const root = threadRootId(notification.workflowId, recipient.unitId, options.mailDomain);
  const isRoot = notification.kind === 'assignment';
  const method = calendarMethod(notification, copy);
  return {
    subject,
    html: renderHtml(full),
    text: renderText(full),
    // The assignment opens the thread, so its id is the root every later notice points at.
    messageId: isRoot ? root : noticeMessageId(notification.key, recipient.unitId, options.mailDomain),
    ...(isRoot ? {} : { inReplyTo: root, references: root }),
    ...(method ? { icalEvent: dueDateEvent(notification, recipient, { mailDomain: options.mailDomain, method, organizer: options.organizer }) } : {}),
    headers: {
      'X-Duban-Notice': notification.key,
      'X-Duban-Kind': notification.kind,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
