/** A plan's digest does not wait for an item whose status query nobody answers: its row goes out as visibility shows it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities, type PlanAggregate } from '../activities/plan-activities.ts';
import { createSnapshotReader, savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { trackedItems } from '../config/task-items.ts';
import { deliverableWorkflowId, type Notification } from '../workflows/definitions.ts';
import { allSearchAttributes, deliverableAttribute, lightAttribute, planAttribute, statusAttribute } from '../workflows/search-attributes.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { shippedPlan } from './helpers/shipped-machine.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

let env: TestWorkflowEnvironment;
let snapshots: string;
beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  snapshots = await mkdtemp(join(tmpdir(), 'duban-report-'));
}, 120_000);
afterAll(async () => {
  await env?.teardown();
  if (snapshots) await rm(snapshots, { recursive: true, force: true });
});

describe('a plan report', () => {
  it('reports an item whose status query goes unanswered from visibility, and says so in the log', async () => {
    const plan = { ...shippedPlan, id: `unanswered-${randomUUID().slice(0, 8)}` };
    const planRef = await savePlanSnapshot(plan, snapshots);
    // Started on a queue no worker polls: listed with its attributes, but no one answers its status query.
    await env.client.workflow.start('deliverableWorkflow', {
      taskQueue: `${plan.id}-nobody`, workflowId: deliverableWorkflowId(plan.id, 'd02'),
      typedSearchAttributes: [
        { key: planAttribute, value: plan.id }, { key: deliverableAttribute, value: 'd02' },
        { key: statusAttribute, value: 'overdue' }, { key: lightAttribute, value: 'red' },
      ],
    });
    await waitFor('d02 listed', async () => (await env.client.workflow.count(`DubanPlan = '${plan.id}'`)).count === 1 || undefined);

    const delivered: Notification[] = [];
    const warnings: LogMetadata[] = [];
    const logger = new DefaultLogger('WARN', ({ level, meta }: { level: LogLevel; meta?: LogMetadata }) => {
      if (level === 'WARN' && meta) warnings.push(meta);
    });
    const activities = createPlanActivities({ readPlan: createSnapshotReader(snapshots), sink: { deliver: async (n) => void delivered.push(n) }, queryPatienceMs: 1_000 });
    const digest: Notification = {
      key: `${plan.id}#digest-1`, kind: 'digest', planId: plan.id, workflowId: plan.id, to: [], cc: [],
      scheduledFor: '2015-03-02T09:00:00.000+08:00', timezone: plan.timezone, context: {},
    };
    const aggregate: PlanAggregate = await new MockActivityEnvironment({}, { client: env.client, logger })
      .run(activities.planReport, { planId: plan.id, planRef, outcomes: '', notice: digest }) as PlanAggregate;

    expect(aggregate.counts.red).toBe(1);
    expect(delivered).toHaveLength(1);
    const rows = delivered[0]!.context.rows!;
    expect(rows).toHaveLength(trackedItems(plan).length);
    expect(rows.find((r) => r.deliverableId === 'd02')).toMatchObject({ status: 'overdue', light: 'red' });
    expect(warnings).toEqual([expect.objectContaining({ workflowId: deliverableWorkflowId(plan.id, 'd02'), waitedMs: 1_000 })]);
  }, 60_000);
});
