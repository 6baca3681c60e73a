import { randomUUID } from 'node:crypto';
import { trackedItems } from '../config/task-items.ts';
import { describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import { acceptUpdate, confirmUpdate, deliverableWorkflowId, planStatusQuery, statusQuery } from '../workflows/definitions.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

describe('the plan workflow', () => {
  it('starts all 13 deliverables and 6 task items once, sends weekly digests on working-day mornings, hands over to fresh runs, and reports at the end', async () => {
    const planId = `xinfang-2015-${randomUUID().slice(0, 8)}`;
    const plan = { ...harness().plan, id: planId };
    const clockOffsetMs = beijing('2015-01-05 08:00') - (await harness().env.currentTimeMs());
    // A tiny history limit makes the plan continue as new several times during the test.
    const input = { ...planWorkflowInput(plan, { clockOffsetMs, planRef: await savePlanSnapshot(plan) }), historyLimit: 60 };
    const start = () => harness().env.client.workflow.start(planWorkflow, {
      args: [input], taskQueue: harness().taskQueue, workflowId: planId, workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const handle = await start();
    const again = await start();
    expect(again.firstExecutionRunId).toBe(handle.firstExecutionRunId);

    const now = async () => (await harness().env.currentTimeMs()) + clockOffsetMs;
    await harness().env.sleep(beijing('2015-02-24 12:00') - (await now()));

    const status = await handle.query(planStatusQuery);
    expect(status.deliverables.map((d) => d.deliverableId)).toEqual(trackedItems(plan).map((d) => d.id));
    // Early in the year only the 2014 assessment (due 31 March) has had its first reminder. The six task items
    // report on the 25th: none did by 26 January (the 25th was a Sunday), so they lag (yellow) until they report.
    expect(status.counts).toEqual({ green: 13, yellow: 6, red: 0, grey: 0 });
    expect(status.deliverables.filter((d) => d.itemKind === 'task').map((d) => d.status)).toEqual(Array(6).fill('lagging'));
    expect(harness().delivered.filter((n) => n.planId === planId && n.kind === 'report_reminder').map((n) => n.scheduledFor.slice(0, 16)))
      .toEqual([...Array(6).fill('2015-01-26T09:00')]);

    const digests = harness().delivered.filter((n) => n.workflowId === planId && n.kind === 'digest').map((n) => n.scheduledFor.slice(0, 16));
    // Mondays, except the Spring Festival week (18–24 February off; Sunday 15 February is a make-up day, but it
    // opens its own week: Monday 16 February is the first working day of that week).
    expect(digests).toEqual([
      '2015-01-05T09:00', '2015-01-12T09:00', '2015-01-19T09:00', '2015-01-26T09:00', '2015-02-02T09:00',
      '2015-02-09T09:00', '2015-02-16T09:00',
    ]);
    expect(harness().delivered.filter((n) => n.planId === planId && n.kind === 'assignment')).toHaveLength(19);

    // A confirmation awaiting acceptance counts as completed on time in the next digest (the plan reads it; no signal).
    const first = plan.deliverables[0]!;
    const firstHandle = harness().env.client.workflow.getHandle(deliverableWorkflowId(planId, first.id));
    const firstView = await firstHandle.query(statusQuery);
    for (const unit of first.policy?.completion === 'all' ? firstView.units : [firstView.units[0]!]) {
      await firstHandle.executeUpdate(confirmUpdate, { args: [{ unitId: unit.unitId }] });
    }
    await harness().env.sleep(beijing('2015-03-02 12:00') - (await now()));
    const march = harness().delivered.filter((n) => n.workflowId === planId && n.kind === 'digest').at(-1)!;
    expect(march.scheduledFor.slice(0, 16)).toBe('2015-03-02T09:00');
    expect(march.context.rows?.find((r) => r.deliverableId === first.id)).toMatchObject({ status: 'awaiting_acceptance', onTime: true });

    for (const deliverable of trackedItems(plan)) {
      const child = harness().env.client.workflow.getHandle(deliverableWorkflowId(planId, deliverable.id));
      const view = await child.query(statusQuery);
      const units = (deliverable.policy?.completion === 'all' ? view.units : [view.units[0]!]).filter((u) => u.confirmedAt === undefined).map((u) => u.unitId);
      for (const unitId of units) await child.executeUpdate(confirmUpdate, { args: [{ unitId }] });
      await child.executeUpdate(acceptUpdate, { args: [{ by: '督查室' }] });
    }
    const final = await handle.result();
    expect(final.finished).toBe(true);
    expect(final.counts).toEqual({ green: 0, yellow: 0, red: 0, grey: 19 });
    expect(final.deliverables.every((d) => d.onTime)).toBe(true);
    expect(harness().delivered.filter((n) => n.workflowId === planId && n.kind === 'final_report')).toHaveLength(1);
    // Each item closed only once its signal to the plan had landed: the time-skipping server unlocks its clock for a
    // signal only while the signalling run is open, and one that closed first left the clock at real speed (the next
    // test's sleeps then timed out, and simulations stalled). The race is lost rarely, so this checks the order.
    for (const deliverable of trackedItems(plan)) {
      const events = (await harness().env.client.workflow.getHandle(deliverableWorkflowId(planId, deliverable.id)).fetchHistory()).events ?? [];
      const landed = events.findIndex((e) => e.externalWorkflowExecutionSignaledEventAttributes || e.signalExternalWorkflowExecutionFailedEventAttributes);
      const closed = events.findIndex((e) => e.workflowExecutionCompletedEventAttributes);
      expect({ deliverable: deliverable.id, landedBeforeClosing: landed >= 0 && landed < closed }).toEqual({ deliverable: deliverable.id, landedBeforeClosing: true });
    }

    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
  });

  it('marks a deliverable Temporal stopped in the next digest and tells the supervisor once, not at every digest', async () => {
    const planId = `xinfang-2015-${randomUUID().slice(0, 8)}`;
    const plan = { ...harness().plan, id: planId };
    const clockOffsetMs = beijing('2015-01-05 08:00') - (await harness().env.currentTimeMs());
    const handle = await harness().env.client.workflow.start(planWorkflow, {
      args: [planWorkflowInput(plan, { clockOffsetMs, planRef: await savePlanSnapshot(plan) })], taskQueue: harness().taskQueue, workflowId: planId,
    });
    const now = async () => (await harness().env.currentTimeMs()) + clockOffsetMs;
    await harness().env.sleep(beijing('2015-01-06 12:00') - (await now()));
    await harness().env.client.workflow.getHandle(deliverableWorkflowId(planId, 'd04')).terminate('history size exceeds limit (simulated)');
    await harness().env.sleep(beijing('2015-01-20 12:00') - (await now()));

    const ofPlan = harness().delivered.filter((n) => n.workflowId === planId);
    const alerts = ofPlan.filter((n) => n.kind === 'deliverable_stopped');
    expect(alerts.map((n) => n.scheduledFor.slice(0, 16))).toEqual(['2015-01-12T09:00']);
    expect(alerts[0]!.to.map((u) => u.unitId)).toEqual([plan.supervisor]);
    expect(alerts[0]!.context.rows?.map((r) => [r.deliverableId, r.status, r.light])).toEqual([['d04', 'terminated', 'red']]);
    const digests = ofPlan.filter((n) => n.kind === 'digest');
    expect(digests.map((n) => n.scheduledFor.slice(0, 10))).toEqual(['2015-01-05', '2015-01-12', '2015-01-19']);
    for (const digest of digests.slice(1)) {
      expect(digest.context.rows?.find((r) => r.deliverableId === 'd04')).toMatchObject({ status: 'terminated', light: 'red' });
    }
    expect((await handle.query(planStatusQuery)).counts.red).toBe(1);
    await handle.terminate('test over');
  });
});
