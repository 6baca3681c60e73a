/**
 * The page behind a 签收 link. GET only shows it (mail scanners open links); the button POSTs. The lead of an
 * overdue item may also press 已签收·正在办理 to hold automatic escalation, when the plan allows it.
 */
import { html } from 'hono/html';
import { chineseDate } from '../../domain/chinese-date.ts';
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { blockedReason, deliverableFacts } from './action-page.ts';
import { layout } from './layout.ts';

/** Whether the unit may hold automatic escalation now: the lead, when the workflow says a hold would be accepted. */
export function canHoldEscalation(view: DeliverableStatusView, unitId: string): boolean {
  return view.units.find((u) => u.lead)?.unitId === unitId && view.acknowledgement?.leadMayHold === true;
}

/** The GET page: the facts, then a 签收 button (or why none is needed) and, for the lead of an overdue item, the hold. */
export function acknowledgePage(view: DeliverableStatusView, unitId: string) {
  const closed = blockedReason(view, unitId, 'acknowledge');
  const unit = view.units.find((u) => u.unitId === unitId);
  const supervisor = view.office?.supervisor ?? '督查部门';
  const days = view.acknowledgement?.pausesEscalation;
  const plain = unit?.acknowledgedAt
    ? html`<p class="notice ok">本单位已于${unit.acknowledgedAt.slice(0, 16).replace('T', ' ')}签收，无需重复签收。</p>`
    : html`<form method="post">
<p>请确认本单位已收到交办通知、知悉本事项及办理期限。</p>
<button type="submit">签收</button>
<p class="hint">本链接仅供本单位使用；点击按钮后才会生效。</p>
</form>`;
  const hold = canHoldEscalation(view, unitId)
    ? html`<form method="post">
<input type="hidden" name="hold" value="1">
<p>本事项已超期。牵头单位如正在办理，可报告“已签收·正在办理”，自动督办将暂停${days}个工作日（每个督办级别限一次）；${supervisor}仍可随时人工督办。</p>
<button type="submit">已签收·正在办理</button>
</form>`
    : view.escalationHold
      ? html`<p class="notice warn">已记录“正在办理”，自动督办暂停至${chineseDate(view.escalationHold.until)}。</p>`
      : '';
  return layout('签收', html`${deliverableFacts(view, unitId)}${closed ? html`<p class="notice warn">${closed}</p>` : html`${plain}${hold}`}`);
}
