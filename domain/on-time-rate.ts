/**
 * The on-time rate (按期完成率) and the outcome of each deliverable: one definition, used by the console report and its
 * CSV, the digest and final-report mails, and `duban simulate`. Pure, so workflows may use it too.
 *
 * - A deliverable is *completed* once its units have confirmed it (status 待验收 or 已办结): acceptance by 督查室
 *   is a check of the work, not part of the unit's deadline. Its *completion day* is the local date (plan zone) of
 *   the confirmation that completed it.
 * - It is *on time* (按期完成) when the completion day is on or before its *effective due date*: the due date after
 *   approved extensions, moved off a day off to the next working day. Otherwise it is *completed late* (逾期完成),
 *   by the number of working days from the effective due date to the completion day.
 * - It is *overdue and open* (超期未完成) while its status is 超期 or 已督办 (a 督办 by hand before the due date counts:
 *   the item is red everywhere).
 * - Open items not yet due (已交办, 办理中, 临期) are *pending* and cancelled items (已撤销) are left out: neither
 *   counts for or against the rate.
 * - On-time rate = on time ÷ (on time + completed late + overdue and open); with no such item there is no rate (—).
 */
import type { DeliverableStatusView } from '../workflows/definitions.ts';
import type { IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** Where a deliverable stands for the rate. */
export type Outcome = 'on_time' | 'late' | 'overdue' | 'pending' | 'cancelled';

/** Chinese names of the outcomes. */
export const outcomeNames: Readonly<Record<Outcome, string>> = {
  on_time: '按期完成', late: '逾期完成', overdue: '超期未完成', pending: '未到期', cancelled: '已撤销',
};

const completedStatuses = new Set(['awaiting_acceptance', 'done']);
const overdueStatuses = new Set(['overdue', 'escalated']);

/** Whether a completion on `completedOn` meets the effective due date (both local dates). */
export function completedOnTime(completedOn: IsoDate, effectiveDue: IsoDate): boolean {
  return completedOn <= effectiveDue;
}

/** The outcome from a status and, once completed, whether it was on time (what a plan's summary rows carry). */
export function outcomeOf(status: string, onTime: boolean | undefined): Outcome {
  if (status === 'cancelled') return 'cancelled';
  // A completion whose time is unknown cannot be shown to be on time: it counts as late.
  if (completedStatuses.has(status)) return onTime === true ? 'on_time' : 'late';
  return overdueStatuses.has(status) ? 'overdue' : 'pending';
}

/** A deliverable's outcome from its status view, with its completion instant and working days late. */
export interface ViewOutcome {
  readonly outcome: Outcome;
  /** ISO instant of the confirmation that completed it, when completed. */
  readonly completedAt?: string;
  /** Working days from the effective due date to a late completion (absent when the calendar cannot tell). */
  readonly daysLate?: number;
}

/** The outcome of a deliverable from its status view (whose `due` is the effective due date). */
export function viewOutcome(view: DeliverableStatusView, calendar: WorkingDayCalendar): ViewOutcome {
  const completedAt = completedStatuses.has(view.status) ? completionTime(view) : undefined;
  // The log's instants are written in the plan's zone, so their first ten characters are the local date.
  const completedOn = completedAt?.slice(0, 10);
  const outcome = outcomeOf(view.status, completedOn === undefined ? undefined : completedOnTime(completedOn, view.due));
  if (outcome !== 'late' || completedOn === undefined) return { outcome, ...(completedAt ? { completedAt } : {}) };
  let daysLate: number | undefined;
  try {
    daysLate = calendar.workingDaysBetween(view.due, completedOn);
  } catch {
    daysLate = undefined;
  }
  return { outcome, completedAt, ...(daysLate === undefined ? {} : { daysLate }) };
}

/** The confirmation that completed it: the last unit confirmation, or the log's last confirm when units carry none. */
function completionTime(view: DeliverableStatusView): string | undefined {
  const confirmed = view.units.map((u) => u.confirmedAt).filter((at): at is string => at !== undefined);
  if (confirmed.length > 0) return confirmed.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  return view.events.filter((e) => e.type === 'action' && e.what === 'confirm').at(-1)?.at;
}

/** Counts over a set of outcomes, and their on-time rate. */
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

/** Counts and rate over outcomes. */
export function countOutcomes(outcomes: readonly Outcome[]): OutcomeCounts {
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  const onTime = count('on_time');
  const late = count('late');
  const overdueOpen = count('overdue');
  const settled = onTime + late + overdueOpen;
  return {
    total: outcomes.length, onTime, late, overdueOpen, pending: count('pending'), cancelled: count('cancelled'),
    overdue: late + overdueOpen, ...(settled > 0 ? { onTimeRate: onTime / settled } : {}),
  };
}

/** `85.7%`, or `—` when there is no rate. */
export function formatRate(rate: number | undefined): string {
  return rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The rate with what it is made of, for mails: `按期完成率50.0%（按期完成2项，已完成或已超期4项）`. */
export function rateSentence(counts: OutcomeCounts): string {
  return `按期完成率${formatRate(counts.onTimeRate)}（按期完成${counts.onTime}项，已完成或已超期${counts.onTime + counts.late + counts.overdueOpen}项）`;
}
