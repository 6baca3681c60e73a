/**
 * The 交办通知 of one unit on one plan day, combined: notices arriving within a quiet window go out as one mail
 * listing every item; a permanent failure is reported back to each deliverable the mail was for.
 */
import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, getExternalWorkflowHandle, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { assignmentQueuedSignal, assignmentsQueuedSignal, deliveryFailedSignal, type AssignmentBatchInput, type QueuedAssignment } from './definitions.ts';
import { deliverAssignments } from './notify-activity.ts';

/** More items than this go out in several mails: one mail (and one activity payload) stays well under Temporal's size limits. */
export const maxItemsPerMail = 200;

/** What a batch did, for tests and the workflow's result in the UI. */
export interface AssignmentBatchResult {
  readonly mails: number;
  readonly notices: number;
  /** Notices whose mail failed for good. */
  readonly failed: number;
}

/** Collects, mails and reports; `carried` holds notices queued but not yet mailed when a run continues as new. */
export async function assignmentBatchWorkflow(input: AssignmentBatchInput, carried: QueuedAssignment[] = []): Promise<AssignmentBatchResult> {
  const queue: QueuedAssignment[] = [...carried];
  // A notice handed over twice (its activity retried after the signal landed) is mailed once per run.
  const seen = new Set(queue.map((n) => n.key));
  let arrivals = 0;
  const result = { mails: 0, notices: 0, failed: 0 };

  const arrive = (notice: QueuedAssignment) => {
    if (seen.has(notice.key)) return;
    seen.add(notice.key);
    queue.push(notice);
    arrivals += 1;
  };
  setHandler(assignmentQueuedSignal, arrive);
  setHandler(assignmentsQueuedSignal, (notices) => notices.forEach(arrive));

  for (;;) {
    await collect(input, () => arrivals);
    while (queue.length > 0) {
      const batch = queue.splice(0, maxItemsPerMail);
      await send(input, batch, result);
    }
    // A notice signalled while the mail went out is not lost: it starts the next round (or, once this run has
    // returned, a new run of the same workflow id).
    await condition(allHandlersFinished);
    if (queue.length === 0) return result;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof assignmentBatchWorkflow>(input, queue);
  }
}

/** Waits until no notice has arrived for one window, but no longer than the maximum wait. */
async function collect(input: AssignmentBatchInput, arrivals: () => number): Promise<void> {
  const deadline = Date.now() + (input.maxWaitMs ?? input.windowMs * 5);
  for (;;) {
    const before = arrivals();
    const left = deadline - Date.now();
    if (left <= 0) return;
    if (!(await condition(() => arrivals() !== before, Math.min(input.windowMs, left)))) return;
  }
}

/** One mail for `batch`; on a permanent failure every deliverable in it hears of it. */
async function send(input: AssignmentBatchInput, batch: QueuedAssignment[], result: { mails: number; notices: number; failed: number }): Promise<void> {
  // The first notice's key names the batch: a notice is in one batch only, so the mail's Message-ID is stable on retry and unique.
  const batchKey = `${workflowInfo().workflowId}#${batch[0]!.key}`;
  try {
    await deliverAssignments(input.unit, batch, batchKey);
    result.mails += 1;
    result.notices += batch.length;
  } catch (err) {
    result.failed += batch.length;
    const error = failureMessage(err);
    await Promise.all(batch.map((notice) =>
      // A deliverable closed in the meantime cannot record it any more; the failure stays in this workflow's history.
      getExternalWorkflowHandle(notice.workflowId)
        .signal(deliveryFailedSignal, { key: notice.key, kind: 'assignment', to: [input.unit], error })
        .catch(() => undefined)));
  }
}

function failureMessage(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof ApplicationFailure) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
