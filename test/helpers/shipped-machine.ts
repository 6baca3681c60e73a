/** A DeliverableMachine over a deliverable of the shipped 2015 plan, driven directly (no server), for notice and state tests. */
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import type { Notification } from '../../workflows/definitions.ts';
import { DeliverableMachine } from '../../workflows/deliverable-machine.ts';

const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('the shipped plan does not validate');
/** The shipped 2015 plan. */
export const shippedPlan = loaded.plan;

/** The machine of a shipped deliverable that starts at plan time `start`. */
export function shippedMachine(deliverableId: string, start: number): DeliverableMachine {
  const input = deliverableInput(shippedPlan, deliverableId);
  return new DeliverableMachine(`${shippedPlan.id}/${deliverableId}`, input, DeliverableMachine.initialState(input, start));
}

/** Fires every scheduled notice up to `until`, returning what was sent. */
export function fireUntil(m: DeliverableMachine, until: number): Notification[] {
  const sent: Notification[] = [];
  for (let next = m.upcoming(0); next.length > 0 && next[0]!.at <= until; next = m.upcoming(0)) sent.push(...m.fire(next));
  return sent;
}
