/** Builds a duban worker: every workflow, and activities wired to real dependencies. */
import { setFlagsFromString } from 'node:v8';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { taskQueue as defaultTaskQueue } from '../workflows/definitions.ts';
import { loadWorkflowBundle } from './workflow-bundle.ts';

/**
 * Workflows kept in memory between tasks, and the heap of the thread that runs them (WORKER_CACHED_WORKFLOWS and
 * WORKER_WORKFLOW_HEAP_MB override both). Measured with `npm run bench`, the workflow code and libraries preloaded: a
 * worker with 10,000 open deliverables and 500 cached holds 409–449 MB (the no-op floor's worker, all cached, 1.1–1.2 GB);
 * with all 10,000 cached it holds 1.86 GB (~165 KB per cached deliverable) and a link confirmation of an old item
 * is quicker by the replay it no longer needs (p99 0.84× a raw update instead of ~1.5×). A person's confirmation
 * gains that without the memory: the link's page asks the item's state first, which replays it into the cache, so the
 * button's update meets it cached. The uncached replay their short histories on their next timer or action. Without
 * a heap limit V8 lets evicted workflows' garbage pile up to gigabytes before collecting it; 160 MB instead of 256 MB
 * made no difference to the worker's memory.
 */
export const maxCachedWorkflows = 500;
const workflowThreadHeapMb = 256;
/**
 * Workflow tasks the worker takes on at once. They all run on one workflow thread, so a task taken beyond what that
 * thread can work through waits inside this worker, and its wait counts in the task's time (with 40, the SDK's
 * default, the start of a large plan showed 2 s tasks that were mostly waiting). Five keep the thread busy; the rest
 * wait on the server, where another worker on the queue can take them. Bench: longest task at 1,000 items 688–746 ms
 * with 40, 350–560 ms with 10; at 10,000 items 2,081 ms with 40, 418, 295, 1,273 and 372 ms with 10 (runs E16–E19;
 * the 1,273 ms a task of the plan's while the backlog of first tasks ran and the 交办通知 batches were mailed), 283 and
 * 422 ms with 5 (E20, E21), and the backlog after the start drained in 219 s with 5 against 240–246 s with 10.
 * Confirmations (`npm run bench:confirm`, two runs each) and mail throughput unchanged within the box's noise; the
 * start rate 0.74× and 0.75× with 5 against 0.77–0.95× with 10 (E16–E19), inside the swing of all runs (0.53–0.95×).
 */
const maxConcurrentWorkflowTasks = 5;

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
  /** Quiet window for combining a unit's 交办通知 into one mail (ASSIGNMENT_BATCH_SECONDS); 0 mails each at once. Default 2 minutes. */
  readonly assignmentBatchMs?: number;
  /** WORKER_CACHED_WORKFLOWS and WORKER_WORKFLOW_HEAP_MB, when an operator sets them (default {@link maxCachedWorkflows}, {@link workflowThreadHeapMb}). */
  readonly memory?: { readonly cachedWorkflows?: number; readonly workflowHeapMb?: number };
  /** How long a plan's address book is used before the plan is asked again (default one minute). */
  readonly addressBookTtlMs?: number;
}

/** A worker polling duban's task queue; more of them on the same queue scale out. */
export async function createDubanWorker({ connection, namespace, sink, taskQueue = defaultTaskQueue, snapshotDir, log, assignmentBatchMs = 120_000, memory, addressBookTtlMs }: WorkerOptions): Promise<Worker> {
  // Applies to isolates created from now on: the workflow thread the SDK is about to start.
  setFlagsFromString(`--max-old-space-size=${memory?.workflowHeapMb ?? workflowThreadHeapMb}`);
  const assignmentBatching = assignmentBatchMs > 0 ? { windowMs: assignmentBatchMs } : undefined;
  return Worker.create({
    connection, namespace, taskQueue, activities: createActivities({ sink, snapshotDir, assignmentBatching, addressBookTtlMs }),
    workflowBundle: await loadWorkflowBundle({ log }), maxCachedWorkflows: memory?.cachedWorkflows ?? maxCachedWorkflows, maxConcurrentWorkflowTaskExecutions: maxConcurrentWorkflowTasks,
  });
}
