/** Builds the signed links a unit gets in a notice: which actions, which URLs, how long they stay valid. */
import { DateTime } from 'luxon';
import { rememberingZone } from '../../domain/remembering-zone.ts';
import type { ActionLinkMaker, ActionLinks, LinkAction } from '../../activities/mail/action-links.ts';
import type { Notification, NotificationKind } from '../../workflows/definitions.ts';
import type { LinkSigner } from './link-token.ts';

// Notices that ask a responsible unit to act; copies, closing notices and reports carry no links.
const actionableKinds: ReadonlySet<NotificationKind> = new Set(['assignment', 'reminder', 'overdue', 'escalation', 'extension_decision', 'rejection', 'acknowledgement_reminder', 'report_reminder', 'reopened', 'milestones_changed']);
const actions: readonly LinkAction[] = ['confirm', 'progress', 'extension'];
const validity = { afterDue: { days: 30 }, atLeast: { days: 30 } };

/** Options of the link maker. */
export interface LinkMakerOptions {
  readonly signer: LinkSigner;
  /** Base of every link, e.g. `https://duban.example.gov.cn` (PUBLIC_URL). */
  readonly publicUrl: string;
  /** Wall clock, epoch milliseconds. */
  readonly now: () => number;
}

/** The console page where the supervisor acts on a deliverable (or, for a plan-wide notice, the plan's dashboard). */
export function consoleUrl(publicUrl: string, planId: string, deliverableId?: string): string {
  const plan = `${publicUrl.replace(/\/+$/, '')}/console/plans/${encodeURIComponent(planId)}`;
  return deliverableId === undefined ? plan : `${plan}/deliverables/${encodeURIComponent(deliverableId)}`;
}

/** The URL of the action page for a token. */
export function actionUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/a/${token}`;
}

/**
 * Links stay valid until 30 days after the due date, and at least 30 days: a unit can act on any mail it
 * received while the item is open, and each later notice brings fresh links.
 */
export function createLinkMaker({ signer, publicUrl, now }: LinkMakerOptions): ActionLinkMaker {
  const expiryOf = (notification: Notification) => {
    const afterDue = DateTime.fromISO(notification.deliverable!.due, { zone: rememberingZone(notification.timezone) }).plus(validity.afterDue).toMillis();
    return Math.max(afterDue, DateTime.fromMillis(now()).plus(validity.atLeast).toMillis());
  };
  // A 批示 asks for one thing, its answer: the units it is addressed to get only that link.
  const answerLinkOf = (notification: Notification, unitId: string): ActionLinks | undefined => {
    if (!notification.to.some((r) => r.unitId === unitId)) return undefined;
    return { answer: actionUrl(publicUrl, signer.mint({ workflowId: notification.workflowId, unitId, action: 'answer', expiresAt: expiryOf(notification) })) };
  };
  return (notification, unitId) => {
    const deliverable = notification.deliverable;
    // A unit taken off the item (责任单位调整) is told so, with nothing left to act on.
    if (notification.kind === 'units_changed' && !deliverable?.units.some((u) => u.unitId === unitId)) return undefined;
    // Anyone not responsible for the item (the supervisor, leadership) acts in the console, behind its sign-in.
    if (!deliverable?.units.some((u) => u.unitId === unitId)) return { console: consoleUrl(publicUrl, notification.planId, deliverable?.id) };
    if (notification.kind === 'instruction') return answerLinkOf(notification, unitId);
    if (!actionableKinds.has(notification.kind)) return undefined;
    if (!notification.to.some((r) => r.unitId === unitId) || !deliverable.units.some((u) => u.unitId === unitId)) return undefined;
    const expiresAt = expiryOf(notification);
    const links: Record<string, string> = {};
    // Under `completion: lead` a 协办单位's confirmation does not count, so it is not offered one.
    const supportsOnly = deliverable.completion === 'lead' && unitId !== deliverable.leadUnitId;
    for (const action of [...(offersAcknowledge(notification, unitId) ? ['acknowledge' as const] : []), ...actions.filter((a) => !(supportsOnly && a === 'confirm'))]) {
      links[action] = actionUrl(publicUrl, signer.mint({ workflowId: notification.workflowId, unitId, action, expiresAt }));
    }
    const milestone = milestoneToMark(notification, unitId);
    if (milestone) links.milestone = actionUrl(publicUrl, signer.mint({ workflowId: notification.workflowId, unitId, action: 'milestone', milestoneId: milestone, expiresAt }));
    return links as ActionLinks;
  };
}

/**
 * The milestone whose 节点完成 link this unit gets: the one the notice is about, else the earliest open one; only for
 * the milestone's lead unit (its first), and only while it is open.
 */
function milestoneToMark(notification: Notification, unitId: string): string | undefined {
  const open = notification.deliverable?.milestones ?? [];
  const target = notification.context.milestone ?? open[0];
  return target && target.leadUnitId === unitId && open.some((m) => m.id === target.id) ? target.id : undefined;
}

/**
 * 签收 is offered where it means something: on the assignment and its 催签 to every unit, and on an overdue or 督办
 * notice to the lead when the plan lets it hold automatic escalation (已签收·正在办理).
 */
function offersAcknowledge(notification: Notification, unitId: string): boolean {
  if (notification.kind === 'assignment' || notification.kind === 'acknowledgement_reminder') return true;
  const deliverable = notification.deliverable;
  // A milestone's 超期/督办 is not the item's: the lead's hold pauses only the item's own escalation.
  return (notification.kind === 'overdue' || notification.kind === 'escalation') && deliverable?.escalationHoldDays !== undefined && deliverable.leadUnitId === unitId
    && !notification.context.milestone;
}
