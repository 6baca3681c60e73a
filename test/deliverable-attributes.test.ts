/**
 * A deliverable upserts only the search attributes that changed: none in the first task when started with them set,
 * and one upsert per change, its notice slot (in a plan mailing in rounds) in the same upsert as its state.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { deliverableInput } from '../config/plan-inputs.ts';
import { identityAttributes, openingStart } from '../workflows/deliverable-attributes.ts';
import {
  acknowledgeUpdate, answerInstructionUpdate, cancelUpdate, confirmUpdate, instructUpdate, noticesDueMemoKey, statusQuery, type DeliverableInput,
} from '../workflows/definitions.ts';
import { inheritedPublication } from '../workflows/notice-rounds.ts';
import { asksAcknowledgement } from '../web/console/acknowledgement-view.ts';
import { consoleFactsIn } from '../workflows/console-facts.ts';
import { acknowledgedAttribute, noticeSlotAttribute, noticeSlotOf, openInstructionsAttribute, statusAttribute } from '../workflows/search-attributes.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

async function upserts(handle: WorkflowHandle): Promise<string[][]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)
    .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes?.indexedFields ?? {}).sort());
}

/** Item 2 (综合指导司 leads, 来访接待司 helps) started as its plan's start activity starts it, on 1 June 2015 at 10:00. */
async function startedD02(name: string): Promise<WorkflowHandle> {
  const { env, plan, taskQueue } = harness();
  const opened = beijing('2015-06-01 10:00');
  const clockOffsetMs = opened - (await env.currentTimeMs());
  const workflowId = `${plan.id}/d02/${name}`;
  const { input, attributes } = openingStart(workflowId, { ...deliverableInput(plan, 'd02', { clockOffsetMs }), planWorkflowId: undefined }, opened);
  return env.client.workflow.start('deliverableWorkflow', { args: [input], taskQueue, workflowId, typedSearchAttributes: [...identityAttributes(input), ...attributes] });
}

describe('search attributes of a deliverable', () => {
  it('started with its opening attributes, upserts nothing until its status changes, then only what changed', async () => {
    const handle = await startedD02('attributes');
    expect((await handle.query(statusQuery)).status).toBe('assigned');
    expect(await upserts(handle)).toEqual([]);

    await handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] });
    // The status changed, and zonghe, confirming, has acknowledged the item (签收); the light (still green), the level
    // and the due date did not.
    expect(await upserts(handle)).toEqual([['DubanAcknowledged', 'DubanStatus']]);
    const shown = (await handle.describe()).typedSearchAttributes;
    expect(shown.get(statusAttribute)).toBe('awaiting_acceptance');
    expect(shown.get(acknowledgedAttribute)).toEqual(['zonghe']);
    await handle.terminate('test over');
  });

  /**
   * d10 of a plan mailing in rounds, opened on 1 September 2015 and confirmed by its lead: the memo it started with, and
   * the kinds of what the confirmation's task wrote (the attributes each upsert changed, `memo` for a memo write).
   */
  async function confirmedInRounds(name: string, adjust: (input: DeliverableInput) => DeliverableInput = (input) => input) {
    const { env, plan, taskQueue } = harness();
    const opened = beijing('2015-09-01 10:00');
    const clockOffsetMs = opened - (await env.currentTimeMs());
    const workflowId = `${plan.id}/d10/${name}`;
    const { input, attributes, memo } = openingStart(workflowId, { ...deliverableInput(plan, 'd10', { clockOffsetMs }), planWorkflowId: undefined, noticeRounds: true }, opened);
    expect(memo).toBeDefined();
    const handle = await env.client.workflow.start('deliverableWorkflow', { args: [adjust(input)], taskQueue, workflowId, typedSearchAttributes: attributes, memo });
    expect((await handle.query(statusQuery)).status).toBe('assigned');
    const before = (await handle.fetchHistory()).events!.length;

    await handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] });
    const changes = (await handle.fetchHistory()).events!.slice(before).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes);
    const written = changes.map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? { memo: 0 }).sort());
    return { handle, startMemo: memo!, written, shown: await handle.describe() };
  }

  it('in a plan mailing in rounds, started before its 完成确认 went in rounds, shows a confirmation, its 签收 and the withdrawal of its published 提醒 in one upsert, the memo left alone', async () => {
    const { handle, startMemo, written, shown } = await confirmedInRounds('one-upsert', (input) => ({ ...input, confirmationsInRounds: undefined }));
    expect(written).toEqual([['DubanAcknowledged', 'DubanNoticeSlot', 'DubanStatus']]);
    expect(shown.typedSearchAttributes.get(noticeSlotAttribute)).toBeUndefined();
    // The memo stays as it was; without its slot no round lists the item, and a next run takes it as withdrawn.
    expect(shown.memo?.[noticesDueMemoKey]).toEqual(startMemo[noticesDueMemoKey]);
    expect(inheritedPublication(shown.memo, shown.typedSearchAttributes.get(noticeSlotAttribute))).toBeUndefined();
    await handle.terminate('test over');
  });

  it('in a plan mailing in rounds, shows a confirmation, its 签收 and its 完成确认 held for the next slot in one upsert, beside the memo that holds the notice', async () => {
    const { handle, written, shown } = await confirmedInRounds('held-confirmation', (input) => {
      expect(input.confirmationsInRounds).toBe(true);
      return input;
    });
    expect(written).toEqual([['memo'], ['DubanAcknowledged', 'DubanNoticeSlot', 'DubanStatus']]);
    // The next slot (Wednesday 09:00) holds the 完成确认 for 督查室, published as the round reads it.
    expect(shown.typedSearchAttributes.get(noticeSlotAttribute)).toBe(noticeSlotOf(beijing('2015-09-02 09:00')));
    const held = inheritedPublication(shown.memo, shown.typedSearchAttributes.get(noticeSlotAttribute));
    expect(held?.notices.map((n) => [n.kind, n.to.map((r) => r.unitId)])).toEqual([['confirmation', ['duchashi']]]);
    await handle.terminate('test over');
  });

  it('shows the console who has not acknowledged it and its unanswered 批示, from the start and in the upsert of each change', async () => {
    const handle = await startedD02('console-facts');
    const facts = async () => consoleFactsIn((await handle.describe()).typedSearchAttributes);
    // Started with only the count (the mark that it shows its facts): nobody has acknowledged it.
    expect(await facts()).toEqual({ unacknowledged: ['zonghe', 'laifang'], openInstructions: 0 });
    expect((await handle.describe()).typedSearchAttributes.get(acknowledgedAttribute)).toBeUndefined();

    await handle.executeUpdate(acknowledgeUpdate, { args: [{ unitId: 'laifang' }] });
    expect(await facts()).toEqual({ unacknowledged: ['zonghe'], openInstructions: 0 });
    await handle.executeUpdate(instructUpdate, { args: [{ by: '分管领导', text: '抓紧办理' }] });
    expect(await facts()).toEqual({ unacknowledged: ['zonghe'], openInstructions: 1 });
    const [instruction] = (await handle.query(statusQuery)).instructions!;
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ unitId: 'zonghe' }] });
    // Every unit has acknowledged, in the item's order.
    expect(await facts()).toEqual({ unacknowledged: [], openInstructions: 1 });
    expect((await handle.describe()).typedSearchAttributes.get(acknowledgedAttribute)).toEqual(['zonghe', 'laifang']);
    for (const unitId of ['zonghe', 'laifang']) await handle.executeUpdate(answerInstructionUpdate, { args: [{ unitId, instructionId: instruction!.id, text: '已部署' }] });
    expect(await facts()).toEqual({ unacknowledged: [], openInstructions: 0 });
    // Each change was one upsert, carrying only what changed.
    expect((await upserts(handle)).filter((keys) => keys.includes(acknowledgedAttribute.name) || keys.includes(openInstructionsAttribute.name)).length).toBe(4);
    await handle.executeUpdate(cancelUpdate, { args: [{ by: '督查室', reason: '测试结束' }] });
  });

  it('closed, writes no facts more: the console leaves a closed item out of its 签收 counts by its status', async () => {
    const handle = await startedD02('closed-facts');
    const before = (await upserts(handle)).length;
    await handle.executeUpdate(cancelUpdate, { args: [{ by: '督查室', reason: '并入其他事项' }] });
    await handle.result();
    const shown = (await handle.describe()).typedSearchAttributes;
    expect(consoleFactsIn(shown)).toEqual({ unacknowledged: ['zonghe', 'laifang'], openInstructions: 0 });
    expect(asksAcknowledgement(shown.get(statusAttribute)!)).toBe(false);
    expect((await upserts(handle)).slice(before)).toEqual([['DubanLight', 'DubanStatus']]);
  });
});
