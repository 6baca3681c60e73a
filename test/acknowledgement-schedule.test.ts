import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { acknowledgeUpdate, escalateUpdate, progressUpdate, type DeliverableInput } from '../workflows/definitions.ts';
import { beijing, beijingIso, noticeLine, useDeliverableHarness, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

/** The shipped plan's 签收 policy, put back on the deliverable (the harness starts without it); `hold` in working days. */
const withAcknowledgement = (hold = 5) => (input: DeliverableInput): DeliverableInput => ({
  ...input, policy: { ...input.policy, acknowledgeWithin: 3, acknowledgementPausesEscalation: hold },
});

const acknowledgementReminders = (run: DeliverableRun) => run.notices().filter((n) => n.kind === 'acknowledgement_reminder').map(noticeLine);
const escalations = (run: DeliverableRun) => run.notices().filter((n) => n.kind === 'escalation').map(noticeLine);

/** Runs an update the workflow must refuse; returns the refusal's type and message, and checks no history was written. */
async function refused(run: DeliverableRun, input: unknown): Promise<{ type?: string; message: string }> {
  const before = await run.updateEventCount();
  const err: unknown = await run.handle.executeUpdate(acknowledgeUpdate, { args: [input as never] }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(await run.updateEventCount()).toBe(before);
  const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string };
  return { type: cause.type, message: cause.message };
}

describe('催签: units that do not acknowledge their assignment', () => {
  it('are reminded on the 3rd working day at 09:00, again 3 working days later with the supervisor copied, and no longer once they acknowledged or acted', async () => {
    // d10: 综合指导司 leads, 办公室 helps; assigned Tuesday 1 September 2015. 3–5 September are days off (抗战胜利纪念日
    // and the weekend); Sunday 6 September is a make-up working day: working days 2, 6, 7 September → 催签 on the 7th.
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), withAcknowledgement());
    await run.runUntil(beijing('2015-09-07 12:00'));
    expect(acknowledgementReminders(run)).toEqual(['acknowledgement_reminder 2015-09-07T09:00 → zonghe,bangongshi']);
    expect(run.notices().at(-1)!.context).toMatchObject({ round: 1, workingDaysSinceAssignment: 3 });

    const acknowledged = await run.update(acknowledgeUpdate, { unitId: 'bangongshi' });
    expect(acknowledged.units.find((u) => u.unitId === 'bangongshi')!.acknowledgedAt).toMatch(/^2015-09-07T12:00/);
    expect(acknowledged.events.at(-1)).toMatchObject({ type: 'action', what: 'acknowledge', by: 'bangongshi' });
    await run.runUntil(beijing('2015-09-10 12:00'));
    // Only the lead is still silent; the second 催签 copies 督查室.
    expect(acknowledgementReminders(run)).toEqual([
      'acknowledgement_reminder 2015-09-07T09:00 → zonghe,bangongshi',
      'acknowledgement_reminder 2015-09-10T09:00 → zonghe,duchashi',
    ]);

    // A progress report is an acknowledgement too: no 催签 follows, whatever the calendar.
    const reported = await run.update(progressUpdate, { unitId: 'zonghe', note: '已起草初稿' });
    expect(reported.units.every((u) => u.acknowledgedAt)).toBe(true);
    await run.runUntil(beijing('2015-09-30 12:00'));
    expect(acknowledgementReminders(run)).toHaveLength(2);
  });

  it('are reminded at most three times, the last two copied to the supervisor', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), withAcknowledgement());
    await run.runUntil(beijing('2015-09-15 12:00'));
    expect((await run.status()).nextNotice).toEqual({ kind: 'reminder', at: beijingIso('2015-09-16 09:00') });
    await run.runUntil(beijing('2015-09-29 12:00'));
    expect(acknowledgementReminders(run)).toEqual([
      'acknowledgement_reminder 2015-09-07T09:00 → zonghe,bangongshi',
      'acknowledgement_reminder 2015-09-10T09:00 → zonghe,bangongshi,duchashi',
      'acknowledgement_reminder 2015-09-15T09:00 → zonghe,bangongshi,duchashi',
    ]);
  });

  it('stops at the due date: an item nobody acknowledges is then left to the overdue notices', async () => {
    // d09 (办公室 alone) assigned 14 September with its due date moved to 24 September: 催签 on the 17th and the 22nd only.
    const run = await harness().startDeliverable('d09', beijing('2015-09-14 09:30'), (input) => ({ ...withAcknowledgement()(input), due: '2015-09-24' }));
    await run.runUntil(beijing('2015-10-09 12:00'));
    expect(acknowledgementReminders(run)).toEqual([
      'acknowledgement_reminder 2015-09-17T09:00 → bangongshi',
      'acknowledgement_reminder 2015-09-22T09:00 → bangongshi,duchashi',
    ]);
    expect((await run.status()).units[0]!.acknowledgedAt).toBeUndefined();
  });

  it('answers a repeated 签收 kindly and refuses a unit that is not responsible, both before history', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), withAcknowledgement());
    await run.update(acknowledgeUpdate, { unitId: 'zonghe' });
    expect(await refused(run, { unitId: 'zonghe' })).toMatchObject({ type: 'AlreadySubmittedError', message: expect.stringContaining('已于2015-09-01 10:00签收') });
    expect(await refused(run, { unitId: 'yanjiushi' })).toMatchObject({ type: 'InvalidActionError', message: expect.stringContaining('不是本事项的责任单位') });
    expect((await refused(run, { unitId: 'zonghe', by: 'x' })).message).toMatch(/by|unrecognized/i);
    // Not overdue: nothing to hold.
    expect((await refused(run, { unitId: 'zonghe', holdEscalation: true })).message).toContain('事项未超期');
    expect((await run.status()).events.filter((e) => e.what === 'acknowledge')).toHaveLength(1);
  });
});

describe('已签收·正在办理: the lead holds automatic escalation of an overdue item', () => {
  it('moves the next automatic escalation to the end of the hold, once per level, leaving overdue notices alone', async () => {
    // d10 is due 30 September; level 1 on 8 October, level 2 normally on 21 October.
    const run = await harness().startDeliverable('d10', beijing('2015-09-21 10:00'), withAcknowledgement(15));
    await run.runUntil(beijing('2015-10-09 10:00'));
    expect(escalations(run)).toEqual(['escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi']);
    expect((await refused(run, { unitId: 'bangongshi', holdEscalation: true })).message).toContain('只有牵头单位');

    const held = await run.update(acknowledgeUpdate, { unitId: 'zonghe', holdEscalation: true });
    // 15 working days from Friday 9 October, counting Saturday 10 October (调休): Thursday 29 October.
    expect(held.escalationHold).toMatchObject({ until: '2015-10-29', at: expect.stringMatching(/^2015-10-09T10:00/), level: 1 });
    expect(held.units[0]!.acknowledgedAt).toMatch(/^2015-10-09T10:00/);
    expect(held.events.at(-1)).toMatchObject({ what: 'escalation_hold', by: 'zonghe' });
    expect(held.nextNotice).toEqual({ kind: 'overdue', at: beijingIso('2015-10-14 09:00') });
    expect(await refused(run, { unitId: 'zonghe', holdEscalation: true })).toMatchObject({ type: 'AlreadySubmittedError', message: expect.stringContaining('2015-10-29') });

    await run.runUntil(beijing('2015-10-29 12:00'));
    expect(escalations(run)).toEqual([
      'escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi',
      'escalation2 2015-10-29T09:00 → zonghe,bangongshi,leadership',
    ]);
    expect(run.notices().filter((n) => n.kind === 'overdue').map((n) => n.scheduledFor.slice(0, 10))).toEqual(['2015-10-14', '2015-10-28']);
    expect((await run.status()).escalationHold).toBeUndefined();
  });

  it('does not hold the supervisor: manual 督办 during the hold raises the level at once and ends the hold', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-21 10:00'), withAcknowledgement(15));
    await run.runUntil(beijing('2015-10-09 10:00'));
    await run.update(acknowledgeUpdate, { unitId: 'zonghe', holdEscalation: true });
    const escalated = await run.update(escalateUpdate, { remark: '请本周内报送', by: '督查室 王主任' });
    expect(escalated).toMatchObject({ escalationLevel: 2 });
    expect(escalated.escalationHold).toBeUndefined();
    // Held once at level 1 already; at level 2 (the top) there is no automatic escalation left to hold.
    expect((await refused(run, { unitId: 'zonghe', holdEscalation: true })).message).toContain('最高督办级别');
  });
});
