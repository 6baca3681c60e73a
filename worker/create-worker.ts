/** Builds a duban worker: every workflow, and activities wired to real dependencies. */
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { taskQueue as defaultTaskQueue } from '../workflows/definitions.ts';
import { loadWorkflowBundle } from './workflow-bundle.ts';

/**
 * Workflows kept in memory between tasks. Measured with `npm run bench` (preloaded libraries): an open deliverable
 * costs ~50 KB of worker heap when cached, so 3,000 stay well inside the 600 MB budget; the rest replay their short
 * histories on their next timer or action.
 */
export const maxCachedWorkflows = 3_000;

/** What a worker needs from its caller. */
export interface WorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly sink: NotificationSink;
  readonly taskQueue?: string;
  /** Where `duban plan start` stores plan snapshots (DATA_DIR/plans); a temporary folder when not given. */
  readonly snapshotDir?: string;
  /** Told how long a fresh bundle took (shown once, when the workflow code changed). */
  readonly log?: (line: string) => void;
}

/** A worker polling duban's task queue; more of them on the same queue scale out. */
export async function createDubanWorker({ connection, namespace, sink, taskQueue = defaultTaskQueue, snapshotDir, log }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection, namespace, taskQueue, activities: createActivities({ sink, snapshotDir }),
    workflowBundle: await loadWorkflowBundle({ log }), maxCachedWorkflows,
  });
}
