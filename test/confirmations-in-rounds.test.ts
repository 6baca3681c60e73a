/**
 * 完成确认 in a plan's rounds (`confirmationsInRounds`), the item's side on the time-skipping server: a confirmation
 * is one workflow task that publishes the 完成确认 for the plan's next send slot beside the item's new state; the
 * round mails it (here its report is sent by hand, as in `test/notice-rounds-item.test.ts`), or, without a report,
 * the item mails it itself after the grace. 督查室 deciding before the slot leaves nothing to mail.
 */
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import {
  acceptUpdate, confirmUpdate, noticeRoundGraceMs, noticesDeliveredSignal, rejectUpdate,
  type DeliverableInput, type Notification,
} from '../workflows/definitions.ts';
import { inheritedPublication } from '../workflows/notice-rounds.ts';
import { noticeSlotAttribute, noticeSlotOf } from '../workflows/search-attributes.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { beijing, beijingIso, useDeliverableHarness, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

// As starters set it today: in the plan's rounds, its 完成确认 too.
const confirmingInRounds = (input: DeliverableInput): DeliverableInput => ({ ...input, noticeRounds: true, confirmationsInRounds: true });

// d10 (综合指导司 leads and confirms, 办公室 helps), due 30 September 2015; its first 提醒 is published for the slot of
// Wednesday 16 September, 09:00.
const start = beijing('2015-09-01 10:00');
const confirmedText = '2015-09-15 14:30';
const confirmedAt = beijing(confirmedText);
const slotText = '2015-09-16 09:00';
const slot = beijing(slotText);
const pastGrace = slot + noticeRoundGraceMs + 60_000;

async function published(run: DeliverableRun) {
  const description = await run.handle.describe();
  const attribute = description.typedSearchAttributes.get(noticeSlotAttribute);
  return { slot: attribute, due: inheritedPublication(description.memo, attribute) };
}

/**
 * The 完成确认 the item holds for the slot `at` (Beijing wall clock): to 督查室 alone, scheduled for the slot, saying
 * in which minute the lead confirmed (an update lands a moment after the time the test skipped to).
 */
async function heldConfirmation(run: DeliverableRun, at: string, confirmed: string): Promise<Notification> {
  const { slot: attribute, due } = await published(run);
  expect(attribute).toBe(noticeSlotOf(beijing(at)));
  expect(due?.notices.map((n) => [n.kind, n.to.map((r) => r.unitId), n.cc, n.scheduledFor, n.context.unitId, n.context.confirmedAt?.slice(0, 16)])).toEqual([
    ['confirmation', ['duchashi'], [], beijingIso(at), 'zonghe', beijingIso(confirmed).slice(0, 16)],
  ]);
  return due!.notices[0]!;
}

const kinds = (run: DeliverableRun) => run.notices().map((n) => n.kind);

async function confirmationsLogged(run: DeliverableRun): Promise<string[]> {
  return (await run.status()).events.filter((e) => e.type === 'notice' && e.what === 'confirmation').map((e) => e.at);
}

/** The events the confirmation's update wrote, from its acceptance on. */
async function eventsOfUpdate(run: DeliverableRun): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const { events } = await run.handle.fetchHistory();
  const accepted = events!.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  return events!.slice(accepted);
}

describe('a 完成确认 in a plan that mails in rounds', () => {
  it('is held for the next slot, published with the item’s new state in the update’s one workflow task, and recorded when the round reports it', async () => {
    const run = await harness().startDeliverable('d10', start, confirmingInRounds);
    await run.runUntil(confirmedAt);

    expect((await run.update(confirmUpdate, { unitId: 'zonghe', note: '已印发实施意见' })).status).toBe('awaiting_acceptance');
    const held = await heldConfirmation(run, slotText, confirmedText);
    expect(held.context.reason).toBe('已印发实施意见');
    // The console and `duban status` name it as the item's next notice.
    expect((await run.status()).nextNotice).toEqual({ kind: 'confirmation', at: beijingIso(slotText) });
    // No mail activity behind the update: nothing brings a second workflow task.
    const written = await eventsOfUpdate(run);
    expect(written.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(written.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(0);
    expect(kinds(run)).toEqual(['assignment']);

    await run.runUntil(slot + 60_000);
    expect(kinds(run)).toEqual(['assignment']);
    await run.handle.signal(noticesDeliveredSignal, { at: slot, failures: [] });
    const logged = await waitFor('the 完成确认 in the item’s log', async () => {
      const at = await confirmationsLogged(run);
      return at.length > 0 ? at : undefined;
    }, 10_000, 20);
    expect(logged).toEqual([beijingIso(slotText)]);

    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment']);
    expect(await published(run)).toEqual({ slot: undefined, due: undefined });
  });

  it('is mailed by the item itself, as published, when no round reports within the grace', async () => {
    const run = await harness().startDeliverable('d10', start, confirmingInRounds);
    await run.runUntil(confirmedAt);
    await run.update(confirmUpdate, { unitId: 'zonghe' });
    const held = await heldConfirmation(run, slotText, confirmedText);

    await run.runUntil(slot + noticeRoundGraceMs - 60_000);
    expect(kinds(run)).toEqual(['assignment']);
    await run.runUntil(pastGrace);
    expect(await run.delivered('confirmation')).toEqual(held);
    expect(await confirmationsLogged(run)).toEqual([beijingIso(slotText)]);
  });

  it('is dropped when 督查室 accepts before the slot: the item closes and no round finds it', async () => {
    const run = await harness().startDeliverable('d10', start, confirmingInRounds);
    await run.runUntil(confirmedAt);
    await run.update(confirmUpdate, { unitId: 'zonghe' });
    await heldConfirmation(run, slotText, confirmedText);

    await run.update(acceptUpdate, { by: '督查室 王主任' });
    expect((await run.handle.result()).status).toBe('done');
    expect(await published(run)).toEqual({ slot: undefined, due: undefined });
    expect(kinds(run)).toEqual(['assignment', 'completion']);
    expect(await confirmationsLogged(run)).toEqual([]);
  });

  it('is dropped when 督查室 rejects before the slot, and the schedule publishes the item’s next notice again', async () => {
    const run = await harness().startDeliverable('d10', start, confirmingInRounds);
    await run.runUntil(confirmedAt);
    await run.update(confirmUpdate, { unitId: 'zonghe' });
    await heldConfirmation(run, slotText, confirmedText);

    await run.update(rejectUpdate, { by: '督查室 王主任', reason: '缺少配套制度' });
    // Back in the schedule: the 提醒 of the slot is published again, the 完成确认 is not.
    const next = await published(run);
    expect(next.slot).toBe(noticeSlotOf(slot));
    expect(next.due?.notices.map((n) => n.kind)).toEqual(['reminder']);
    // No round runs here: the item mails its 提醒 itself after the grace, and never the 完成确认.
    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment', 'rejection', 'reminder']);
    expect(await confirmationsLogged(run)).toEqual([]);
  });

  it('confirmed within half a minute of a slot, waits for the slot after it (the round may be listing already)', async () => {
    const run = await harness().startDeliverable('d10', start, confirmingInRounds);
    await run.runUntil(slot - 20_000);
    await run.update(confirmUpdate, { unitId: 'zonghe' });
    await heldConfirmation(run, '2015-09-17 09:00', '2015-09-16 08:59');
  });
});
