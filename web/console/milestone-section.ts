/** The milestones (分解节点) of a deliverable on its console page: date, light, done at, and the supervisor's two actions. */
import { html } from 'hono/html';
import { chineseDate } from '../../domain/chinese-date.ts';
import type { DeliverableStatusView, MilestoneView } from '../../workflows/definitions.ts';
import type { Html } from './console-layout.ts';
import { levelBadge, lightBadge } from './dashboard-page.ts';
import { shortTime } from './event-labels.ts';

/** What the section needs from the page: the action URL, the anti-forgery field, unit names, whether the item is open. */
export interface MilestoneSectionOptions {
  readonly action: (name: string) => string;
  readonly csrf: Html;
  readonly unitName: (id: string) => string;
  readonly open: boolean;
}

/** A milestone's state in words: its own, not an item's (a milestone is never 已交办 or 已办结). */
const milestoneStatusNames: Partial<Record<MilestoneView['status'], string>> = {
  assigned: '按计划推进', in_progress: '按计划推进', due_soon: '临近期限', lagging: '报送滞后', overdue: '超期', escalated: '已督办', done: '已完成',
};

function doneText(m: MilestoneView, unitName: (id: string) => string): string {
  if (!m.doneAt) return '未完成';
  if (m.closedWithItem) return `${shortTime(m.doneAt)}（随事项完成）`;
  return `${shortTime(m.doneAt)}${m.doneBy ? `（${unitName(m.doneBy)}）` : ''}`;
}

/** The section, or nothing for an item without milestones. */
export function milestoneSection(view: DeliverableStatusView, { action, csrf, unitName, open }: MilestoneSectionOptions): Html | '' {
  const milestones = view.milestones;
  if (!milestones?.length) return '';
  const rows = milestones.map((m) => html`<tr data-milestone="${m.id}">
<td data-label="节点">${m.title}</td>
<td data-label="节点期限" class="nowrap">${chineseDate(m.due)}${m.due === m.originalDue ? '' : `（原${chineseDate(m.originalDue)}）`}</td>
<td data-label="状态">${lightBadge(m.light)} ${milestoneStatusNames[m.status] ?? m.status}${m.escalationLevel > 0 && !m.doneAt ? html` · 督办级别${levelBadge(m.escalationLevel)}` : ''}</td>
<td data-label="负责单位">${m.units.map(unitName).join('、')}</td>
<td data-label="完成时间" class="nowrap">${doneText(m, unitName)}</td>
<td data-label="操作">${open && !m.doneAt ? html`<form method="post" action="${action('milestone-done')}" class="inline">${csrf}<input type="hidden" name="milestone" value="${m.id}"><button type="submit" class="secondary">标记完成</button></form>` : ''}</td>
</tr>`);
  const pending = milestones.filter((m) => !m.doneAt);
  const extend = open && pending.length > 0
    ? html`<form method="post" action="${action('milestone-extend')}">${csrf}
<h3>调整节点期限</h3>
<label for="milestone-id">节点</label>
<select id="milestone-id" name="milestone">${pending.map((m) => html`<option value="${m.id}">${m.title}（${m.due}）</option>`)}</select>
<label for="milestone-to">新节点期限（不晚于事项办理期限）</label>
<input type="date" id="milestone-to" name="to" required>
<label for="milestone-reason">调整理由</label>
<textarea id="milestone-reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">调整节点期限</button>
</form>`
    : '';
  return html`<h2>分解节点</h2>
<p class="muted">最早未完成的节点决定事项的灯色；各节点按本事项的提醒与督办规则单独提醒、督办，直至标记完成。</p>
<div class="table-wrap"><table class="data cards milestones">
<thead><tr><th scope="col">节点</th><th scope="col">节点期限</th><th scope="col">状态</th><th scope="col">负责单位</th><th scope="col">完成时间</th><th scope="col">操作</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
${extend ? html`<div class="actions">${extend}</div>` : ''}`;
}
