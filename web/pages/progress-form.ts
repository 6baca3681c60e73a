/** The progress (报告进展) form: its fields on the action page and their parsing, with the optional percent or stage. */
import { html } from 'hono/html';
import { z } from 'zod';
import { progressMeasure } from '../../domain/progress-text.ts';
import { progressStages, type DeliverableStatusView } from '../../workflows/definitions.ts';

/** The posted progress form: the text, and optionally a percent (0–100) and a stage; empty fields read as absent. */
export const progressForm = z.object({
  note: z.string().trim().min(1, '请填写工作进展').max(2000),
  percent: z.string().trim().optional()
    .transform((v) => (v === undefined || v === '' ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 100), '完成比例须为 0 至 100 的整数'),
  stage: z.union([z.literal(''), z.enum(progressStages, { message: `所处阶段须为${progressStages.join('、')}之一` })]).optional()
    .transform((v) => (v === '' ? undefined : v)),
});

export type ProgressFormData = z.output<typeof progressForm>;

/** The extra fields of the progress form, and the unit's reporting duty when the item asks for periodic reports. */
export function progressFields(view: DeliverableStatusView, unitId: string) {
  const unit = view.units.find((u) => u.unitId === unitId);
  const reporting = view.reporting;
  const last = unit?.lastProgress ? `${unit.lastProgress.slice(0, 16).replace('T', ' ')}${unit.lastProgressNote ? `：${unit.lastProgressNote}` : ''}` : '尚未报送';
  const measure = unit ? progressMeasure({ percent: unit.lastProgressPercent, stage: unit.lastProgressStage }) : '';
  return html`${reporting && unit?.lead ? html`<p class="notice ${reporting.lagging ? 'warn' : 'ok'}">定期报送：${reporting.cadence}报送一次${reporting.lagging ? '；本期进展尚未报送（报送滞后），请尽快报送' : ''}${reporting.nextDeadline ? `；下次报送截止 ${reporting.nextDeadline.slice(0, 16).replace('T', ' ')}` : ''}。</p>` : ''}
<p class="hint">本单位上次报送：${last}${measure ? `（${measure}）` : ''}</p>
<label for="percent">完成比例（可选，0–100）</label><input type="number" id="percent" name="percent" min="0" max="100" step="1" inputmode="numeric">
<label for="stage">所处阶段（可选）</label><select id="stage" name="stage"><option value="">（不填）</option>${progressStages.map((s) => html`<option value="${s}">${s}</option>`)}</select>`;
}
