/**
 * What the plan's start activity sends the server to start one item: its input, its memo (the round publication)
 * and its search attributes. Floors that start no-op workflows with these very bytes measure what Temporal costs
 * for the same start request, apart from what duban's workflows then do.
 */
import type { WorkflowStartOptions } from '@temporalio/client';
import { itemOpening } from '../../activities/item-opening.ts';
import { planWorkflowInput } from '../../config/plan-inputs.ts';
import type { Plan } from '../../config/plan-schema.ts';
import { planWorkflowId } from '../../workflows/definitions.ts';
import { identityAttributes } from '../../workflows/deliverable-attributes.ts';

export type ItemStartRequest = Required<Pick<WorkflowStartOptions, 'args' | 'typedSearchAttributes'>> & Pick<WorkflowStartOptions, 'memo'>;

/**
 * A maker of the request for an item of `plan` at epoch ms `now`, as `startDeliverables` builds it; `noticeRounds`
 * as `duban plan start` decides it unless given (a small plan in rounds still carries its items' publications).
 */
export function itemStartRequests(plan: Plan, { noticeRounds }: { noticeRounds?: boolean } = {}): (deliverableId: string, now: number) => ItemStartRequest {
  const planInput = planWorkflowInput(plan, { planRef: 'bench', ...(noticeRounds === undefined ? {} : { noticeRounds }) });
  const start = {
    planRef: 'bench', planWorkflowId: planWorkflowId(plan.id), clockOffsetMs: 0,
    ...(planInput.noticeRounds ? { noticeRounds: { sendHour: planInput.sendHour } } : {}),
  };
  return (deliverableId, now) => {
    const { input, attributes, memo } = itemOpening(plan, start, deliverableId, now, { queueAssignment: true });
    return {
      args: [input], ...(memo ? { memo } : {}),
      typedSearchAttributes: [...identityAttributes(input), ...attributes],
    };
  };
}
