/** The 领导批示 part of a deliverable's console page: every 批示 with its answers, and the form leadership writes one with. */
import { html } from 'hono/html';
import type { DeliverableStatusView, InstructionView } from '../../workflows/definitions.ts';
import type { Html } from './console-layout.ts';
import { shortTime } from './event-labels.ts';

/** How many 批示 of a deliverable wait for an answer. */
export function openInstructions(view: Pick<DeliverableStatusView, 'instructions'>): number {
  return (view.instructions ?? []).filter((p) => !p.answered).length;
}

/** `批示待答复 2` beside an item's title on the dashboard; nothing when every 批示 is answered. */
export function openInstructionsMarker(view: Pick<DeliverableStatusView, 'instructions'>): Html | '' {
  const open = openInstructions(view);
  return open > 0 ? html` <span class="marker instruction" title="有领导批示尚未答复">批示待答复 ${open}</span>` : '';
}

/** The section: the 批示 newest first, answered ones with their answers; `form` is the write form (leadership only). */
export function instructionsSection(view: DeliverableStatusView, unitName: (id: string) => string, form?: { action: string; csrf: Html }): Html {
  const all = [...(view.instructions ?? [])].reverse();
  const closed = view.status === 'done' || view.status === 'cancelled' || view.status === 'terminated' || view.status === 'failed';
  const item = (p: InstructionView) => {
    const answers = Object.entries(p.answers);
    return html`<li class="box${p.answered ? '' : ' pending'}" id="instruction-${p.id}">
<p><strong>${p.answered ? '已答复' : '待答复'}</strong> · ${shortTime(p.at)} · ${p.by}${p.reminders > 0 ? ` · 已提醒${p.reminders}次` : ''}</p>
<blockquote>${p.text}</blockquote>
${answers.length === 0 ? html`<p class="muted">责任单位尚未答复。</p>` : html`<ul class="answers">${answers.map(([unitId, a]) => html`<li>${unitName(unitId)}于${shortTime(a.at)}答复：${a.text}</li>`)}</ul>`}
</li>`;
  };
  const write = form && !closed
    ? html`<form method="post" action="${form.action}">${form.csrf}
<h3>作出批示</h3>
<label for="instruction-text">批示内容（将发送给责任单位，并抄送${view.office?.supervisor ?? '督查部门'}）</label>
<textarea id="instruction-text" name="text" maxlength="2000" required></textarea>
<button type="submit">批示</button>
</form>`
    : '';
  return html`<h2>领导批示${openInstructions(view) > 0 ? html` <span class="marker instruction">待答复 ${openInstructions(view)}</span>` : ''}</h2>
${all.length === 0 ? html`<p class="muted">暂无批示。</p>` : html`<ul class="instructions">${all.map(item)}</ul>`}
${write}`;
}
