/** WORKER_CACHED_WORKFLOWS and WORKER_WORKFLOW_HEAP_MB: checked where they are read, and applied to the worker. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from '../config/environment.ts';
import { createDubanWorker, maxCachedWorkflows } from '../worker/create-worker.ts';
import { startTimeSkippingServer } from './helpers/temporal-servers.ts';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingServer();
}, 60_000);
afterAll(async () => {
  await env?.teardown();
});

describe('worker memory settings', () => {
  it('reads whole numbers in range and refuses anything else, naming the variable', () => {
    expect(readEnvironment({}).workerMemory).toEqual({ cachedWorkflows: undefined, workflowHeapMb: undefined });
    expect(readEnvironment({ WORKER_CACHED_WORKFLOWS: '250', WORKER_WORKFLOW_HEAP_MB: '192' }).workerMemory).toEqual({ cachedWorkflows: 250, workflowHeapMb: 192 });
    for (const [name, value] of [['WORKER_CACHED_WORKFLOWS', '0'], ['WORKER_CACHED_WORKFLOWS', '2.5'], ['WORKER_CACHED_WORKFLOWS', 'many'], ['WORKER_WORKFLOW_HEAP_MB', '32'], ['WORKER_WORKFLOW_HEAP_MB', '-1']] as const) {
      expect(() => readEnvironment({ [name]: value }), `${name}=${value}`).toThrow(EnvironmentError);
      expect(() => readEnvironment({ [name]: value })).toThrow(new RegExp(`${name} must be a whole number from \\d+ to \\d+, got "${value.replace('.', '\\.')}"`));
    }
  });

  it('sizes the worker\'s workflow cache as set, and keeps the measured default otherwise', async () => {
    const sink = { deliver: async () => undefined };
    const connection = env.nativeConnection;
    const sized = await createDubanWorker({ connection, namespace: 'default', sink, taskQueue: 'memory-sized', memory: { cachedWorkflows: 7 } });
    const standard = await createDubanWorker({ connection, namespace: 'default', sink, taskQueue: 'memory-default' });
    expect(sized.options.maxCachedWorkflows).toBe(7);
    expect(standard.options.maxCachedWorkflows).toBe(maxCachedWorkflows);
    // Started and stopped, so they let go of the connection before the server goes.
    await Promise.all([sized.runUntil(async () => undefined), standard.runUntil(async () => undefined)]);
  });
});
