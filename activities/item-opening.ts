/**
 * How a plan's start activity opens one item: its input built from the plan snapshot, the attributes and memo it is
 * started with, and its 交办通知. The mail activity builds a queued reference's notice the same way
 * (`assignment-refs.ts`), so both tell the units what the item recorded.
 */
import { deliverableInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { openingStart } from '../workflows/deliverable-attributes.ts';
import { deliverableWorkflowId, type ItemStartContext } from '../workflows/definitions.ts';

/** Item `deliverableId` of `plan` opened at plan time `now`; with `queueAssignment`, its 交办通知 is the starter's to queue. */
export function itemOpening(plan: Plan, start: ItemStartContext, deliverableId: string, now: number, { queueAssignment }: { queueAssignment: boolean }) {
  const workflowId = deliverableWorkflowId(plan.id, deliverableId);
  const built = deliverableInput(plan, deliverableId, { clockOffsetMs: start.clockOffsetMs });
  // An item with a send hour of its own is in no round (rounds run at the plan's): it mails its own.
  const inRounds = start.noticeRounds?.sendHour === built.policy.sendHour;
  const opening = { ...built, planWorkflowId: start.planWorkflowId, ...(inRounds ? { noticeRounds: true } : {}) };
  return { workflowId, ...openingStart(workflowId, opening, now, { queueAssignment }) };
}
