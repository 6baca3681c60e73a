/** The console's cells for periodic reports and item kinds: shared by the dashboard, the detail page and the report. */
import { html } from 'hono/html';
import { itemKindName, progressWithMeasure } from '../../domain/progress-text.ts';
import type { DeliverableStatusView, UnitState } from '../../workflows/definitions.ts';
import { shortTime } from './event-labels.ts';
import type { Html } from './console-layout.ts';

/** The newest progress report of any unit, or undefined. */
export function latestReport(view: DeliverableStatusView): UnitState | undefined {
  return view.units.filter((u) => u.lastProgress && u.lastProgressNote !== undefined).sort((a, b) => (a.lastProgress! < b.lastProgress! ? 1 : -1))[0];
}

/** `研究室 3月2日 10:00：【推进中 · 60%】已赴三省调研。`, or an empty string. */
export function latestReportText(view: DeliverableStatusView): string {
  const unit = latestReport(view);
  if (!unit) return '';
  return `${unit.name} ${shortTime(unit.lastProgress!)}：${progressWithMeasure({ note: unit.lastProgressNote!, percent: unit.lastProgressPercent, stage: unit.lastProgressStage })}`;
}

/** Days since the newest report, as the dashboard shows its age (`3天前`, `今天`), in the item's plan time. */
export function reportAge(view: DeliverableStatusView, now: number): string {
  const unit = latestReport(view);
  if (!unit) return '';
  const days = Math.floor((now + (view.clockOffsetMs ?? 0) - Date.parse(unit.lastProgress!)) / 86_400_000);
  return days <= 0 ? '今天' : `${days}天前`;
}

/** The dashboard's latest-report cell: text with its age; 报送滞后 marked. */
export function latestReportCell(view: DeliverableStatusView, now: number): Html {
  const text = latestReportText(view);
  const lagging = view.reporting?.lagging ? html`<span class="level raised">报送滞后</span> ` : '';
  return text ? html`${lagging}${text} <span class="muted">（${reportAge(view, now)}）</span>` : html`${lagging}<span class="muted">—</span>`;
}

/** 工作任务 or 附件事项. */
export function kindCell(view: DeliverableStatusView): string {
  return itemKindName(view.itemKind);
}

/** The detail page's rows on periodic reports (none when the item reports on no schedule). */
export function reportingFacts(view: DeliverableStatusView): Html | string {
  const r = view.reporting;
  const kind = html`<dt>事项类别</dt><dd>${kindCell(view)}</dd>`;
  if (!r) return kind;
  return html`${kind}
<dt>定期报送</dt><dd>${r.cadence}（牵头单位报送）${r.lagging ? html` · <strong>报送滞后</strong>（已连续${r.missed}期未报送）` : ''}</dd>
<dt>上次报送</dt><dd>${r.lastReportAt ? shortTime(r.lastReportAt) : '尚未报送'}${r.nextDeadline ? ` · 下次截止 ${shortTime(r.nextDeadline)}` : ''}</dd>`;
}
