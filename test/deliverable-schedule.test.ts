import { describe, expect, it } from 'vitest';
import { beijing, beijingIso, useDeliverableHarness, noticeLine } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

describe('the automatic schedule of a deliverable nobody confirms', () => {
  it('reminds, goes overdue and escalates at 09:00 on working days only, across National Day and its make-up Saturday', async () => {
    // d10 出台关于进一步加强和规范信访统计工作的意见: 综合指导司 leads, 办公室 helps; due Wednesday 30 September 2015.
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    await run.runUntil(beijing('2015-10-22 12:00'));
    expect(run.notices().map(noticeLine)).toEqual([
      expect.stringMatching(/^assignment 2015-09-01T10:00 → zonghe,bangongshi$/),
      // ten working days before: 3–4 September (victory day) are off, Sunday 6 September is a make-up day
      'reminder提醒 2015-09-16T09:00 → zonghe,bangongshi',
      // five working days before: Saturday 26 and Sunday 27 September (中秋) are off
      'reminder催办 2015-09-23T09:00 → zonghe,bangongshi',
      'reminder催办 2015-09-29T09:00 → zonghe,bangongshi',
      // overdue on the first working day after the due date (1–7 October are the National Day holiday), and
      // level-1 督办 at the same instant: one notice carrying both, copied to 督查室
      'escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi',
      // five working days on, counting Saturday 10 October (调休)
      'overdue 2015-10-14T09:00 → zonghe,bangongshi,duchashi',
      // level 2 (通报 to 局领导) ten working days after the first overdue day; the next overdue notice waits
      // twice the cadence (10 working days after the last), so none falls here
      'escalation2 2015-10-21T09:00 → zonghe,bangongshi,leadership',
    ]);
    // Days overdue count from 1 on the first working day after the due date.
    expect(run.notices().filter((n) => n.kind === 'overdue' || n.kind === 'escalation').map((n) => n.context.workingDaysOverdue)).toEqual([1, 6, 11]);
    const status = await run.status();
    expect(status).toMatchObject({ status: 'escalated', light: 'red', escalationLevel: 2, due: '2015-09-30' });
    expect(status.nextNotice).toEqual({ kind: 'overdue', at: beijingIso('2015-10-28 09:00') });
    expect(status.events.filter((e) => e.type === 'notice')).toHaveLength(7);
  });

  it('repeats overdue notices at a widening gap: the cadence, then twice, then four times it, no wider', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    await run.runUntil(beijing('2016-01-29 12:00'));
    const overdue = run.notices().filter((n) => n.kind === 'overdue');
    // Due 30 September; with a cadence of 5: the 6th, 16th, 36th, 56th, 76th … working day overdue (the 1st is
    // carried by the 督办 notice at the same instant).
    expect(overdue.map((n) => n.context.workingDaysOverdue)).toEqual([6, 16, 36, 56, 76]);
  });

  it('passes over the supervision office when it leads the item itself, straight to leadership', async () => {
    // d03 评选督查督办精品案例: 督查室 alone; due Monday 30 November 2015.
    const run = await harness().startDeliverable('d03', beijing('2015-11-02 09:30'));
    await run.runUntil(beijing('2015-12-02 12:00'));
    expect(run.notices().map(noticeLine).slice(-1)).toEqual([
      'escalation2 2015-12-01T09:00 → duchashi,leadership',
    ]);
    expect(run.notices().filter((n) => n.kind === 'overdue')).toEqual([]);
    expect(await run.status()).toMatchObject({ status: 'escalated', escalationLevel: 2 });
  });

  it('also passes over the supervision office when it is one of several responsible units', async () => {
    // d07 出台改进复查复核工作的规范性文件: 研究室 leads, 督查室 helps.
    const run = await harness().startDeliverable('d07', beijing('2015-09-21 09:30'));
    await run.runUntil(beijing('2015-10-08 12:00'));
    const escalations = run.notices().filter((n) => n.kind === 'escalation').map(noticeLine);
    expect(escalations).toEqual(['escalation2 2015-10-08T09:00 → yanjiushi,duchashi,leadership']);
  });

  it('moves a due date that falls on a holiday to the next working day', async () => {
    const run = await harness().startDeliverable('d09', beijing('2015-09-14 09:30'), (input) => ({ ...input, due: '2015-10-01' }));
    await run.runUntil(beijing('2015-10-09 12:00'));
    expect(run.notices().map(noticeLine).slice(1)).toEqual([
      // counted back from 8 October, the working day the due date moved to
      'reminder提醒 2015-09-17T09:00 → bangongshi',
      'reminder催办 2015-09-24T09:00 → bangongshi',
      'reminder催办 2015-09-30T09:00 → bangongshi',
      'escalation1 2015-10-09T09:00 → bangongshi,duchashi',
    ]);
    expect((await run.status()).due).toBe('2015-10-08');
  });

  it('is overdue at once when it starts after its due date, and catches up the missed escalation at the next send slot', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-10-12 10:00'));
    expect(await run.status()).toMatchObject({ status: 'overdue', light: 'red', escalationLevel: 0 });
    await run.runUntil(beijing('2015-10-14 12:00'));
    expect(run.notices().map(noticeLine).slice(1)).toEqual([
      'escalation1 2015-10-13T09:00 → zonghe,bangongshi,duchashi',
      'overdue 2015-10-14T09:00 → zonghe,bangongshi,duchashi',
    ]);
  });
});
