/**
 * The item's side of notice rounds (`workflows/notice-rounds.ts`, the loop of `workflows/deliverable.ts`) on the
 * time-skipping server: an item of a plan in rounds publishes its next notices ahead of their slot, leaves the mailing
 * to the plan's round, records what the round reports, and mails them itself only when no report comes within the
 * grace. The plan's round is not run here (the test server has no visibility listing, and `test/notice-rounds.test.ts`
 * covers it on the dev server): the tests send its report by hand, as `activities/notice-round.ts` does.
 */
import { describe, expect, it } from 'vitest';
import {
  confirmUpdate, extensionDecisionUpdate, extensionRequestUpdate, noticeRoundGraceMs, progressUpdate, noticesDeliveredSignal,
  type DeliverableInput, type Notification, type NoticesDelivered, type NoticesDue,
} from '../workflows/definitions.ts';
import { inheritedPublication } from '../workflows/notice-rounds.ts';
import { noticeSlotAttribute, noticeSlotOf } from '../workflows/search-attributes.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { beijing, beijingIso, useDeliverableHarness, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

const inRounds = (input: DeliverableInput): DeliverableInput => ({ ...input, noticeRounds: true });

// d10 (综合指导司 leads, 办公室 helps), due Wednesday 30 September 2015: its first 提醒 falls on 16 September, 09:00,
// its first 催办 on 23 September, 09:00 (`test/deliverable-schedule.test.ts`).
const start = beijing('2015-09-01 10:00');
const slot = beijing('2015-09-16 09:00');
const nextSlot = beijing('2015-09-23 09:00');
// Within the grace, and just past it.
const inGrace = slot + noticeRoundGraceMs - 60_000;
const pastGrace = slot + noticeRoundGraceMs + 60_000;

/**
 * What the item publishes for the round: the slot attribute, and the notices in its memo while the slot names them
 * (a withdrawal removes the slot alone; a round lists items by their slot).
 */
async function published(run: DeliverableRun): Promise<{ slot: string | undefined; due: NoticesDue | undefined }> {
  const description = await run.handle.describe();
  const slot = description.typedSearchAttributes.get(noticeSlotAttribute);
  return { slot, due: inheritedPublication(description.memo, slot) };
}

/** The round's report to the item, sent as the round's activity sends it. */
async function report(run: DeliverableRun, delivered: NoticesDelivered): Promise<void> {
  await run.handle.signal(noticesDeliveredSignal, delivered);
}

/** The instants at which the item's log records a 提醒 as sent. */
async function remindersLogged(run: DeliverableRun): Promise<string[]> {
  return (await run.status()).events.filter((e) => e.type === 'notice' && e.what === 'reminder').map((e) => e.at);
}

/** Waits until the item's log records its 提醒 (a signal is handled in a workflow task of its own). */
function reminderRecorded(run: DeliverableRun): Promise<string[]> {
  return waitFor('the 提醒 in the item’s log', async () => {
    const logged = await remindersLogged(run);
    return logged.length > 0 ? logged : undefined;
  }, 10_000, 20);
}

const kinds = (run: DeliverableRun) => run.notices().map((n) => n.kind);

/** The 提醒 the item published for the slot: to both units, keyed as the item will key it. */
async function publishedReminder(run: DeliverableRun): Promise<Notification> {
  const { slot: attribute, due } = await published(run);
  expect(attribute).toBe(noticeSlotOf(slot));
  expect(due?.at).toBe(slot);
  expect(due!.notices.map((n) => [n.kind, n.context.stage, n.scheduledFor, n.to.map((r) => r.unitId)])).toEqual([
    ['reminder', '提醒', beijingIso('2015-09-16 09:00'), ['zonghe', 'bangongshi']],
  ]);
  return due!.notices[0]!;
}

describe('an item whose plan mails in rounds', () => {
  it('publishes its 提醒 for the slot, mails nothing at the slot, and mails it itself when no round reports within the grace', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    const reminder = await publishedReminder(run);

    await run.runUntil(inGrace);
    expect(kinds(run)).toEqual(['assignment']);
    expect(await remindersLogged(run)).toEqual([]);

    await run.runUntil(pastGrace);
    // The fallback is the published notice itself: same key, same recipients, scheduled for the slot.
    expect(await run.delivered('reminder')).toEqual(reminder);
    expect(await remindersLogged(run)).toEqual([beijingIso('2015-09-16 09:00')]);
    const next = await published(run);
    expect(next.slot).toBe(noticeSlotOf(nextSlot));
    expect(next.due?.notices.map((n) => n.context.stage)).toEqual(['催办']);
  });

  it('records the 提醒 a round reports delivered at the slot and never mails it, not even after the grace', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    await publishedReminder(run);

    await report(run, { at: slot, failures: [] });
    expect(await reminderRecorded(run)).toEqual([beijingIso('2015-09-16 09:00')]);
    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment']);
    expect((await run.status()).events.filter((e) => e.type === 'failure')).toEqual([]);
    expect((await published(run)).slot).toBe(noticeSlotOf(nextSlot));
  });

  it('records a permanent failure the round reports for its 提醒 and tells the supervision office, as for its own send', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    const reminder = await publishedReminder(run);

    const error = '550 5.1.1 <zonghe@xinfang.example>: mailbox unavailable';
    await report(run, { at: slot, failures: [{ key: reminder.key, kind: reminder.kind, to: reminder.to, error }] });
    const told = await run.delivered('delivery_failure');
    expect(told.to.map((r) => r.unitId)).toEqual(['duchashi']);
    expect(told.context).toMatchObject({ failedKind: 'reminder', failedKey: reminder.key, error });
    const failures = (await run.status()).events.filter((e) => e.type === 'failure');
    expect(failures).toEqual([expect.objectContaining({ what: 'reminder', to: ['zonghe', 'bangongshi'], note: error })]);
    expect(await reminderRecorded(run)).toEqual([beijingIso('2015-09-16 09:00')]);

    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment', 'delivery_failure']);
  });

  it('ignores a report for another instant and still mails its 提醒 itself after the grace', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    const reminder = await publishedReminder(run);

    await report(run, { at: slot - 24 * 60 * 60_000, failures: [] });
    await run.runUntil(inGrace);
    expect(kinds(run)).toEqual(['assignment']);
    expect(await remindersLogged(run)).toEqual([]);

    await run.runUntil(pastGrace);
    expect(await run.delivered('reminder')).toEqual(reminder);
    expect(kinds(run)).toEqual(['assignment', 'reminder']);
  });

  it('withdraws its published 提醒 when the lead confirms before the slot, so no round finds anything stale to mail', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(beijing('2015-09-15 12:00'));
    await publishedReminder(run);

    expect((await run.update(confirmUpdate, { unitId: 'zonghe' })).status).toBe('awaiting_acceptance');
    expect(await published(run)).toEqual({ slot: undefined, due: undefined });

    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment', 'confirmation']);
    expect(await published(run)).toEqual({ slot: undefined, due: undefined });
  });

  it('keeps waiting for the round’s report when a unit acts between the slot and the report, and mails nothing twice', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    await publishedReminder(run);

    // The round has mailed the 提醒 and is still telling its items when 办公室 reports progress from it.
    await run.runUntil(slot + 60_000);
    await run.update(progressUpdate, { unitId: 'bangongshi', note: '已起草初稿' });
    await run.runUntil(slot + 2 * 60_000);
    expect(kinds(run)).toEqual(['assignment']);

    await report(run, { at: slot, failures: [] });
    expect(await reminderRecorded(run)).toEqual([beijingIso('2015-09-16 09:00')]);
    await run.runUntil(pastGrace);
    expect(kinds(run)).toEqual(['assignment']);
    expect((await published(run)).slot).toBe(noticeSlotOf(nextSlot));
  });

  // Between the slot and the report the round's 提醒 is out (or going out), whatever an action then changes: the
  // log lists it as mailed, and the action's own notices take keys after the round's.
  it('logs the round’s 提醒 at the slot when an extension decided before the report moves the due date, and keys the extension’s notices after it', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    const reminder = await publishedReminder(run);

    await run.runUntil(slot + 60_000);
    await run.update(extensionRequestUpdate, { unitId: 'zonghe', to: '2015-10-30', reason: '需会签' });
    await run.update(extensionDecisionUpdate, { approved: true, reason: '同意', by: '督查室 王主任' });
    await report(run, { at: slot, failures: [] });
    await run.runUntil(pastGrace);

    expect(await remindersLogged(run)).toEqual([beijingIso('2015-09-16 09:00')]);
    expect(kinds(run)).toEqual(['assignment', 'extension_request', 'extension_decision']);
    const keys = run.notices().map((n) => n.key);
    expect(keys).not.toContain(reminder.key);
    expect(new Set(keys).size).toBe(keys.length);
    // The next publication follows the new due date (Friday 30 October): its 提醒 ten working days ahead, not
    // September's 催办.
    const next = await published(run);
    expect(next.due?.notices.map((n) => [n.context.stage, n.scheduledFor])).toEqual([['提醒', beijingIso('2015-10-16 09:00')]]);
  });

  it('logs the round’s 提醒 to every unit it was mailed to when a unit confirms before the report', async () => {
    const run = await harness().startDeliverable('d10', start, (input) => ({ ...inRounds(input), policy: { ...input.policy, completion: 'all' } }));
    await run.runUntil(slot);
    await publishedReminder(run);

    await run.runUntil(slot + 60_000);
    await run.update(confirmUpdate, { unitId: 'bangongshi' });
    await report(run, { at: slot, failures: [] });
    await reminderRecorded(run);
    const logged = (await run.status()).events.filter((e) => e.type === 'notice' && e.what === 'reminder');
    expect(logged.map((e) => [e.at, e.to])).toEqual([[beijingIso('2015-09-16 09:00'), ['zonghe', 'bangongshi']]]);
  });

  it('mails the published 提醒 with its published key when no report comes, though a unit acted inside the grace', async () => {
    const run = await harness().startDeliverable('d10', start, inRounds);
    await run.runUntil(slot);
    const reminder = await publishedReminder(run);

    await run.runUntil(slot + 60_000);
    await run.update(extensionRequestUpdate, { unitId: 'zonghe', to: '2015-10-30', reason: '需会签' });
    await run.runUntil(pastGrace);

    // In key order: the 提醒 keeps the key it was published with, before the request made after the slot.
    expect(kinds(run)).toEqual(['assignment', 'reminder', 'extension_request']);
    expect(await run.delivered('reminder')).toEqual(reminder);
    expect((await run.delivered('extension_request')).key).not.toBe(reminder.key);
    expect(await remindersLogged(run)).toEqual([beijingIso('2015-09-16 09:00')]);
  });
});
