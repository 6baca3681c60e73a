/**
 * An update that arrives with a run's first workflow task (update-with-start) is handled as soon as its handler is
 * set, in that same task: it must find the run opened (assigned) and its round state made, whatever it does.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { deliverableInput } from '../config/plan-inputs.ts';
import { confirmUpdate, statusQuery } from '../workflows/definitions.ts';
import type { deliverableWorkflow } from '../workflows/deliverable.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';
import { waitFor } from './helpers/duban-cli.ts';

const harness = useDeliverableHarness({ record: false });

describe('an update delivered with the first task', () => {
  it('confirms an item in rounds after its assignment, in the run’s first task', async () => {
    const { env, plan, taskQueue } = harness();
    const clockOffsetMs = beijing('2015-09-01 10:00') - (await env.currentTimeMs());
    const input = { ...deliverableInput(plan, 'd10', { clockOffsetMs }), planWorkflowId: undefined, noticeRounds: true, showsInOneUpsert: true };
    const start = new WithStartWorkflowOperation<typeof deliverableWorkflow>('deliverableWorkflow', {
      args: [input], taskQueue, workflowId: `${plan.id}/d10/with-start-${randomUUID().slice(0, 8)}`, workflowIdConflictPolicy: 'FAIL',
    });
    const result = await env.client.workflow.executeUpdateWithStart(confirmUpdate, { args: [{ unitId: 'zonghe' }], startWorkflowOperation: start });
    expect(result).toMatchObject({ ok: true, status: 'awaiting_acceptance' });
    const handle = await start.workflowHandle();
    // Read once the mail to 督查室 that the confirmation started has completed and its workflow task run, so the
    // check below always meets a task after the update's.
    const events = await waitFor('the workflow task of the completed mail', async () => {
      const history = (await handle.fetchHistory()).events ?? [];
      return history.filter((e) => e.workflowTaskCompletedEventAttributes).length >= 2 ? history : undefined;
    });
    // The run's first workflow task took the update: nothing ran before the update reached the item.
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toBeGreaterThan(0);
    expect(events.slice(0, accepted).filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(1);
    const log = (await handle.query(statusQuery)).events.map((e) => `${e.type} ${e.what}`);
    expect(log.slice(0, 2)).toEqual(['notice assignment', 'action confirm']);
    await handle.terminate('test over');
  });
});
