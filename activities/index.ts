/** The activities duban's workflows call, built from their dependencies so tests can pass their own. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Notification, Recipient } from '../workflows/definitions.ts';
import { queueAssignment, type AssignmentBatching } from './assignment-queue.ts';
import { PermanentDeliveryError, type NotificationSink } from './notification-sink.ts';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  readonly sink: NotificationSink;
  /** When set, 交办通知 go to per-unit batches that mail them combined; when absent, each is mailed at once. */
  readonly assignmentBatching?: AssignmentBatching;
}

/** Runs a delivery; permanent failures become non-retryable so the workflow can record them. */
async function delivering(send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (err) {
    if (err instanceof PermanentDeliveryError) throw ApplicationFailure.nonRetryable(err.message, 'PermanentDeliveryError');
    throw err;
  }
}

/** Builds the activity functions a worker registers. */
export function createActivities({ sink, assignmentBatching }: ActivityDeps) {
  return {
    /** Delivers one notice (an assignment to its units' batches, when batching is on). */
    async deliverNotification(notification: Notification): Promise<void> {
      if (assignmentBatching && notification.kind === 'assignment' && notification.cc.length === 0) {
        await queueAssignment(notification, assignmentBatching);
        return;
      }
      await delivering(() => sink.deliver(notification));
    },

    /** Delivers one unit's batch of assignments as one mail (or one by one, for a sink that cannot combine them). */
    async deliverAssignments(unit: Recipient, notices: readonly Notification[], batchKey: string): Promise<void> {
      await delivering(async () => {
        if (sink.deliverAssignments) return sink.deliverAssignments(unit, notices, batchKey);
        for (const notice of notices) await sink.deliver({ ...notice, to: [unit], cc: [] });
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
