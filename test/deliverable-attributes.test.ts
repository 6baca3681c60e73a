/**
 * A deliverable upserts only the search attributes that changed: none in the first task when started with them set,
 * and one upsert per change, its notice slot (in a plan mailing in rounds) in the same upsert as its state.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { deliverableInput } from '../config/plan-inputs.ts';
import { openingStart } from '../workflows/deliverable-attributes.ts';
import { confirmUpdate, noticesDueMemoKey, statusQuery } from '../workflows/definitions.ts';
import { inheritedPublication } from '../workflows/notice-rounds.ts';
import { noticeSlotAttribute, statusAttribute } from '../workflows/search-attributes.ts';
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

  it('in a plan mailing in rounds, shows a confirmation and the withdrawal of its published 提醒 in one upsert, the memo left alone', async () => {
    const { env, plan, taskQueue } = harness();
    const opened = beijing('2015-09-01 10:00');
    const clockOffsetMs = opened - (await env.currentTimeMs());
    const workflowId = `${plan.id}/d10/one-upsert`;
    const { input, attributes, memo } = openingStart(workflowId, { ...deliverableInput(plan, 'd10', { clockOffsetMs }), planWorkflowId: undefined, noticeRounds: true }, opened);
    expect(memo).toBeDefined();
    const handle = await env.client.workflow.start('deliverableWorkflow', { args: [input], taskQueue, workflowId, typedSearchAttributes: attributes, memo });
    expect((await handle.query(statusQuery)).status).toBe('assigned');
    const before = (await handle.fetchHistory()).events!.length;

    await handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] });
    const changes = (await handle.fetchHistory()).events!.slice(before).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes);
    expect(changes.map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? { memo: 0 }).sort()))
      .toEqual([['DubanNoticeSlot', 'DubanStatus']]);
    const shown = await handle.describe();
    expect(shown.typedSearchAttributes.get(noticeSlotAttribute)).toBeUndefined();
    // The memo stays as it was; without its slot no round lists the item, and a next run takes it as withdrawn.
    expect(shown.memo?.[noticesDueMemoKey]).toEqual(memo![noticesDueMemoKey]);
    expect(inheritedPublication(shown.memo, shown.typedSearchAttributes.get(noticeSlotAttribute))).toBeUndefined();
    await handle.terminate('test over');
  });
});
