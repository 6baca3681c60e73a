/**
 * The plan's start activity queues its items' 交办通知 in the units' batches: once per item it started, again on a
 * retried attempt (it cannot know whether the failed attempt got that far), never for items a plan started again
 * finds running. Run against a real server, with the activity in a mocked activity context and no worker, so the
 * batches only collect what they are sent.
 */
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities } from '../activities/plan-activities.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import { queueAssignments } from '../activities/assignment-queue.ts';
import { sampleAssignmentBatch, sampleUnits } from '../devtools/sample-notifications.ts';
import {
  assignmentBatchWorkflowId, deliverableWorkflowId, isAssignmentRef, itemsPerAssignmentBatch, type Notification, type QueuedAssignment,
} from '../workflows/definitions.ts';
import { registerSearchAttributes } from '../worker/register-search-attributes.ts';
import { startTimeSkippingServer } from './helpers/temporal-servers.ts';

let env: TestWorkflowEnvironment;
let plan: Plan;
beforeAll(async () => {
  env = await startTimeSkippingServer();
  await registerSearchAttributes(env.connection, 'default');
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  plan = { ...loaded.plan, id: `queue-${randomUUID().slice(0, 8)}` };
}, 60_000);
afterAll(async () => {
  await env?.teardown();
});

/** What each signal to a batch carried, in order. */
async function signalled(batchWorkflowId: string): Promise<QueuedAssignment[][]> {
  const history = await env.client.workflow.getHandle(batchWorkflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => {
    return defaultPayloadConverter.fromPayload<QueuedAssignment[]>(e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!);
  });
}

/** The keys each signal to a batch carried, in order. */
async function signalledKeys(batchWorkflowId: string): Promise<string[][]> {
  return (await signalled(batchWorkflowId)).map((entries) => entries.map((n) => n.key));
}

describe("the plan's start activity", () => {
  it('queues each started item once, again when retried, and not for items a second start finds running', async () => {
    const taskQueue = `queue-${randomUUID()}`;
    const activities = createPlanActivities({ readPlan: async () => plan, sink: { deliver: async () => undefined }, assignmentBatching: { windowMs: 60_000 } });
    const at = DateTime.fromISO('2015-01-05T08:00', { zone: plan.timezone }).toMillis();
    const batch = { planRef: 'unused', planWorkflowId: plan.id, deliverableIds: ['d01', 'd02', 'd03'], clockOffsetMs: at - Date.now() };
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, taskQueue }, { client: env.client }).run(activities.startDeliverables, batch);

    // Every unit of the three items, and the keys its batch received in each signal.
    const units = new Set(batch.deliverableIds.flatMap((id) => resolveUnitIds(plan, plan.deliverables.find((d) => d.id === id)!.units)));
    const signalledByUnit = async () => {
      const byUnit = new Map<string, string[][]>();
      for (const unitId of units) byUnit.set(unitId, await signalledKeys(assignmentBatchWorkflowId(plan.id, unitId, '2015-01-05')));
      return byUnit;
    };

    expect(await attempt(1)).toBe(3);
    const first = await signalledByUnit();
    // References, not the notices (the mail activity builds those from the snapshot): a few hundred bytes each.
    const [entry] = (await signalled(assignmentBatchWorkflowId(plan.id, [...units][0]!, '2015-01-05')))[0]!;
    expect(entry).toMatchObject({ deliverableId: expect.any(String), queuedAt: expect.any(Number), start: { planRef: 'unused', planWorkflowId: plan.id } });
    expect(isAssignmentRef(entry!) && JSON.stringify(entry).length).toBeLessThan(300);
    for (const [unitId, signals] of first) {
      // One signal per unit, holding the assignment of each started item the unit is responsible for.
      const mine = batch.deliverableIds.filter((id) => resolveUnitIds(plan, plan.deliverables.find((d) => d.id === id)!.units).includes(unitId));
      expect([unitId, signals]).toEqual([unitId, [mine.map((id) => `${deliverableWorkflowId(plan.id, id)}#1`)]]);
    }

    // The plan started again: the items run already, their assignments were queued by the start that started them.
    expect(await attempt(1)).toBe(0);
    expect(await signalledByUnit()).toEqual(first);

    // A retried attempt queues again (the batch drops the repeated keys).
    expect(await attempt(2)).toBe(0);
    for (const [unitId, signals] of await signalledByUnit()) expect([unitId, signals]).toEqual([unitId, [...first.get(unitId)!, ...first.get(unitId)!]]);
  });

  it('puts a unit’s 交办通知 of one day in one batch per 2,000 plan items, so no batch history grows without bound', async () => {
    const taskQueue = `queue-${randomUUID()}`;
    const [sample] = sampleAssignmentBatch();
    const planId = `parts-${randomUUID().slice(0, 8)}`;
    const notice = (number: number): Notification => ({
      ...sample!, planId, key: `${planId}/d${number}#1`, workflowId: `${planId}/d${number}`, to: [sampleUnits.yanjiu],
      scheduledFor: '2015-01-05T08:00:00.000+08:00', deliverable: { ...sample!.deliverable!, id: `d${number}`, number },
    });
    const numbers = [1, itemsPerAssignmentBatch, itemsPerAssignmentBatch + 1, 2 * itemsPerAssignmentBatch + 1];
    await new MockActivityEnvironment({ taskQueue }, { client: env.client }).run(() => queueAssignments(numbers.map((n) => ({ notice: notice(n), queued: notice(n) })), { windowMs: 60_000 }));

    const batchOf = (part: number) => assignmentBatchWorkflowId(planId, 'yanjiu', '2015-01-05', part);
    expect(batchOf(0)).toBe(`${planId}/assignments/yanjiu/2015-01-05`);
    expect(await signalledKeys(batchOf(0))).toEqual([[`${planId}/d1#1`, `${planId}/d${itemsPerAssignmentBatch}#1`]]);
    expect(await signalledKeys(`${planId}/assignments/yanjiu/2015-01-05/2`)).toEqual([[`${planId}/d${itemsPerAssignmentBatch + 1}#1`]]);
    expect(await signalledKeys(`${planId}/assignments/yanjiu/2015-01-05/3`)).toEqual([[`${planId}/d${2 * itemsPerAssignmentBatch + 1}#1`]]);
  });
});
