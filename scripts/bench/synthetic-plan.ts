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
 * overdue mail while the bench runs), whatever day that is. A year the calendar does not cover (past the package's
 * last) gets an override without holidays: weekends only, which is all a bench needs.
 */
export async function syntheticPlan(items: number, today = DateTime.now().setZone('Asia/Shanghai')): Promise<Plan> {
  const base = await shippedPlan();
  const day = (offset: number) => today.plus({ days: offset }).toISODate()!;
  const deliverables = Array.from({ length: items }, (_, i) => {
    const model = base.deliverables[i % base.deliverables.length]!;
    // Without the model's milestones (dated 2015), so every item is one deliverable with one due date, as before.
    return { ...model, id: `d${String(i + 1).padStart(5, '0')}`, number: i + 1, title: `${model.title}（${i + 1}）`, due: day(30 + (i % 11)), milestones: undefined };
  });
  const [start, end] = [day(-7), day(60)];
  const covered = new WorkingDayCalendar(base.timezone, base.calendar.overrides).coveredYears();
  const years = [...new Set([start, end].map((d) => Number(d.slice(0, 4))))].filter((year) => !covered.includes(year));
  const calendar = { ...base.calendar, overrides: [...base.calendar.overrides, ...years.map((year) => ({ year, holidays: [], workdays: [] }))] };
  // Deliverables only (no task items), so the item count is exactly `items`.
  return { ...base, id: `bench-${randomBytes(3).toString('hex')}`, start, end, calendar, deliverables, trackTasks: undefined };
}
