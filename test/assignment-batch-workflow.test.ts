/** The assignment batch on the time-skipping server: quiet window, duplicates dropped, late notices never lost. */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { sampleAssignmentBatch, sampleUnits } from '../devtools/sample-notifications.ts';
import type { assignmentBatchWorkflow } from '../workflows/assignment-batch.ts';
import { assignmentQueuedSignal, type Notification } from '../workflows/definitions.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { startTimeSkippingServer } from './helpers/temporal-servers.ts';

const windowMs = 120_000;
const taskQueue = `batch-wf-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
/** Each combined delivery: the keys it carried. */
const deliveries: string[][] = [];
/** While set, a delivery waits for it: the test holds a mail "in flight". */
let hold: Promise<void> | undefined;

const sink: NotificationSink = {
  async deliver() {
    throw new Error('assignments must arrive combined');
  },
  async deliverAssignments(_unit, notices) {
    deliveries.push(notices.map((n) => n.key));
    await hold;
  },
};

beforeAll(async () => {
  env = await startTimeSkippingServer();
  worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname,
    activities: createActivities({ sink, assignmentBatching: { windowMs } }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const [a, b, c] = sampleAssignmentBatch();
const queue = (workflowId: string, notice: Notification) =>
  env.client.workflow.signalWithStart<typeof assignmentBatchWorkflow, [Notification]>('assignmentBatchWorkflow', {
    workflowId, taskQueue, args: [{ planId: 'xinfang-2015', unit: sampleUnits.yanjiu, windowMs }], signal: assignmentQueuedSignal, signalArgs: [notice],
  });

describe('the assignment batch of one unit', () => {
  it('mails notices arriving within the window together, drops a repeated one, and sends a late one in a second mail', async () => {
    const workflowId = `batch-${randomUUID()}`;
    const before = deliveries.length;
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    await queue(workflowId, a!);
    await queue(workflowId, b!);
    // A retried hand-over signals the same notice again.
    await queue(workflowId, a!);
    await env.sleep(windowMs + 1_000);
    await waitFor('the first combined delivery', () => deliveries[before], 30_000, 20);
    // Arrives while the first mail is in flight: it must not vanish with the finishing batch.
    const late = await queue(workflowId, c!);
    release();
    hold = undefined;
    expect(await late.result()).toEqual({ mails: 2, notices: 3, failed: 0 });
    expect(deliveries.slice(before)).toEqual([[a!.key, b!.key], [c!.key]]);
  });

  it('starts a new batch under the same id for a notice arriving after the batch has finished', async () => {
    const workflowId = `batch-${randomUUID()}`;
    const first = await queue(workflowId, a!);
    expect(await first.result()).toEqual({ mails: 1, notices: 1, failed: 0 });
    const second = await queue(workflowId, b!);
    expect(second.signaledRunId).not.toBe(first.signaledRunId);
    expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ mails: 1, notices: 1, failed: 0 });
  });
});
