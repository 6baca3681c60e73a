/**
 * The console's forms for mid-year changes (issue 12 item 7): 临时交办 (a new item), 调整责任单位/牵头单位 on an
 * open item, 重新打开 a closed one; their zod schemas and their HTML (escaped by hono's `html`).
 */
import { html } from 'hono/html';
import { z } from 'zod';
import { isIsoDate } from '../../domain/iso-date.ts';
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { consolePage, type ConsolePlan, type Html, type PageFrame } from './console-layout.ts';

const text = (what: string, max = 2000) => z.string({ error: `请填写${what}` }).trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 字`);
const date = z.string({ error: '请填写期限' }).trim().refine(isIsoDate, '请填写有效的日期（YYYY-MM-DD）');
const unitId = z.string({ error: '请选择单位' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '单位无效');
// A form field given once arrives as a string, several times as an array.
const unitList = z.union([unitId, z.array(unitId).max(50, '协办单位过多')]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const csrf = { _csrf: z.string().optional() };

/** The lead first, then the other checked units in the plan's order, each once. */
function unitsOf(form: { lead: string; partners: string[] }): string[] {
  return [form.lead, ...form.partners.filter((u, i, all) => u !== form.lead && all.indexOf(u) === i)];
}

/** 临时交办: title, task, lead and partner units, due date. */
export const addItemForm = z.object({ ...csrf, title: text('事项名称', 500), task: z.string({ error: '请选择所属工作任务' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '请选择所属工作任务'), lead: unitId, partners: unitList, due: date })
  .strict().transform((f) => ({ title: f.title, task: f.task, units: unitsOf(f), due: f.due }));
/** 调整责任单位: lead and partners, with the reason the units receive. */
export const unitsForm = z.object({ ...csrf, lead: unitId, partners: unitList, reason: text('调整理由') })
  .strict().transform((f) => ({ units: unitsOf(f), reason: f.reason }));
/** 重新打开: the reason and the new due date. */
export const reopenForm = z.object({ ...csrf, reason: text('重新打开的理由'), due: date }).strict();
/** 新增分解节点: its name, date, its own unit (none chosen: the item's units) and the reason. */
export const milestoneAddForm = z.object({ ...csrf, title: text('节点名称', 500), due: date, unit: z.union([z.literal(''), unitId]).optional(), reason: text('调整理由') })
  .strict().transform((f) => ({ title: f.title, due: f.due, ...(f.unit ? { unit: f.unit } : {}), reason: f.reason }));
/** 删除分解节点: which, and why. */
export const milestoneRemoveForm = z.object({ ...csrf, milestone: z.string({ error: '请选择节点' }).trim().min(1, '请选择节点').max(64), reason: text('删除理由') }).strict();

/** Flash messages after a change, by the `done` query value. */
export const changeDoneMessages: Record<string, string> = {
  added: '已临时交办，交办通知已发送给责任单位。',
  units: '已调整责任单位，相关单位将收到通知。',
  reopen: '已重新打开，重新交办通知已发送给责任单位。',
  'milestone-add': '已新增分解节点，该节点按其期限单独提醒、督办。',
  'milestone-remove': '已删除分解节点，该节点不再提醒。',
};

const closed = (view: DeliverableStatusView) => view.status === 'done' || view.status === 'cancelled';

/** The lead select and the partner checkboxes, with the current units chosen. */
function unitPickers(plan: ConsolePlan, prefix: string, lead?: string, partners: readonly string[] = []): Html {
  return html`<label for="${prefix}-lead">牵头单位</label>
<select id="${prefix}-lead" name="lead" required><option value="">请选择</option>
${plan.units.map((u) => html`<option value="${u.id}"${u.id === lead ? ' selected' : ''}>${u.name}</option>`)}</select>
<fieldset><legend>协办单位</legend>
${plan.units.map((u) => html`<label class="check"><input type="checkbox" name="partners" value="${u.id}"${partners.includes(u.id) ? ' checked' : ''}> ${u.name}</label>`)}
</fieldset>`;
}

/** The change forms of a detail page: units while open, reopening once closed. */
export function changeForms(frame: PageFrame & { plan: ConsolePlan }, view: DeliverableStatusView): Html[] {
  const action = (name: string) => `${frame.base}/plans/${encodeURIComponent(frame.plan.id)}/deliverables/${encodeURIComponent(view.deliverableId)}/${name}`;
  const csrfField = html`<input type="hidden" name="_csrf" value="${frame.session.csrfToken}">`;
  if (closed(view)) {
    return [html`<form method="post" action="${action('reopen')}">${csrfField}
<h3>重新打开</h3>
<label for="reopen-due">新期限</label>
<input type="date" id="reopen-due" name="due" required>
<label for="reopen-reason">重新打开的理由（将发送给责任单位）</label>
<textarea id="reopen-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">重新打开</button>
<p class="hint">原办理记录保留，事项按新期限重新督办。</p>
</form>`];
  }
  if (view.status === 'terminated' || view.status === 'failed') return [];
  const lead = view.units.find((u) => u.lead)?.unitId;
  const units = html`<form method="post" action="${action('units')}">${csrfField}
<h3>调整责任单位</h3>
${unitPickers(frame.plan, 'units', lead, view.units.filter((u) => !u.lead).map((u) => u.unitId))}
<label for="units-reason">调整理由（将发送给相关单位）</label>
<textarea id="units-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">调整</button>
</form>`;
  // An item awaiting 验收 has its milestones closed with it: they change only while it is being done.
  return view.status === 'awaiting_acceptance' ? [units] : [units, ...milestoneForms(view, action, csrfField)];
}

/** 新增分解节点 and, when the item has milestones, 删除分解节点. */
function milestoneForms(view: DeliverableStatusView, action: (name: string) => string, csrfField: Html): Html[] {
  const add = html`<form method="post" action="${action('milestone-add')}">${csrfField}
<h3>新增分解节点</h3>
<label for="milestone-add-title">节点名称</label>
<input type="text" id="milestone-add-title" name="title" maxlength="500" required>
<label for="milestone-add-due">节点期限（今天之后，不晚于事项办理期限 ${view.due}）</label>
<input type="date" id="milestone-add-due" name="due" max="${view.due}" required>
<label for="milestone-add-unit">负责单位</label>
<select id="milestone-add-unit" name="unit"><option value="">事项的全部责任单位</option>
${view.units.map((u) => html`<option value="${u.unitId}">${u.name}</option>`)}</select>
<label for="milestone-add-reason">调整理由</label>
<textarea id="milestone-add-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">新增节点</button>
</form>`;
  const milestones = view.milestones ?? [];
  if (milestones.length === 0) return [add];
  return [add, html`<form method="post" action="${action('milestone-remove')}">${csrfField}
<h3>删除分解节点</h3>
<label for="milestone-remove-id">节点</label>
<select id="milestone-remove-id" name="milestone">${milestones.map((m) => html`<option value="${m.id}">${m.title}（${m.due}）</option>`)}</select>
<label for="milestone-remove-reason">删除理由</label>
<textarea id="milestone-remove-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit" class="secondary">删除节点</button>
<p class="hint">删除后该节点不再提醒、督办；办理记录保留。</p>
</form>`];
}

/** The 临时交办 page: a new item of the running plan. */
export function addItemPage(frame: PageFrame & { plan: ConsolePlan }, tasks: readonly { id: string; number: number; title: string }[], message?: string): Html {
  const planBase = `${frame.base}/plans/${encodeURIComponent(frame.plan.id)}`;
  return consolePage(frame, '临时交办', html`${message ? html`<p class="notice warn" role="status">${message}</p>` : ''}
<p><a href="${planBase}">← 返回总览</a></p>
<form method="post" action="${planBase}/add" class="wide"><input type="hidden" name="_csrf" value="${frame.session.csrfToken}">
<h2>临时交办</h2>
<label for="add-title">事项名称</label>
<input id="add-title" name="title" maxlength="500" required>
<label for="add-task">所属工作任务</label>
<select id="add-task" name="task" required><option value="">请选择</option>
${tasks.map((t) => html`<option value="${t.id}">${t.number}. ${t.title}</option>`)}</select>
${unitPickers(frame.plan, 'add')}
<label for="add-due">办理期限</label>
<input type="date" id="add-due" name="due" required>
<button type="submit">交办</button>
</form>`);
}
