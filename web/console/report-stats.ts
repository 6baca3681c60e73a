/**
 * Overdue statistics (超期统计) and on-time rates (按期完成率) per deliverable and per unit, from status views alone.
 *
 * Definitions (the console, its tables and the CSV all use these):
 * - A deliverable is *completed* when its units have confirmed it (status 待验收 or 已办结). Its completion time is
 *   the last unit confirmation (the one that completed it: no unit can confirm after completion).
 * - It is *on time* (按期完成) when that completion falls on or before its effective due date — the due date after
 *   approved extensions, moved off a day off — compared as calendar dates in the plan's zone. Otherwise it is
 *   *completed late* (逾期完成).
 * - It is *overdue and open* (超期未完成) when its status is 超期 or 已督办 now. A 督办 by hand before the due date
 *   counts too: the item is red on the dashboard as well, and the view carries no plan clock to tell them apart.
 * - *Overdue* (超期) counts both: completed late plus overdue and open.
 * - Open items not yet due (已交办, 办理中, 临期) are *pending*: not counted in the rate either way. Cancelled items
 *   (已撤销) are left out of every rate.
 * - On-time rate = on time ÷ (on time + completed late + overdue and open): of the items whose outcome is
 *   settled or already late, the share finished by their due date. No such item → no rate ("—").
 * - Per unit: over the deliverables the unit is responsible for, as lead or co-unit together (a deliverable's
 *   outcome is shared by all its units: the plan assigns them jointly); the number it leads is shown beside.
 */
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { statusName } from '../../domain/status-labels.ts';

/** Where a deliverable stands for the statistics. */
export type Outcome = 'on_time' | 'late' | 'overdue' | 'pending' | 'cancelled';

/** Chinese names of the outcomes. */
export const outcomeNames: Record<Outcome, string> = {
  on_time: '按期完成',
  late: '逾期完成',
  overdue: '超期未完成',
  pending: '未到期',
  cancelled: '已撤销',
};

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
  /** Calendar days between the due date and a late completion. */
  readonly daysLate?: number;
  /** The remark of the latest 督办 by hand, if any. */
  readonly lastRemark?: string;
}

/** Counts over a set of deliverables, and their on-time rate. */
export interface OutcomeCounts {
  readonly total: number;
  readonly onTime: number;
  readonly late: number;
  readonly overdueOpen: number;
  readonly pending: number;
  readonly cancelled: number;
  /** late + overdueOpen */
  readonly overdue: number;
  /** onTime ÷ (onTime + late + overdueOpen), or undefined when that is zero. */
  readonly onTimeRate?: number;
}

/** The statistics of one unit. */
export interface UnitStats extends OutcomeCounts {
  readonly unitId: string;
  readonly name: string;
  /** How many of its deliverables it leads. */
  readonly leads: number;
}

const completedStatuses = new Set(['awaiting_acceptance', 'done']);
const overdueStatuses = new Set(['overdue', 'escalated']);

/** The statistics of one deliverable. */
export function deliverableStats(view: DeliverableStatusView): DeliverableStats {
  const lead = view.units.find((u) => u.lead) ?? view.units[0];
  const base = {
    deliverableId: view.deliverableId, number: view.number, title: view.title,
    leadUnit: lead?.name ?? '', leadUnitId: lead?.unitId ?? '',
    coUnits: view.units.filter((u) => u !== lead).map((u) => u.name), unitIds: view.units.map((u) => u.unitId),
    status: view.status, due: view.due, originalDue: view.originalDue, escalationLevel: view.escalationLevel,
    lastRemark: view.events.filter((e) => e.type === 'action' && e.what === 'escalate').at(-1)?.note,
  };
  if (view.status === 'cancelled') return { ...base, outcome: 'cancelled' };
  if (completedStatuses.has(view.status)) {
    const completedAt = completionTime(view);
    // A completion with no recorded time cannot be shown to be on time: it counts as late, with no day count.
    if (!completedAt) return { ...base, outcome: 'late' };
    const day = completedAt.slice(0, 10);
    return day <= view.due ? { ...base, completedAt, outcome: 'on_time' } : { ...base, completedAt, outcome: 'late', daysLate: daysBetween(view.due, day) };
  }
  return { ...base, outcome: overdueStatuses.has(view.status) ? 'overdue' : 'pending' };
}

/** The last unit confirmation, or the last confirm event of the log when the units carry none. */
function completionTime(view: DeliverableStatusView): string | undefined {
  const confirmed = view.units.map((u) => u.confirmedAt).filter((at): at is string => at !== undefined);
  // The log's instants are all written in the plan's zone, so ISO strings compare in time order.
  if (confirmed.length > 0) return confirmed.reduce((a, b) => (epoch(a) >= epoch(b) ? a : b));
  return view.events.filter((e) => e.type === 'action' && e.what === 'confirm').at(-1)?.at;
}

function epoch(iso: string): number {
  return Date.parse(iso);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Counts and rate over deliverable statistics. */
export function countOutcomes(stats: readonly DeliverableStats[]): OutcomeCounts {
  const count = (outcome: Outcome) => stats.filter((s) => s.outcome === outcome).length;
  const onTime = count('on_time');
  const late = count('late');
  const overdueOpen = count('overdue');
  const settled = onTime + late + overdueOpen;
  return {
    total: stats.length, onTime, late, overdueOpen, pending: count('pending'), cancelled: count('cancelled'),
    overdue: late + overdueOpen, ...(settled > 0 ? { onTimeRate: onTime / settled } : {}),
  };
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

/** `85.7%`, or `—` when there is no rate. */
export function formatRate(rate: number | undefined): string {
  return rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A table as header and rows of text, shared by the report page and the CSV export so both show the same data. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The per-deliverable table. */
export function deliverableTable(stats: readonly DeliverableStats[]): TextTable {
  return {
    header: ['序号', '事项', '牵头单位', '协办单位', '期限', '原期限', '状态', '完成确认时间', '统计结果', '逾期天数', '督办级别', '最近督办意见'],
    rows: stats.map((s) => [
      String(s.number), s.title, s.leadUnit, s.coUnits.join('、'), s.due, s.originalDue === s.due ? '' : s.originalDue,
      statusName(s.status), s.completedAt ? s.completedAt.slice(0, 16).replace('T', ' ') : '', outcomeNames[s.outcome],
      s.daysLate === undefined ? '' : String(s.daysLate), String(s.escalationLevel), s.lastRemark ?? '',
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
