/** The activities duban's workflows call, built from their dependencies so tests can pass their own. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Notification } from '../workflows/definitions.ts';
import { PermanentDeliveryError, type NotificationSink } from './notification-sink.ts';
import { findStoppedDeliverables } from './stopped-deliverables.ts';
import { createPlanActivities } from './plan-activities.ts';
import { createSnapshotReader } from './plan-snapshots.ts';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  readonly sink: NotificationSink;
  /** Where `duban plan start` stored plan snapshots (DATA_DIR/plans); a temporary folder when not given. */
  readonly snapshotDir?: string;
}

/** Builds the activity functions a worker registers. */
export function createActivities({ sink, snapshotDir }: ActivityDeps) {
  const plans = createPlanActivities({ readPlan: createSnapshotReader(snapshotDir), sink });
  return {
    /** Delivers one notice; permanent failures become non-retryable so the workflow can record them. */
    async deliverNotification(notification: Notification): Promise<void> {
      await permanentAsNonRetryable(() => sink.deliver(notification));
    },
    findStoppedDeliverables,
    startDeliverables: plans.startDeliverables,
    /** The plan's aggregate, and its digest or final report when one is given. */
    planReport: (request: Parameters<typeof plans.planReport>[0]) => permanentAsNonRetryable(() => plans.planReport(request)),
  };
}

async function permanentAsNonRetryable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PermanentDeliveryError) throw ApplicationFailure.nonRetryable(err.message, 'PermanentDeliveryError');
    throw err;
  }
}

export type Activities = ReturnType<typeof createActivities>;
