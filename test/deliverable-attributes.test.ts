/** A deliverable upserts only the search attributes that changed: none in the first task when started with them set. */
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { deliverableInput } from '../config/plan-inputs.ts';
import { openingStart } from '../workflows/deliverable-attributes.ts';
import { confirmUpdate, statusQuery } from '../workflows/definitions.ts';
import { statusAttribute } from '../workflows/search-attributes.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

async function upserts(handle: WorkflowHandle): Promise<string[][]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)
    .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes?.indexedFields ?? {}).sort());
}

describe('search attributes of a deliverable', () => {
  it('started with its opening attributes, upserts nothing until its status changes, then only what changed', async () => {
    const { env, plan, taskQueue } = harness();
    const clockOffsetMs = beijing('2015-06-01 10:00') - (await env.currentTimeMs());
    const workflowId = `${plan.id}/d02/attributes`;
    const { input, attributes } = openingStart(workflowId, { ...deliverableInput(plan, 'd02', { clockOffsetMs }), planWorkflowId: undefined }, beijing('2015-06-01 10:00'));
    const handle = await env.client.workflow.start('deliverableWorkflow', { args: [input], taskQueue, workflowId, typedSearchAttributes: attributes });
    expect((await handle.query(statusQuery)).status).toBe('assigned');
    expect(await upserts(handle)).toEqual([]);

    await handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] });
    // The status changed; the light (still green), the level and the due date did not.
    expect(await upserts(handle)).toEqual([['DubanStatus']]);
    expect((await handle.describe()).typedSearchAttributes.get(statusAttribute)).toBe('awaiting_acceptance');
    await handle.terminate('test over');
  });
});
