/** Builds a duban worker: every workflow, and activities wired to real dependencies. */
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { taskQueue as defaultTaskQueue } from '../workflows/definitions.ts';

const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

/** What a worker needs from its caller. */
export interface WorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly sink: NotificationSink;
  readonly taskQueue?: string;
  /** Quiet window for combining a unit's 交办通知 into one mail (ASSIGNMENT_BATCH_SECONDS); 0 mails each at once. Default 2 minutes. */
  readonly assignmentBatchMs?: number;
}

/** A worker polling duban's task queue; more of them on the same queue scale out. */
export function createDubanWorker({ connection, namespace, sink, taskQueue = defaultTaskQueue, assignmentBatchMs = 120_000 }: WorkerOptions): Promise<Worker> {
  const assignmentBatching = assignmentBatchMs > 0 ? { windowMs: assignmentBatchMs } : undefined;
  return Worker.create({ connection, namespace, taskQueue, workflowsPath, activities: createActivities({ sink, assignmentBatching }) });
}
