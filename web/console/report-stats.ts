/**
 * Overdue statistics (超期统计) and on-time rates (按期完成率) per deliverable and per unit, from status views alone.
 * What counts as on time, late, overdue and open, and the rate itself, are defined once in `domain/on-time-rate.ts`
 * (shared with the mails and `duban simulate`); this module only tabulates.
 *
 * Per unit: over the deliverables the unit is responsible for, as lead or co-unit together (a deliverable's outcome
 * is shared by all its units: the plan assigns them jointly); the number it leads is shown beside.
 */
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { statusName } from '../../domain/status-labels.ts';
import {
  countOutcomes as countOutcomeList, formatRate, outcomeNames, viewOutcome, type Outcome, type OutcomeCounts,
} from '../../domain/on-time-rate.ts';
import { WorkingDayCalendar, type CalendarYearOverride } from '../../domain/working-days.ts';
import { toCsv } from './csv.ts';
import { itemKindName } from '../../domain/progress-text.ts';
import { latestReportText } from './report-cells.ts';

export { formatRate, outcomeNames, type Outcome, type OutcomeCounts };

/** The statistics of one deliverable. */
export interface DeliverableStats {
  readonly deliverableId: string;
  readonly number: number;
  readonly title: string;
  readonly leadUnit: string;
  readonly coUnits: readonly string[];
  readonly unitIds: readonly string[];
  readonly leadUnitId: string;
  readonly status: string;
  readonly due: string;
  readonly originalDue: string;
  readonly escalationLevel: number;
  /** ISO instant of completion (last confirmation), when completed. */
  readonly completedAt?: string;
  readonly outcome: Outcome;
  /** Working days between the effective due date and a late completion. */
  readonly daysLate?: number;
  /** The remark of the latest 督办 by hand, if any. */
  readonly lastRemark?: string;
  /** 工作任务 or 附件事项. */
  readonly kind?: string;
  /** The newest progress report (who, when, percent or stage, text), and whether a periodic report is missing. */
  readonly latestReport?: string;
  readonly lagging?: boolean;
}

/** The statistics of one unit. */
export interface UnitStats extends OutcomeCounts {
  readonly unitId: string;
  readonly name: string;
  /** How many of its deliverables it leads. */
  readonly leads: number;
}

// Without a plan's calendar (tests, old callers): the package's table in Beijing time.
const packageCalendar = new WorkingDayCalendar('Asia/Shanghai');

/** The statistics of one deliverable, days late counted in the package's working days (see {@link statsIn}). */
export function deliverableStats(view: DeliverableStatusView): DeliverableStats {
  return statsOf(view, packageCalendar);
}

/** The statistics function of a plan: days late counted in the plan's own working days (its calendar files too). */
export function statsIn(calendar: WorkingDayCalendar): (view: DeliverableStatusView) => DeliverableStats {
  return (view) => statsOf(view, calendar);
}

function statsOf(view: DeliverableStatusView, calendar: WorkingDayCalendar): DeliverableStats {
  const lead = view.units.find((u) => u.lead) ?? view.units[0];
  return {
    deliverableId: view.deliverableId, number: view.number, title: view.title,
    leadUnit: lead?.name ?? '', leadUnitId: lead?.unitId ?? '',
    coUnits: view.units.filter((u) => u !== lead).map((u) => u.name), unitIds: view.units.map((u) => u.unitId),
    status: view.status, due: view.due, originalDue: view.originalDue, escalationLevel: view.escalationLevel,
    lastRemark: view.events.filter((e) => e.type === 'action' && e.what === 'escalate').at(-1)?.note,
    kind: itemKindName(view.itemKind), latestReport: latestReportText(view), lagging: view.reporting?.lagging === true,
    ...viewOutcome(view, calendar),
  };
}

/** Counts and rate over deliverable statistics. */
export function countOutcomes(stats: readonly DeliverableStats[]): OutcomeCounts {
  return countOutcomeList(stats.map((s) => s.outcome));
}

/**
 * Per-unit statistics, in the plan's unit order; units responsible for nothing are left out, units the plan does
 * not list (from an older plan version) come last under their id.
 */
export function unitStats(stats: readonly DeliverableStats[], units: readonly { readonly id: string; readonly name: string }[]): UnitStats[] {
  const known = new Set(units.map((u) => u.id));
  const extra = [...new Set(stats.flatMap((s) => s.unitIds))].filter((id) => !known.has(id)).map((id) => ({ id, name: id }));
  return [...units, ...extra]
    .map((unit) => {
      const mine = stats.filter((s) => s.unitIds.includes(unit.id));
      return { unitId: unit.id, name: unit.name, leads: mine.filter((s) => s.leadUnitId === unit.id).length, ...countOutcomes(mine) };
    })
    .filter((u) => u.total > 0);
}

/** A table as header and rows of text, shared by the report page and the CSV export so both show the same data. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The per-deliverable table. */
export function deliverableTable(stats: readonly DeliverableStats[]): TextTable {
  return {
    header: ['序号', '事项', '牵头单位', '协办单位', '期限', '原期限', '状态', '完成确认时间', '统计结果', '逾期工作日', '督办级别', '最近督办意见', '类别', '最新进展', '报送滞后'],
    rows: stats.map((s) => [
      String(s.number), s.title, s.leadUnit, s.coUnits.join('、'), s.due, s.originalDue === s.due ? '' : s.originalDue,
      statusName(s.status), s.completedAt ? s.completedAt.slice(0, 16).replace('T', ' ') : '', outcomeNames[s.outcome],
      s.daysLate === undefined ? '' : String(s.daysLate), String(s.escalationLevel), s.lastRemark ?? '',
      s.kind ?? '', s.latestReport ?? '', s.lagging ? '是' : '',
    ]),
  };
}

/** The per-unit table, with a total line over all deliverables (each counted once). */
export function unitTable(units: readonly UnitStats[], total: OutcomeCounts): TextTable {
  const line = (name: string, leads: string, c: OutcomeCounts) => [
    name, String(c.total), leads, String(c.onTime), String(c.late), String(c.overdueOpen), String(c.overdue), String(c.pending),
    String(c.cancelled), formatRate(c.onTimeRate),
  ];
  return {
    header: ['单位', '负责事项', '其中牵头', '按期完成', '逾期完成', '超期未完成', '超期合计', '未到期', '已撤销', '按期完成率'],
    rows: [...units.map((u) => line(u.name, String(u.leads), u)), line('合计（按事项）', String(total.total), total)],
  };
}

/** The whole report of a plan: totals, the per-unit and the per-deliverable table (the page and the CSV show these). */
export interface PlanReport {
  readonly total: OutcomeCounts;
  readonly units: TextTable;
  readonly deliverables: TextTable;
}

/** The report of a plan from its deliverables' status views, days late in the plan's own working days. */
export function planReport(
  plan: { readonly timezone: string; readonly units: readonly { readonly id: string; readonly name: string }[]; readonly calendar?: { readonly overrides: readonly CalendarYearOverride[] } },
  views: readonly DeliverableStatusView[],
): PlanReport {
  const stats = views.map(statsIn(new WorkingDayCalendar(plan.timezone, plan.calendar?.overrides ?? [])));
  const total = countOutcomes(stats);
  return { total, units: unitTable(unitStats(stats, plan.units), total), deliverables: deliverableTable(stats) };
}

/** The report as a CSV file (UTF-8 with BOM, for Excel and WPS). */
export function reportCsv(title: string, generatedAt: string, report: PlanReport): string {
  return toCsv([
    [`${title} 督办统计报表`, `生成时间 ${generatedAt}`],
    [],
    ['按单位统计'], report.units.header, ...report.units.rows,
    [],
    ['按事项统计'], report.deliverables.header, ...report.deliverables.rows,
  ]);
}
