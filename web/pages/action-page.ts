/** The page behind an action link: what the deliverable is, where it stands, and one form with one button. */
import { html } from 'hono/html';
import type { LinkAction } from '../../activities/mail/action-links.ts';
import { chineseDate } from '../../domain/chinese-date.ts';
import { lightName, statusName } from '../../domain/status-labels.ts';
import type { DeliverableStatusView, UnitFacts } from '../../workflows/definitions.ts';
import type { UploadLimits } from '../attachments/multipart-upload.ts';
import { fileField, unitAttachmentsFact } from './attachment-field.ts';
import { layout } from './layout.ts';
import { milestoneBlockedReason, milestoneFacts } from './milestone-facts.ts';
import { progressFields } from './progress-form.ts';

/** Title and button of each action. */
export const actionTitles: Record<LinkAction, string> = {
  confirm: '确认完成', progress: '报告进展', extension: '申请延期', milestone: '节点完成', acknowledge: '签收', answer: '答复批示',
};

/** The facts of a deliverable as seen by one unit (from the full view, or from the facts an action answered with). */
export function deliverableFacts(view: UnitFacts, unitId: string) {
  const unit = view.units.find((u) => u.unitId === unitId);
  const lead = view.units.find((u) => u.lead);
  return html`<dl class="facts">
<dt>事项</dt><dd>${view.number}. ${view.title}</dd>
<dt>本单位</dt><dd>${unit?.name ?? unitId}（${unit?.lead ? '牵头单位' : '协办单位'}）</dd>
<dt>牵头单位</dt><dd>${lead?.name ?? ''}</dd>
<dt>办理期限</dt><dd>${chineseDate(view.due)}${view.due === view.originalDue ? '' : `（原期限${chineseDate(view.originalDue)}）`}</dd>
<dt>当前状态</dt><dd><span class="light ${view.light}"></span>${lightName(view.light)} · ${statusName(view.status)}${view.escalationLevel > 0 ? ` · 督办级别${view.escalationLevel}` : ''}</dd>
<dt>本单位签收</dt><dd>${unit?.acknowledgedAt ? `已于${unit.acknowledgedAt.slice(0, 16).replace('T', ' ')}签收` : '尚未签收'}</dd>
<dt>本单位确认</dt><dd>${unit?.confirmedAt ? `已于${unit.confirmedAt.slice(0, 16).replace('T', ' ')}确认完成` : view.completion === 'lead' && !unit?.lead ? '无需确认（由牵头单位确认完成）' : '尚未确认'}</dd>
${unitAttachmentsFact(view, unitId)}
</dl>`;
}

/** Why this unit cannot act now, or undefined when it can. */
export function blockedReason(view: DeliverableStatusView, unitId: string, action: LinkAction): string | undefined {
  if (view.status === 'done') return '该事项已办结，无需再操作。';
  if (view.status === 'cancelled') return `该事项已撤销${view.closedReason ? `（${view.closedReason}）` : ''}，无需再操作。`;
  if (action === 'confirm' && view.units.find((u) => u.unitId === unitId)?.confirmedAt) return '本单位已确认完成（already confirmed），无需重复确认。';
  const supervisor = view.office?.supervisor ?? '督查部门';
  if (action === 'confirm' && view.completion === 'lead' && !view.units.find((u) => u.unitId === unitId)?.lead) return '本事项由牵头单位确认完成，协办单位无需确认；如有进展，请报告进展。';
  if (view.status === 'awaiting_acceptance') return `该事项已确认完成，正在等待${supervisor}验收。`;
  if (action === 'extension' && view.pendingExtension) return `已有一项延期申请（至${chineseDate(view.pendingExtension.to)}）等待${supervisor}审批。`;
  return undefined;
}

/** The GET page: the facts, and a form that POSTs back to the same link (with 办结材料 when `uploads` are taken). */
export function actionPage(view: DeliverableStatusView, unitId: string, action: LinkAction, today: string, uploads?: UploadLimits, milestoneId?: string) {
  const blocked = action === 'milestone' ? blockedReason(view, unitId, 'progress') ?? milestoneBlockedReason(view, milestoneId) : blockedReason(view, unitId, action);
  const withFiles = action === 'confirm' && uploads !== undefined;
  const form = blocked
    ? html`<p class="notice warn">${blocked}</p>`
    : html`<form method="post"${withFiles ? html` enctype="multipart/form-data"` : ''}>
${action === 'extension' ? html`<label for="to">申请延期至</label><input type="date" id="to" name="to" required min="${today}">` : ''}
${action === 'progress' ? progressFields(view, unitId) : ''}
<label for="note">${action === 'confirm' || action === 'milestone' ? '完成情况说明（可选）' : action === 'progress' ? '工作进展' : '延期理由'}</label>
<textarea id="note" name="note" maxlength="2000" ${action === 'confirm' || action === 'milestone' ? '' : 'required'}></textarea>
${withFiles ? fileField(uploads) : ''}
<button type="submit">${actionTitles[action]}</button>
<p class="hint">本链接仅供本单位使用；点击按钮后才会生效。</p>
</form>`;
  return layout(actionTitles[action], html`${deliverableFacts(view, unitId)}${action === 'milestone' ? milestoneFacts(view, milestoneId) : ''}${form}`);
}

/** The page after a POST: what happened and where the deliverable stands now. */
export function resultPage(view: UnitFacts, unitId: string, message: string, tone: 'ok' | 'warn' | 'error') {
  return layout(tone === 'ok' ? '操作成功' : '未能办理', html`<p class="notice ${tone}">${message}</p>${deliverableFacts(view, unitId)}`);
}

/** A page with one message (errors, expired links). */
export function messagePage(title: string, message: string) {
  return layout(title, html`<p class="notice error">${message}</p>`);
}
