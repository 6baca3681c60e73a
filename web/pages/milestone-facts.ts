/** What the 节点完成 page adds to an action page: which milestone, its date and where it stands. */
import { html } from 'hono/html';
import { chineseDate } from '../../domain/chinese-date.ts';
import { lightName } from '../../domain/status-labels.ts';
import type { DeliverableStatusView } from '../../workflows/definitions.ts';

/** The milestone's lines, or nothing when the view has no such milestone. */
export function milestoneFacts(view: DeliverableStatusView, milestoneId: string | undefined) {
  const milestone = view.milestones?.find((m) => m.id === milestoneId);
  if (!milestone) return '';
  const state = milestone.doneAt ? `已于${milestone.doneAt.slice(0, 16).replace('T', ' ')}完成` : lightName(milestone.light);
  return html`<dl class="facts"><dt>节点</dt><dd>${milestone.title}</dd><dt>节点期限</dt><dd>${chineseDate(milestone.due)}</dd><dt>节点状态</dt><dd><span class="light ${milestone.light}"></span>${state}</dd></dl>`;
}

/** Why the milestone cannot be marked done now, or undefined when it can. */
export function milestoneBlockedReason(view: DeliverableStatusView, milestoneId: string | undefined): string | undefined {
  const milestone = view.milestones?.find((m) => m.id === milestoneId);
  if (!milestone) return '本事项没有这个节点。';
  if (milestone.doneAt) return `节点“${milestone.title}”已完成，无需再操作。`;
  return undefined;
}
