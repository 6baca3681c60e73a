/** Hands 交办通知 to the batch of each unit they are for, so a unit with several items on one day gets one mail. */
import { Context } from '@temporalio/activity';
import { assignmentBatchPart, assignmentBatchWorkflowId, assignmentsQueuedSignal, type Notification, type QueuedAssignment, type Recipient } from '../workflows/definitions.ts';
import type { assignmentBatchWorkflow } from '../workflows/assignment-batch.ts';
import { eachLimited } from './temporal-reads.ts';

/** How assignments are batched. */
export interface AssignmentBatching {
  /** Quiet window (workflow time) a batch waits after the last arriving notice before mailing. */
  readonly windowMs: number;
}

/** One assignment to queue: the notice (which batches it goes to) and what those batches are sent for it. */
export interface QueuedEntry {
  readonly notice: Notification;
  /** The notice itself, or a reference the mail activity builds it from (`assignment-refs.ts`). */
  readonly queued: QueuedAssignment;
}

/**
 * Signal-with-start on the batch of each (plan, unit, plan-local day, part of the plan's items) the notices are for,
 * one signal per batch (a plan's start activity hands over a whole start batch of items at once; the notice activity
 * one notice). The entries are in the batch's history before this returns, so a crash after it loses nothing; a retry
 * signals again and the batch drops the duplicates by key. `maxItemsPerSignal` keeps each payload well under
 * Temporal's limits. Runs on the worker's own task queue, through the worker's client (no secret passes: links are
 * minted at sending).
 */
export async function queueAssignments(entries: readonly QueuedEntry[], { windowMs }: AssignmentBatching, maxItemsPerSignal = 100): Promise<void> {
  const { client, info } = Context.current();
  const batches = new Map<string, { planId: string; unit: Recipient; queued: QueuedAssignment[] }>();
  for (const { notice, queued } of entries) {
    for (const unit of notice.to) {
      const workflowId = assignmentBatchWorkflowId(notice.planId, unit.unitId, notice.scheduledFor.slice(0, 10), assignmentBatchPart(notice.deliverable?.number));
      const batch = batches.get(workflowId) ?? { planId: notice.planId, unit, queued: [] };
      batch.queued.push(queued);
      batches.set(workflowId, batch);
    }
  }
  // Each batch's signals in order, the batches side by side: one after another, the start activity's twenty-odd
  // signals kept its lane of starts idle (bench, 3,000 items: a 250-item start activity ran 2.2–2.4 s, 2.0–2.1 s so).
  await eachLimited([...batches], signalConcurrency, async ([workflowId, { planId, unit, queued }]) => {
    for (let from = 0; from < queued.length; from += maxItemsPerSignal) {
      await client.workflow.signalWithStart<typeof assignmentBatchWorkflow, [QueuedAssignment[]]>('assignmentBatchWorkflow', {
        workflowId, taskQueue: info.taskQueue, args: [{ planId, unit, windowMs }],
        signal: assignmentsQueuedSignal, signalArgs: [queued.slice(from, from + maxItemsPerSignal)],
      });
    }
  });
}

/** Batches signalled at once, as many as the start activity starts items at once. */
const signalConcurrency = 16;
