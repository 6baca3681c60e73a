/** How a progress report's measure and an item's kind read in Chinese, the same in mails, pages and the CSV. */
import type { ItemKind, ProgressStage } from '../workflows/definitions.ts';

/** `推进中 · 60%`, `60%`, `推进中`, or empty when the unit gave neither. */
export function progressMeasure(report: { readonly percent?: number; readonly stage?: ProgressStage }): string {
  return [report.stage, report.percent === undefined ? undefined : `${report.percent}%`].filter(Boolean).join(' · ');
}

/** `【推进中 · 60%】征求意见稿已印发` or the note alone. */
export function progressWithMeasure(report: { readonly note: string; readonly percent?: number; readonly stage?: ProgressStage }): string {
  const measure = progressMeasure(report);
  return measure ? `【${measure}】${report.note}` : report.note;
}

/** 工作任务 (a plan task tracked by its reports) or 附件事项 (an annex deliverable). */
export function itemKindName(kind: ItemKind | undefined): string {
  return kind === 'task' ? '工作任务' : '附件事项';
}
