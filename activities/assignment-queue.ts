/** Hands a 交办通知 to the batch of each unit it is for, so a unit with several items on one day gets one mail. */
import { Context } from '@temporalio/activity';
import { assignmentBatchWorkflowId, assignmentQueuedSignal, assignmentsQueuedSignal, type Notification, type Recipient } from '../workflows/definitions.ts';
import type { assignmentBatchWorkflow } from '../workflows/assignment-batch.ts';

/** How assignments are batched. */
export interface AssignmentBatching {
  /** Quiet window (workflow time) a batch waits after the last arriving notice before mailing. */
  readonly windowMs: number;
}

/**
 * Signal-with-start on the batch of (plan, unit, plan-local day): the notice is in the batch's history before this
 * returns, so a crash after it loses nothing; a retry signals again and the batch drops the duplicate by key.
 * Runs on the worker's own task queue, through the worker's client (no secret passes: links are minted at sending).
 */
export async function queueAssignment(notice: Notification, { windowMs }: AssignmentBatching): Promise<void> {
  const { client, info } = Context.current();
  const day = notice.scheduledFor.slice(0, 10);
  for (const unit of notice.to) {
    await client.workflow.signalWithStart<typeof assignmentBatchWorkflow, [Notification]>('assignmentBatchWorkflow', {
      workflowId: assignmentBatchWorkflowId(notice.planId, unit.unitId, day),
      taskQueue: info.taskQueue,
      args: [{ planId: notice.planId, unit, windowMs }],
      signal: assignmentQueuedSignal,
      signalArgs: [notice],
    });
  }
}

/**
 * Hands many 交办通知 to their units' batches with one signal per batch (per plan, unit and day) instead of one per
 * notice and unit: what a plan's start activity does for each batch of items it started. Same guarantees as
 * {@link queueAssignment}; `maxItemsPerSignal` keeps each signal's payload well under Temporal's limits.
 */
export async function queueAssignments(notices: readonly Notification[], { windowMs }: AssignmentBatching, maxItemsPerSignal = 100): Promise<void> {
  const { client, info } = Context.current();
  const batches = new Map<string, { planId: string; unit: Recipient; notices: Notification[] }>();
  for (const notice of notices) {
    for (const unit of notice.to) {
      const workflowId = assignmentBatchWorkflowId(notice.planId, unit.unitId, notice.scheduledFor.slice(0, 10));
      const batch = batches.get(workflowId) ?? { planId: notice.planId, unit, notices: [] };
      batch.notices.push(notice);
      batches.set(workflowId, batch);
    }
  }
  for (const [workflowId, { planId, unit, notices: queued }] of batches) {
    for (let from = 0; from < queued.length; from += maxItemsPerSignal) {
      await client.workflow.signalWithStart<typeof assignmentBatchWorkflow, [Notification[]]>('assignmentBatchWorkflow', {
        workflowId, taskQueue: info.taskQueue, args: [{ planId, unit, windowMs }],
        signal: assignmentsQueuedSignal, signalArgs: [queued.slice(from, from + maxItemsPerSignal)],
      });
    }
  }
}
