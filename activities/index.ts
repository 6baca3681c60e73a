/** The activities duban's workflows call, built from their dependencies so tests can pass their own. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Notification } from '../workflows/definitions.ts';
import { PermanentDeliveryError, type NotificationSink } from './notification-sink.ts';
import { findStoppedDeliverables } from './stopped-deliverables.ts';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  readonly sink: NotificationSink;
}

/** Builds the activity functions a worker registers. */
export function createActivities({ sink }: ActivityDeps) {
  return {
    /** Delivers one notice; permanent failures become non-retryable so the workflow can record them. */
    async deliverNotification(notification: Notification): Promise<void> {
      try {
        await sink.deliver(notification);
      } catch (err) {
        if (err instanceof PermanentDeliveryError) throw ApplicationFailure.nonRetryable(err.message, 'PermanentDeliveryError');
        throw err;
      }
    },
    findStoppedDeliverables,
  };
}

export type Activities = ReturnType<typeof createActivities>;
