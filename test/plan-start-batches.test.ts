import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import { trackedItems } from '../config/task-items.ts';
import { deliverableWorkflowId, type PlanWorkflowInput } from '../workflows/definitions.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** Starts the 2015 plan with `shape` applied to its input; resolves once every item runs, with the plan's history. */
async function startPlan(shape: (input: PlanWorkflowInput) => PlanWorkflowInput) {
  const planId = `start-batches-${randomUUID().slice(0, 8)}`;
  const plan = { ...harness().plan, id: planId };
  const clockOffsetMs = beijing('2015-01-05 08:00') - (await harness().env.currentTimeMs());
  const input = shape(planWorkflowInput(plan, { clockOffsetMs, planRef: await savePlanSnapshot(plan) }));
  const handle = await harness().env.client.workflow.start(planWorkflow, { args: [input], taskQueue: harness().taskQueue, workflowId: planId });
  // A day on: every batch has long finished (they start items, they wait for no timer).
  await harness().env.sleep(24 * 3_600_000);
  const items = trackedItems(plan);
  for (const item of items) {
    const described = await harness().env.client.workflow.getHandle(deliverableWorkflowId(planId, item.id)).describe();
    expect(described.status.name).toBe('RUNNING');
  }
  const { events } = await handle.fetchHistory();
  await handle.terminate('test over');
  return { items: items.map((d) => d.id), batches: startBatchesOf(events ?? []) };
}

/** The plan's start activities in history order: the ids each was given, and how many ran at most at once. */
function startBatchesOf(events: readonly HistoryEvent[]) {
  const ids: string[][] = [];
  const open = new Set<string>();
  let mostAtOnce = 0;
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'startDeliverables') {
      const batch = defaultPayloadConverter.fromPayload<{ deliverableIds: string[] }>(scheduled.input!.payloads![0]!);
      ids.push(batch.deliverableIds);
      open.add(String(event.eventId));
      mostAtOnce = Math.max(mostAtOnce, open.size);
    }
    open.delete(String(event.activityTaskCompletedEventAttributes?.scheduledEventId));
  }
  return { ids, mostAtOnce };
}

describe('a plan starting its items in batches', () => {
  it('keeps as many batches in flight as its input says, each item in exactly one batch, in the plan order', async () => {
    const { items, batches } = await startPlan((input) => ({ ...input, startBatches: { size: 2, inFlight: 3 } }));
    expect(batches.ids.every((ids) => ids.length <= 2)).toBe(true);
    expect(batches.ids.flat()).toEqual(items);
    expect(batches.mostAtOnce).toBe(3);
  });

  it('starts a run whose input predates the setting in batches of 250, as such runs always did', async () => {
    const { items, batches } = await startPlan(({ startBatches: _, ...earlier }) => earlier);
    expect(batches.ids).toEqual([items]);
    expect(batches.mostAtOnce).toBe(1);
  });
});
