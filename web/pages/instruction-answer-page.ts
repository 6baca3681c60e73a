/** The page behind a unit's 答复批示 link: the item, each leadership instruction (批示), and a form to answer each open one. */
import { html } from 'hono/html';
import { z } from 'zod';
import type { DeliverableStatusView, InstructionView } from '../../workflows/definitions.ts';
import { deliverableFacts } from './action-page.ts';
import { layout } from './layout.ts';

/** The answer form: which 批示, and the text. */
export const answerForm = z.object({
  instructionId: z.string().regex(/^p\d{1,3}$/, '未指明答复哪条批示'),
  note: z.string().trim().min(1, '请填写答复内容').max(2000, '答复内容不能超过 2000 字'),
});

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** One 批示 as the unit sees it: who wrote it when, the text, and this unit's answer or a form for it. */
function instructionBlock(p: InstructionView, unitId: string, open: boolean) {
  const mine = p.answers[unitId];
  const answer = mine
    ? html`<p class="notice ok">本单位已于 ${when(mine.at)} 答复：${mine.text}</p>`
    : open
      ? html`<form method="post">
<input type="hidden" name="instructionId" value="${p.id}">
<label for="note-${p.id}">答复内容（落实情况）</label>
<textarea id="note-${p.id}" name="note" maxlength="2000" required></textarea>
<button type="submit">答复批示</button>
</form>`
      : html`<p class="hint">该事项已结束，不能再答复。</p>`;
  return html`<section class="instruction" id="instruction-${p.id}">
<h2>批示（${when(p.at)}，${p.by}）</h2>
<blockquote>${p.text}</blockquote>
${answer}
</section>`;
}

/** The GET page: the facts, then every 批示 (the unanswered first), each with its answer form. */
export function instructionAnswerPage(view: DeliverableStatusView, unitId: string) {
  const open = view.status !== 'done' && view.status !== 'cancelled';
  const all = view.instructions ?? [];
  const ordered = [...all.filter((p) => !p.answers[unitId]), ...all.filter((p) => p.answers[unitId])];
  const body = ordered.length === 0
    ? html`<p class="notice warn">该事项暂无领导批示。</p>`
    : html`${ordered.map((p) => instructionBlock(p, unitId, open))}<p class="hint">本链接仅供本单位使用；点击按钮后才会生效。</p>`;
  return layout('答复批示', html`${deliverableFacts(view, unitId)}${body}`);
}
