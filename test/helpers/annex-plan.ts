/** The shipped plan's annex deliverables only (no task items): small plans for the mid-year change tests. */
import type { Plan } from '../../config/plan-schema.ts';
import { shippedPlan } from './web-stack.ts';

/** The shipped plan without `trackTasks`. */
export async function annexPlan(): Promise<Plan> {
  const plan: Plan = { ...(await shippedPlan()) };
  delete plan.trackTasks;
  return plan;
}
