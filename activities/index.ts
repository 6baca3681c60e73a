/** The activities duban's workflows call, built from their dependencies so tests can pass their own. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Notification, QueuedAssignment, Recipient } from '../workflows/definitions.ts';
import { deliveredNotice, type PackedNotice } from '../workflows/notice-packing.ts';
import { queueAssignments, type AssignmentBatching } from './assignment-queue.ts';
import { assignmentNotices } from './assignment-refs.ts';
import { PermanentDeliveryError, type NotificationSink } from './notification-sink.ts';
import { createNoticeRound } from './notice-round.ts';
import { createPlanActivities } from './plan-activities.ts';
import { createSnapshotReader } from './plan-snapshots.ts';
import { createAddressBooks, withCurrentAddresses } from './mail/current-addresses.ts';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  readonly sink: NotificationSink;
  /** Where `duban plan start` stored plan snapshots (DATA_DIR/plans); a temporary folder when not given. */
  readonly snapshotDir?: string;
  /** When set, 交办通知 go to per-unit batches that mail them combined; when absent, each is mailed at once. */
  readonly assignmentBatching?: AssignmentBatching;
  /** How long a plan's address book is used before the plan is asked again (default one minute; tests use less). */
  readonly addressBookTtlMs?: number;
}

/** Builds the activity functions a worker registers. */
export function createActivities({ sink: given, snapshotDir, assignmentBatching, addressBookTtlMs }: ActivityDeps) {
  const readPlan = createSnapshotReader(snapshotDir);
  // Every mail, whichever activity sends it, goes to the addresses the plan lists now.
  const sink = withCurrentAddresses(given, createAddressBooks({ readPlan, ...(addressBookTtlMs === undefined ? {} : { ttlMs: addressBookTtlMs }) }));
  const plans = createPlanActivities({ readPlan, sink, assignmentBatching });
  return {
    /** Delivers one notice (an assignment to its units' batches, when batching is on); permanent failures become non-retryable. */
    async deliverNotification(given: Notification | PackedNotice): Promise<void> {
      const notification = deliveredNotice(given);
      if (assignmentBatching && notification.kind === 'assignment' && notification.cc.length === 0) {
        await queueAssignments([{ notice: notification, queued: notification }], assignmentBatching);
        return;
      }
      await permanentAsNonRetryable(() => sink.deliver(notification));
    },
    /** Delivers one unit's batch of assignments as one mail (or one by one, for a sink that cannot combine them). */
    async deliverAssignments(unit: Recipient, queued: readonly QueuedAssignment[], batchKey: string): Promise<void> {
      await permanentAsNonRetryable(async () => {
        const notices = await assignmentNotices(queued, readPlan);
        if (sink.deliverAssignments) return sink.deliverAssignments(unit, notices, batchKey);
        for (const notice of notices) await sink.deliver({ ...notice, to: [unit], cc: [] });
      });
    },
    startDeliverables: plans.startDeliverables,
    /** Mails every notice a plan's items published for one send slot, and tells each item it mailed for. */
    deliverNoticeRound: createNoticeRound({ readPlan, sink }),
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
