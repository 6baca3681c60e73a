/** One deliverable for the supervisor: facts, units, pending extension, the actions its status allows, and the event log. */
import { html } from 'hono/html';
import { chineseDate } from '../../domain/chinese-date.ts';
import { isIsoDate } from '../../domain/iso-date.ts';
import { statusName } from '../../domain/status-labels.ts';
import type { DeliverableStatusView, LogEvent } from '../../workflows/definitions.ts';
import { consolePage, type ConsolePlan, type Html, type PageFrame } from './console-layout.ts';
import { acknowledgements } from './acknowledgement-view.ts';
import { confirmations, levelBadge, lightBadge } from './dashboard-page.ts';
import { eventName, eventTypeName, noticeName, shortTime } from './event-labels.ts';
import { milestoneSection } from './milestone-section.ts';
import { reportingFacts } from './report-cells.ts';
import { progressWithMeasure } from '../../domain/progress-text.ts';
import { attachmentSection, attachmentsNote, attachmentUrl } from './attachment-routes.ts';
import { instructionsSection } from './instructions-section.ts';
import { roleIn } from './roles.ts';

/** A message at the top of the page: what an action did, or why it was refused. */
export interface Flash {
  readonly tone: 'ok' | 'warn' | 'error';
  readonly message: string;
}

const openStatuses = new Set(['assigned', 'in_progress', 'due_soon', 'lagging', 'overdue', 'escalated']);

/** The detail page. */
export function detailPage(frame: PageFrame & { plan: ConsolePlan }, view: DeliverableStatusView, flash?: Flash, changeForms: readonly Html[] = []): Html {
  const { base, plan, session } = frame;
  const action = (name: string) => `${base}/plans/${encodeURIComponent(plan.id)}/deliverables/${encodeURIComponent(view.deliverableId)}/${name}`;
  const unitNames = new Map([...plan.units.map((u) => [u.id, u.name] as const), ...view.units.map((u) => [u.unitId, u.name] as const)]);
  const unitName = (id: string) => unitNames.get(id) ?? id;
  const date = (d: string) => (isIsoDate(d) ? chineseDate(d) : d);
  const csrf = html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
  const open = openStatuses.has(view.status);
  // Only 督查 sees the action forms (the server refuses them to any other role); leadership writes 批示.
  const role = roleIn(session, plan.id);

  const facts = html`<dl class="facts">
<dt>事项</dt><dd>${view.number}. ${view.title}</dd>
<dt>牵头单位</dt><dd>${view.units.find((u) => u.lead)?.name ?? '—'}</dd>
<dt>协办单位</dt><dd>${view.units.filter((u) => !u.lead).map((u) => u.name).join('、') || '—'}</dd>
<dt>办理期限</dt><dd>${date(view.due)}${view.due === view.originalDue ? '' : `（原期限${date(view.originalDue)}）`}</dd>
<dt>当前状态</dt><dd>${lightBadge(view.light)} · ${statusName(view.status)} · 督办级别${levelBadge(view.escalationLevel)}</dd>
<dt>确认情况</dt><dd>${confirmations(view)}</dd>
<dt>签收情况</dt><dd>${acknowledgements(view)}</dd>
${view.escalationHold ? html`<dt>暂停自动督办</dt><dd>牵头单位于${shortTime(view.escalationHold.at)}报告“已签收·正在办理”，自动督办暂停至${date(view.escalationHold.until)}（人工督办不受影响）</dd>` : ''}
${reportingFacts(view)}
${view.nextNotice ? html`<dt>下一通知</dt><dd>${shortTime(view.nextNotice.at)} ${noticeName(view.nextNotice.kind)}</dd>` : ''}
${view.closedReason ? html`<dt>${view.status === 'cancelled' ? '撤销原因' : '办结说明'}</dt><dd>${view.closedReason}</dd>` : ''}
<dt>工作流</dt><dd class="muted">${view.workflowId}</dd>
</dl>`;

  const units = html`<h2>责任单位</h2>
<div class="table-wrap"><table class="data cards">
<thead><tr><th scope="col">单位</th><th scope="col">角色</th><th scope="col">确认完成</th><th scope="col">签收</th><th scope="col">完成说明</th><th scope="col">最近进展</th><th scope="col">进展情况</th></tr></thead>
<tbody>${view.units.map((u) => html`<tr>
<td data-label="单位">${u.name}</td>
<td data-label="角色">${u.lead ? '牵头' : '协办'}</td>
<td data-label="确认完成" class="nowrap">${u.confirmedAt ? shortTime(u.confirmedAt) : view.completion === 'lead' && !u.lead ? '无需确认' : '未确认'}</td>
<td data-label="签收" class="nowrap">${u.acknowledgedAt ? shortTime(u.acknowledgedAt) : '未签收'}</td>
<td data-label="完成说明">${u.note ?? ''}</td>
<td data-label="最近进展" class="nowrap">${u.lastProgress ? shortTime(u.lastProgress) : '—'}</td>
<td data-label="进展情况">${u.lastProgressNote === undefined ? '' : progressWithMeasure({ note: u.lastProgressNote, percent: u.lastProgressPercent, stage: u.lastProgressStage })}</td>
</tr>`)}</tbody>
</table></div>`;

  // What the item runs by, after any 调整提醒督办规则: folded, as it is read rarely.
  const rules = view.rules?.length
    ? html`<details class="rules"><summary>提醒与督办规则</summary><dl class="rule-list">${view.rules.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl></details>`
    : '';

  const pending = view.pendingExtension;
  const pendingBox = pending
    ? html`<div class="box pending"><strong>待审批的延期申请</strong>：${unitName(pending.unitId)}于${shortTime(pending.at)}申请延期至${date(pending.to)}。<br>理由：${pending.reason}</div>`
    : '';

  const forms: Html[] = [];
  if (open) {
    forms.push(html`<form method="post" action="${action('escalate')}">${csrf}
<h3>督办</h3>
<label for="remark">督办意见（将发送给责任单位）</label>
<textarea id="remark" name="remark" maxlength="2000" required></textarea>
<button type="submit">督办</button>
</form>`);
  }
  if (open && pending) {
    forms.push(html`<form method="post" action="${action('extension')}">${csrf}
<h3>延期审批</h3>
<p class="muted">申请延期至${date(pending.to)}。批准时可另定日期。</p>
<label for="approve-to">批准至其他日期（可选）</label>
<input type="date" id="approve-to" name="to">
<label for="decision-reason">审批意见</label>
<textarea id="decision-reason" name="reason" maxlength="2000" required></textarea>
<div class="buttons"><button type="submit" name="decision" value="approve">批准延期</button>
<button type="submit" name="decision" value="deny" class="secondary">驳回延期</button></div>
</form>`);
  }
  if (open) {
    forms.push(html`<form method="post" action="${action('extension')}">${csrf}
<h3>直接延期</h3>
<input type="hidden" name="decision" value="direct">
<label for="direct-to">新期限</label>
<input type="date" id="direct-to" name="to" required>
<label for="direct-reason">延期理由</label>
<textarea id="direct-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">直接延期</button>
</form>`);
  }
  if (view.status === 'awaiting_acceptance') {
    forms.push(html`<form method="post" action="${action('accept')}">${csrf}
<h3>验收通过</h3>
<label for="accept-note">验收意见（可选）</label>
<textarea id="accept-note" name="note" maxlength="2000"></textarea>
<button type="submit">验收通过</button>
</form>`);
    forms.push(html`<form method="post" action="${action('reject')}">${csrf}
<h3>退回</h3>
<label for="reject-reason">退回理由</label>
<textarea id="reject-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit" class="secondary">退回</button>
</form>`);
  }
  if (view.status !== 'done' && view.status !== 'cancelled') {
    forms.push(html`<form method="post" action="${action('cancel')}">${csrf}
<h3>撤销事项</h3>
<label for="cancel-reason">撤销原因</label>
<textarea id="cancel-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit" class="danger">撤销</button>
<p class="hint">撤销后不再发送任何通知；如需继续办理，可重新打开。</p>
</form>`);
  }
  // Mid-year changes (调整责任单位, 重新打开), built by change-forms.ts.
  forms.push(...changeForms);
  const actions = html`<h2>办理</h2>
${forms.length ? html`<div class="actions">${forms}</div>` : html`<p class="muted">该事项${statusName(view.status)}，无可办理的操作。</p>`}`;

  const who = (e: LogEvent) => (e.by ? unitName(e.by) : (e.to ?? []).map(unitName).join('、'));
  const events = [...view.events].reverse();
  const log = html`<h2>办理记录</h2>
${events.length === 0 ? html`<p class="muted">暂无记录。</p>` : html`<div class="table-wrap"><table class="data cards">
<thead><tr><th scope="col">时间</th><th scope="col">类型</th><th scope="col">内容</th><th scope="col">操作人/收件单位</th></tr></thead>
<tbody>${events.map((e) => html`<tr>
<td data-label="时间" class="nowrap">${shortTime(e.at)}</td>
<td data-label="类型">${eventTypeName(e.type)}</td>
<td data-label="内容">${eventName(e)}${e.note ? `：${e.note}` : ''}${attachmentsNote(e)}</td>
<td data-label="操作人/收件单位">${who(e)}</td>
</tr>`)}</tbody>
</table></div>`}`;

  return consolePage(frame, `${view.number}. ${view.title}`, html`${flash ? html`<p class="notice ${flash.tone}" role="status">${flash.message}</p>` : ''}
<p><a href="${base}/plans/${encodeURIComponent(plan.id)}">← 返回总览</a></p>
${facts}
${pendingBox}
${units}
${milestoneSection(view, { action, csrf, unitName, open: open && role === 'supervisor' })}
${rules}
${attachmentSection(view, unitName, (sha256) => attachmentUrl(base, plan.id, view.deliverableId, sha256))}
${role === 'supervisor' ? actions : ''}
${instructionsSection(view, unitName, role === 'leadership' ? { action: action('instruct'), csrf } : undefined)}
${log}`);
}
