import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimeSkippingServer } from './helpers/temporal-servers.ts';
import { sleepDays } from './fixtures/foundation-workflows.ts';

const day = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingServer();
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

describe('the time-skipping test server from the registry', () => {
  it('runs a workflow with a 30-day timer to completion by skipping time', async () => {
    const taskQueue = `sleep-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: new URL('./fixtures/foundation-workflows.ts', import.meta.url).pathname,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(sleepDays, { args: [30], taskQueue, workflowId: `sleep-${randomUUID()}` }),
    );
    expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(30 * day);
    expect(result.wokeAt - result.startedAt).toBeLessThan(31 * day);
  }, 120_000);
});
