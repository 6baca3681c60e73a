/**
 * 分解 in the simulation: when the lead of each milestone marks it done, following the item's own behaviour — an item
 * confirmed on time has its milestones marked on time too, a late one late, one never confirmed never. Pure.
 */
import { firstOverdueDay } from '../domain/deliverable-schedule.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { Deliverable, Plan } from '../config/plan-schema.ts';
import type { MilestoneDoneInput } from '../workflows/definitions.ts';
import type { ConfirmWhen } from './scenario.ts';

/** One scripted 节点完成: the day and the update's input. */
export interface MilestoneStep {
  readonly date: IsoDate;
  readonly input: MilestoneDoneInput;
}

/** Options: the timing rules of the item's own confirmation, so milestones follow them. */
export interface MilestoneScriptOptions {
  readonly calendar: WorkingDayCalendar;
  readonly when: ConfirmWhen | IsoDate;
  /** The item's confirmation day, if any: milestones still open then close with the item, so none is marked after it. */
  readonly confirmDate?: IsoDate;
  /** The first day a unit may act (the plan's start). */
  readonly earliest: IsoDate;
  /** Working days before a date an on-time unit acts, and after the first overdue day a late one does. */
  readonly onTimeLead: number;
  readonly lateBy: number;
}

/**
 * The 节点完成 steps of one deliverable: each milestone with a schedule of its own (not on the item's due date) is
 * marked by its lead unit on time, late or never, as the item is confirmed.
 */
export function milestoneSteps(plan: Plan, deliverable: Deliverable, options: MilestoneScriptOptions): MilestoneStep[] {
  const { calendar, when, confirmDate, earliest } = options;
  if (when === 'never') return [];
  const itemDue = calendar.onOrAfter(deliverable.due);
  const steps: MilestoneStep[] = [];
  for (const milestone of deliverable.milestones ?? []) {
    const due = calendar.onOrAfter(milestone.due);
    if (due === itemDue) continue;
    let date = when === 'late' ? calendar.addWorkingDays(firstOverdueDay(calendar, due), options.lateBy) : calendar.addWorkingDays(due, -options.onTimeLead);
    if (date < earliest) date = earliest;
    if (confirmDate !== undefined && date >= confirmDate) continue;
    const lead = resolveUnitIds(plan, milestone.units ?? deliverable.units)[0]!;
    steps.push({ date, input: { milestoneId: milestone.id, unitId: lead, note: '节点工作已完成' } });
  }
  return steps;
}
