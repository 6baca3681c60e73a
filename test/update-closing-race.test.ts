/**
 * An action that meets its item closing. Once in a run of the suite (a loop on this box, with a bench beside it) a
 * 督办 sent right after a 撤销 got a 500: the server answered the update with a service error of its own (the
 * SDK's "Workflow Update failed") instead of the NotFound it gives a closed workflow. That race cannot be forced,
 * so the server's answer is put in by a client interceptor; the server, the worker and the workflows are real. A
 * workflow no longer running is refused (409 in the console, the "has ended" page for a unit's link); one still
 * running rethrows, as a real failure must.
 */
import { randomUUID } from 'node:crypto';
import { Client, ServiceError, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { ActionRejectedError, createTemporalGateway } from '../web/deliverable-gateway.ts';
import { DeliverableNotFoundError, createConsoleGateway } from '../web/console/console-gateway.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { cancelUpdate, deliverableWorkflowId } from '../workflows/definitions.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const taskQueue = `closing-race-${randomUUID().slice(0, 8)}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let plan: Plan;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, sink: { deliver: async () => undefined } });
  running = worker.run();
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  plan = { ...loaded.plan, id: `closing-race-${randomUUID().slice(0, 8)}` };
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** Item d13 of the plan, started on its own; cancelled (and so closed) when `closed`. */
async function item(closed: boolean): Promise<string> {
  const workflowId = `${deliverableWorkflowId(plan.id, 'd13')}/${randomUUID().slice(0, 8)}`;
  const input = { ...deliverableInput(plan, 'd13', { clockOffsetMs: beijing('2015-04-08 10:00') - Date.now() }), planWorkflowId: undefined };
  const handle = await env.client.workflow.start('deliverableWorkflow', { taskQueue, workflowId, args: [input] });
  if (closed) {
    await handle.executeUpdate(cancelUpdate, { args: [{ by: '督查室', reason: '任务调整' }] });
    await handle.result();
  }
  return workflowId;
}

/** A client whose every update is answered by `answer` (what the server said in the race), all else real. */
function clientAnswering(answer: Error): Client {
  const interceptor: WorkflowClientInterceptor = {
    startUpdate: async () => Promise.reject(answer),
  };
  return new Client({ connection: env.client.connection, namespace: 'default', interceptors: { workflow: [interceptor] } });
}

/** A gRPC error as the SDK receives it from the server. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

const closing = new ServiceError('Workflow Update failed', { cause: grpcError(8, 'workflow operation can not be applied because workflow is closing') });
const other = new ServiceError('Workflow Update failed', { cause: grpcError(9, 'something else went wrong') });

describe('an action meeting its item closing', () => {
  it('is refused in the console when the server says the workflow is closing', async () => {
    const console = createConsoleGateway(clientAnswering(closing));
    await expect(console.escalate(await item(false), { by: '督查室', remark: '再督办' })).rejects.toBeInstanceOf(DeliverableNotFoundError);
  });

  it('is refused in the console and on a unit’s link when the update failed otherwise and the item has closed', async () => {
    const workflowId = await item(true);
    await expect(createConsoleGateway(clientAnswering(other)).escalate(workflowId, { by: '督查室', remark: '再督办' })).rejects.toBeInstanceOf(DeliverableNotFoundError);
    await expect(createTemporalGateway(clientAnswering(other)).confirm(workflowId, { unitId: 'zonghe' })).rejects.toThrow(new ActionRejectedError(`事项 ${workflowId} 不存在或已结束`));
  });

  it('is still a failure when the item is running and the server did not say it is closing', async () => {
    const workflowId = await item(false);
    await expect(createConsoleGateway(clientAnswering(other)).escalate(workflowId, { by: '督查室', remark: '再督办' })).rejects.toBe(other);
    await expect(createTemporalGateway(clientAnswering(other)).confirm(workflowId, { unitId: 'zonghe' })).rejects.toBe(other);
  });
});
