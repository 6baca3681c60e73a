/** The plans the benches run: the shipped 2015 plan under a fresh id, and a plan of any size made from its items. */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { loadPlanFile } from '../../config/load-plan.ts';
import type { Plan } from '../../config/plan-schema.ts';
import { WorkingDayCalendar } from '../../domain/working-days.ts';

const shippedPlanPath = new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname;

/** The shipped 2015 plan, under an id of its own so runs do not meet each other's workflows. */
export async function shippedPlan(): Promise<Plan> {
  const loaded = await loadPlanFile(shippedPlanPath);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  return { ...loaded.plan, id: `bench-year-${randomBytes(3).toString('hex')}` };
}

/**
 * The shipped plan's units, tasks and policy with `items` deliverables due 30–40 days from `today` (no reminder or
 * overdue mail while the bench runs), whatever day that is.
 */
export async function syntheticPlan(items: number, today = beijingToday()): Promise<Plan> {
  const base = await shippedPlan();
  const deliverables = Array.from({ length: items }, (_, i) => {
    const model = base.deliverables[i % base.deliverables.length]!;
    return { ...model, id: `d${String(i + 1).padStart(5, '0')}`, number: i + 1, title: `${model.title}（${i + 1}）` };
  });
  // Deliverables only (no task items), so the item count is exactly `items`.
  const plan = { ...base, id: `bench-${randomBytes(3).toString('hex')}`, deliverables, trackTasks: undefined };
  return dueFromToday(plan, (i) => 30 + (i % 11), today);
}

/**
 * `plan` with each deliverable due `dueInDays(its index)` days from `today`, without its milestones (the shipped ones
 * are dated 2015), the plan running from a week before today to 60 days after, so a bench measures the same thing on
 * any day it runs. A year the calendar does not cover (past the package's last) gets an override without holidays:
 * weekends only, which is all a bench needs.
 */
export function dueFromToday(plan: Plan, dueInDays: (index: number) => number, today = beijingToday()): Plan {
  const day = (offset: number) => today.plus({ days: offset }).toISODate()!;
  const deliverables = plan.deliverables.map((d, i) => ({ ...d, due: day(dueInDays(i)), milestones: undefined }));
  const [start, end] = [day(-7), day(60)];
  const covered = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides).coveredYears();
  const years = [...new Set([start, end].map((d) => Number(d.slice(0, 4))))].filter((year) => !covered.includes(year));
  const calendar = { ...plan.calendar, overrides: [...plan.calendar.overrides, ...years.map((year) => ({ year, holidays: [], workdays: [] }))] };
  return { ...plan, start, end, calendar, deliverables };
}

const beijingToday = () => DateTime.now().setZone('Asia/Shanghai');
