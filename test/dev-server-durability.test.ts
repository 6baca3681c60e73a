import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startDevServer } from './helpers/temporal-servers.ts';
import { proceedSignal, stageQuery, waitForProceed } from './fixtures/foundation-workflows.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'duban-devserver-'));
const dbFilename = join(dataDir, 'temporal.sqlite');
const workflowsPath = new URL('./fixtures/foundation-workflows.ts', import.meta.url).pathname;
let env: TestWorkflowEnvironment | undefined;

afterAll(async () => {
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the dev server with a SQLite file', () => {
  it('keeps a waiting workflow across a server restart (its file a write-ahead log), and the workflow completes when signalled', async () => {
    const taskQueue = `durability-${randomUUID()}`;
    const workflowId = `durability-${randomUUID()}`;

    env = await startDevServer({ dbFilename });
    const firstWorker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath });
    await firstWorker.runUntil(async () => {
      const handle = await env!.client.workflow.start(waitForProceed, { taskQueue, workflowId });
      expect(await handle.query(stageQuery)).toBe('waiting');
    });
    await env.teardown();
    env = undefined;
    // As `duban dev` runs it: a write-ahead log (bytes 18 and 19 of a SQLite header: 1 a rollback journal, 2 WAL).
    expect([...readFileSync(dbFilename).subarray(18, 20)]).toEqual([2, 2]);

    env = await startDevServer({ dbFilename });
    const handle = env.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const secondWorker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath });
    const result = await secondWorker.runUntil(async () => {
      await handle.signal(proceedSignal, 'after restart');
      return handle.result();
    });
    expect(result).toBe('proceeded with after restart');
  }, 180_000);
});
