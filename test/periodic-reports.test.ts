/** 定期报送 on the time-skipping server: 催报 on working days and month days off days off, a report resetting it, 报送滞后. */
import { describe, expect, it } from 'vitest';
import { nextReportDeadline } from '../domain/report-schedule.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { confirmUpdate, progressUpdate, rejectUpdate, type DeliverableInput } from '../workflows/definitions.ts';
import { beijing, beijingIso, noticeLine, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

/** The item due at the year's end (so no deadline notice interferes) with a report policy laid over the plan's. */
const reporting = (policy: Partial<DeliverableInput['policy']>) => (input: DeliverableInput): DeliverableInput => ({
  ...input, due: '2015-12-31', policy: { ...input.policy, ...policy },
});

const reportLines = (lines: string[]) => lines.filter((l) => l.startsWith('report_reminder'));

describe('periodic reports every N working days', () => {
  it('sends 催报 to the lead after 10 working days without a report, turns the item yellow, and a report turns it green and restarts the count', async () => {
    // d10: 综合指导司 leads, 办公室 helps. From Tuesday 1 September 2015: 3–4 September (victory day) are off,
    // Sunday 6 September is a make-up working day, so the 10th working day is Wednesday 16 September.
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), reporting({ reportEvery: 10 }));
    await run.runUntil(beijing('2015-09-16 12:00'));
    expect(reportLines(run.notices().map(noticeLine))).toEqual(['report_reminder 2015-09-16T09:00 → zonghe']);
    const reminder = await run.delivered('report_reminder');
    expect(reminder.context).toMatchObject({ reportCadence: '每10个工作日', reportsMissed: 1 });
    expect(reminder.context.lastReportAt).toBeUndefined();
    expect(await run.status()).toMatchObject({ status: 'lagging', light: 'yellow', reporting: { lagging: true, missed: 1 } });

    // A co-unit's report is recorded but does not stand for the lead's.
    let view = await run.update(progressUpdate, { unitId: 'bangongshi', note: '已提供统计口径意见', stage: '推进中' });
    expect(view).toMatchObject({ status: 'lagging', light: 'yellow' });
    expect(view.units.find((u) => u.unitId === 'bangongshi')).toMatchObject({ lastProgressNote: '已提供统计口径意见', lastProgressStage: '推进中' });

    view = await run.update(progressUpdate, { unitId: 'zonghe', note: '初稿已完成，正征求意见', percent: 40 });
    expect(view).toMatchObject({ status: 'in_progress', light: 'green', reporting: { lagging: false, missed: 0, nextDeadline: beijingIso('2015-09-30 09:00') } });
    expect(view.units.find((u) => u.lead)).toMatchObject({ lastProgressPercent: 40, lastProgressNote: '初稿已完成，正征求意见' });

    // Reported again on Friday 25 September: the count restarts there, so nothing is due on the 30th; ten working
    // days after the 25th, across the National Day holiday (1–7 October) and its make-up Saturday 10 October, is Thursday 15 October.
    await run.runUntil(beijing('2015-09-25 15:00'));
    view = await run.update(progressUpdate, { unitId: 'zonghe', note: '征求意见稿已发各司室', stage: '推进中' });
    expect(view.reporting?.nextDeadline).toBe(beijingIso('2015-10-15 09:00'));
    await run.runUntil(beijing('2015-11-02 12:00'));
    expect(reportLines(run.notices().map(noticeLine))).toEqual([
      'report_reminder 2015-09-16T09:00 → zonghe',
      'report_reminder 2015-10-15T09:00 → zonghe',
      // still nothing: the next period counts from the missed deadline
      'report_reminder 2015-10-29T09:00 → zonghe',
    ]);
    const last = await run.delivered('report_reminder');
    expect(last.context).toMatchObject({ reportsMissed: 2 });
    expect(last.context.lastReportAt?.slice(0, 16)).toBe('2015-09-25T15:00');
    expect(await run.status()).toMatchObject({ status: 'lagging', light: 'yellow' });
  });

  it('keeps a red item red when its report is missing, and red after the report comes', async () => {
    // d10 due Wednesday 30 September: 督办 (level 1) on 8 October, reports every 5 working days.
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), (i) => ({ ...i, policy: { ...i.policy, reportEvery: 5 } }));
    await run.runUntil(beijing('2015-10-09 12:00'));
    const lines = run.notices().map(noticeLine);
    expect(lines).toContain('escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi');
    expect(reportLines(lines).length).toBeGreaterThanOrEqual(4);
    expect(await run.status()).toMatchObject({ status: 'escalated', light: 'red', reporting: { lagging: true } });
    const view = await run.update(progressUpdate, { unitId: 'zonghe', note: '已报分管领导审定', stage: '基本完成' });
    expect(view).toMatchObject({ status: 'escalated', light: 'red', reporting: { lagging: false } });
  });

  it('asks for no report while the item awaits acceptance, and counts afresh from a rejection instead of chasing the missed periods', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), reporting({ reportEvery: 10 }));
    await run.runUntil(beijing('2015-09-02 10:00'));
    expect(await run.update(confirmUpdate, { unitId: 'zonghe', note: '已印发' })).toMatchObject({ status: 'awaiting_acceptance' });
    await run.runUntil(beijing('2015-10-20 10:00'));
    expect(reportLines(run.notices().map(noticeLine))).toEqual([]);
    const view = await run.update(rejectUpdate, { by: '督查室', reason: '请补充配套细则' });
    // Ten working days from Tuesday 20 October: Tuesday 3 November.
    expect(view.reporting?.nextDeadline).toBe(beijingIso('2015-11-03 09:00'));
    await run.runUntil(beijing('2015-11-04 12:00'));
    expect(reportLines(run.notices().map(noticeLine))).toEqual(['report_reminder 2015-11-03T09:00 → zonghe']);
  });

  it('refuses a percent outside 0–100 or an unknown stage before it enters history', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), reporting({ reportEvery: 10 }));
    const before = await run.updateEventCount();
    await expect(run.handle.executeUpdate(progressUpdate, { args: [{ unitId: 'zonghe', note: '进展', percent: 101 }] })).rejects.toThrow();
    await expect(run.handle.executeUpdate(progressUpdate, { args: [{ unitId: 'zonghe', note: '进展', stage: '快完了' as '推进中' }] })).rejects.toThrow();
    expect(await run.updateEventCount()).toBe(before);
    expect((await run.status()).units.find((u) => u.lead)?.lastProgress).toBeUndefined();
  });
});

describe('periodic reports on a day of the month', () => {
  it('falls due on the 25th, moved to the next working day when it is a day off, and a report in the month satisfies it', async () => {
    // From Wednesday 1 April 2015: 25 April is a Saturday (→ Monday 27 April); a report on 20 May covers May;
    // 25 June is a Thursday; 25 July a Saturday (→ Monday 27 July).
    const run = await harness().startDeliverable('d10', beijing('2015-04-01 10:00'), reporting({ reportDayOfMonth: 25 }));
    await run.runUntil(beijing('2015-04-27 12:00'));
    expect(await run.status()).toMatchObject({ status: 'lagging', light: 'yellow' });
    await run.runUntil(beijing('2015-05-20 10:00'));
    const view = await run.update(progressUpdate, { unitId: 'zonghe', note: '已完成调研', percent: 30 });
    expect(view).toMatchObject({ status: 'in_progress', light: 'green', reporting: { nextDeadline: beijingIso('2015-05-25 09:00') } });
    await run.runUntil(beijing('2015-07-28 12:00'));
    expect(reportLines(run.notices().map(noticeLine))).toEqual([
      'report_reminder 2015-04-27T09:00 → zonghe',
      'report_reminder 2015-06-25T09:00 → zonghe',
      'report_reminder 2015-07-27T09:00 → zonghe',
    ]);
    expect((await run.delivered('report_reminder')).context).toMatchObject({ reportCadence: '每月25日（遇节假日顺延）', reportsMissed: 2 });
  });

  it('reads the 31st as the month’s last day, which may be a make-up working Saturday', () => {
    const calendar = new WorkingDayCalendar('Asia/Shanghai');
    const policy = { sendHour: 9, reportDayOfMonth: 31 };
    // 28 February 2015 was a Saturday worked in exchange for the Spring Festival holiday.
    expect(nextReportDeadline(calendar, policy, beijing('2015-02-01 10:00'))).toBe(beijing('2015-02-28 09:00'));
    // 31 May 2015 is a Sunday: the deadline moves to Monday 1 June.
    expect(nextReportDeadline(calendar, policy, beijing('2015-05-01 10:00'))).toBe(beijing('2015-06-01 09:00'));
    // After that moved deadline, the next is June's last day.
    expect(nextReportDeadline(calendar, policy, beijing('2015-06-01 09:00'))).toBe(beijing('2015-06-30 09:00'));
  });
});
