/** The plans the benches run: the shipped 2015 plan under a fresh id, and a plan of any size made from its items. */
import { randomBytes } from 'node:crypto';
import { loadPlanFile } from '../../config/load-plan.ts';
import type { Plan } from '../../config/plan-schema.ts';

const shippedPlanPath = new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname;

/** The shipped 2015 plan, under an id of its own so runs do not meet each other's workflows. */
export async function shippedPlan(): Promise<Plan> {
  const loaded = await loadPlanFile(shippedPlanPath);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  return { ...loaded.plan, id: `bench-year-${randomBytes(3).toString('hex')}` };
}

/** The shipped plan's units, tasks and policy with `items` deliverables due through December 2026 (after today: no overdue mail). */
export async function syntheticPlan(items: number): Promise<Plan> {
  const base = await shippedPlan();
  const deliverables = Array.from({ length: items }, (_, i) => {
    const model = base.deliverables[i % base.deliverables.length]!;
    // Without the model's milestones (dated 2015), so every item is one deliverable with one due date, as before.
    return { ...model, id: `d${String(i + 1).padStart(5, '0')}`, number: i + 1, title: `${model.title}（${i + 1}）`, due: `2026-12-${String(20 + (i % 11)).padStart(2, '0')}`, milestones: undefined };
  });
  // Deliverables only (no task items), so the item count is exactly `items`.
  return { ...base, id: `bench-${randomBytes(3).toString('hex')}`, start: '2026-01-05', end: '2026-12-31', deliverables, trackTasks: undefined };
}
