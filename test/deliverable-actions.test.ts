import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  acceptUpdate, cancelUpdate, confirmUpdate, escalateUpdate, extensionDecisionUpdate, extensionRequestUpdate, progressUpdate, rejectUpdate,
  type DeliverableInput,
} from '../workflows/definitions.ts';
import { beijing, useDeliverableHarness, noticeLine, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();
// d01 and d12 have milestones in the shipped plan, long past when these tests start them; the item's own rules are
// tested here, the milestones in milestone-schedule.test.ts.
const withoutMilestones = (input: DeliverableInput): DeliverableInput => ({ ...input, milestones: undefined });

const supervisor = '督查室 王主任';
const kinds = (run: DeliverableRun) => run.notices().map((n) => n.kind);

describe('units confirming', () => {
  it('stops every later notice once the lead confirms on time, and closes on acceptance', async () => {
    // d02: 综合指导司 leads, 来访接待司 helps; due 30 June 2015, the 端午 holiday on 22 June.
    const run = await harness().startDeliverable('d02', beijing('2015-06-01 10:00'));
    await run.runUntil(beijing('2015-06-24 12:00'));
    expect(run.notices().map(noticeLine).slice(1)).toEqual([
      'reminder提醒 2015-06-15T09:00 → zonghe,laifang',
      'reminder催办 2015-06-23T09:00 → zonghe,laifang',
    ]);
    const confirmed = await run.handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe', note: '意见已印发' }] });
    expect(confirmed).toMatchObject({ status: 'awaiting_acceptance', light: 'green' });
    // What the unit's result page shows comes with the answer: the acting unit and the lead only, without notes.
    expect(confirmed.facts).toMatchObject({ status: 'awaiting_acceptance', due: '2015-06-30', units: [{ unitId: 'zonghe', lead: true, confirmedAt: expect.any(String) }] });
    expect(confirmed.facts!.units).toHaveLength(1);
    expect(JSON.stringify(confirmed.facts)).not.toContain('意见已印发');
    await run.runUntil(beijing('2015-08-31 12:00'));
    expect(kinds(run)).toEqual(['assignment', 'reminder', 'reminder', 'confirmation']);
    // The supervisor's actions answer without unit facts (the console reads the full view).
    expect((await run.handle.executeUpdate(acceptUpdate, { args: [{ by: supervisor }] })).facts).toBeUndefined();
    const final = await run.handle.result();
    expect(final).toMatchObject({ status: 'done', light: 'grey' });
    expect(final.units.find((u) => u.unitId === 'zonghe')).toMatchObject({ lead: true, note: '意见已印发' });
    expect(kinds(run)).toEqual(['assignment', 'reminder', 'reminder', 'confirmation', 'completion']);
  });

  it('waits for the lead when only the lead can complete, whatever the other units say', async () => {
    const run = await harness().startDeliverable('d02', beijing('2015-06-01 10:00'));
    const afterHelper = await run.handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'laifang' }] });
    expect(afterHelper.status).toBe('in_progress');
    expect(afterHelper.facts!.units.map((u) => u.unitId).sort()).toEqual(['laifang', 'zonghe']);
    await run.runUntil(beijing('2015-06-15 12:00'));
    // The reminder goes only to the unit that has not confirmed.
    expect(run.notices().map(noticeLine).at(-1)).toBe('reminder提醒 2015-06-15T09:00 → zonghe');
    expect((await run.update(confirmUpdate, { unitId: 'zonghe' })).status).toBe('awaiting_acceptance');
  });

  it('waits for every unit when the policy says all must confirm', async () => {
    // d01 overrides the policy: each of its four units confirms its own part.
    const run = await harness().startDeliverable('d01', beijing('2015-11-16 10:00'), withoutMilestones);
    for (const unitId of ['banxin-1', 'banxin-2', 'laifang']) {
      expect((await run.update(confirmUpdate, { unitId })).status).toBe('in_progress');
    }
    await run.runUntil(beijing('2015-12-01 12:00'));
    expect(run.notices().map(noticeLine).at(-1)).toBe('reminder提醒 2015-12-01T09:00 → tousuban');
    expect((await run.update(confirmUpdate, { unitId: 'tousuban' })).status).toBe('awaiting_acceptance');
  });

  it('accepts a confirmation that comes after the level-2 escalation, and stops the overdue notices', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-21 10:00'));
    await run.runUntil(beijing('2015-10-22 12:00'));
    expect((await run.status()).escalationLevel).toBe(2);
    const before = run.notices().length;
    await run.update(confirmUpdate, { unitId: 'zonghe', note: '迟交' });
    await run.update(acceptUpdate, { by: supervisor });
    const final = await run.handle.result();
    expect(final).toMatchObject({ status: 'done', escalationLevel: 2 });
    expect(run.notices().slice(before).map((n) => n.kind)).toEqual(['confirmation', 'completion']);
  });
});

describe('the supervision office acting', () => {
  it('escalates by hand with a remark the units receive, and the automatic ladder goes on from there', async () => {
    const run = await harness().startDeliverable('d08', beijing('2015-04-01 10:00'));
    await run.runUntil(beijing('2015-04-10 15:00'));
    const escalated = await run.update(escalateUpdate, { remark: '请于本周内报送工作方案初稿', by: supervisor });
    expect(escalated).toMatchObject({ status: 'escalated', light: 'red', escalationLevel: 1 });
    const notice = await run.delivered('escalation');
    expect(notice.to.map((r) => r.unitId)).toEqual(['yanjiushi']);
    expect(notice.cc.map((r) => r.unitId)).toEqual(['duchashi']);
    expect(notice.context).toMatchObject({ manual: true, remark: '请于本周内报送工作方案初稿', level: 1, levelLabel: '督办', by: supervisor });
    // due 30 April; 1 May is 劳动节, so overdue starts 4 May; level 2 ten working days later.
    await run.runUntil(beijing('2015-05-18 12:00'));
    expect(run.notices().filter((n) => n.kind === 'escalation').map(noticeLine)).toEqual([
      'escalation1 2015-04-10T15:00 → yanjiushi,duchashi',
      'escalation2 2015-05-18T09:00 → yanjiushi,leadership',
    ]);
  });

  it('moves the due date and rebuilds the schedule when an extension is approved', async () => {
    // d06 列出国家信访局职责清单: 研究室; due Friday 29 May 2015.
    const run = await harness().startDeliverable('d06', beijing('2015-05-04 10:00'));
    await run.runUntil(beijing('2015-05-20 12:00'));
    const requested = await run.update(extensionRequestUpdate, { unitId: 'yanjiushi', to: '2015-06-30', reason: '需征求法制办意见' });
    expect(requested.pendingExtension).toMatchObject({ unitId: 'yanjiushi', to: '2015-06-30' });
    const approved = await run.update(extensionDecisionUpdate, { approved: true, reason: '同意延期', by: supervisor });
    expect(approved).toMatchObject({ due: '2015-06-30', originalDue: '2015-05-29' });
    expect(approved.pendingExtension).toBeUndefined();
    await run.runUntil(beijing('2015-07-01 12:00'));
    const lines = run.notices().map(noticeLine);
    // Overdue from the new due date on: the first overdue day's notice is the 督办 that falls at the same instant.
    expect(lines.filter((l) => /^(overdue|escalation)/.test(l))).toEqual(['escalation1 2015-07-01T09:00 → yanjiushi,duchashi']);
    expect(lines.filter((l) => l.startsWith('reminder')).slice(-3)).toEqual([
      'reminder提醒 2015-06-15T09:00 → yanjiushi',
      'reminder催办 2015-06-23T09:00 → yanjiushi',
      'reminder催办 2015-06-29T09:00 → yanjiushi',
    ]);
    const decision = await run.delivered('extension_decision');
    expect(decision.context).toMatchObject({ approved: true, previousDue: '2015-05-29', requestedDue: '2015-06-30' });
  });

  it('keeps the schedule when an extension is denied, and tells the units why', async () => {
    const run = await harness().startDeliverable('d06', beijing('2015-05-04 10:00'));
    await run.update(extensionRequestUpdate, { unitId: 'yanjiushi', to: '2015-06-30', reason: '人手不足' });
    const denied = await run.update(extensionDecisionUpdate, { approved: false, reason: '时间节点不能调整', by: supervisor });
    expect(denied.due).toBe('2015-05-29');
    expect(denied.pendingExtension).toBeUndefined();
    await run.runUntil(beijing('2015-06-01 12:00'));
    expect(run.notices().map(noticeLine).filter((l) => /^(overdue|escalation)/.test(l))).toEqual(['escalation1 2015-06-01T09:00 → yanjiushi,duchashi']);
    expect((await run.delivered('extension_decision')).context).toMatchObject({ approved: false, reason: '时间节点不能调整' });
  });

  it('sends a rejected completion back to the units with the reason, and reminders resume', async () => {
    const run = await harness().startDeliverable('d12', beijing('2015-07-01 10:00'), withoutMilestones);
    const reported = await run.update(progressUpdate, { unitId: 'yanjiushi', note: '初稿完成' });
    // The text of the report is kept beside its time, for the console and the digest.
    expect(reported.units[0]).toMatchObject({ unitId: 'yanjiushi', lastProgressNote: '初稿完成' });
    expect(reported.completion).toBe('lead');
    await run.update(confirmUpdate, { unitId: 'yanjiushi' });
    const rejected = await run.update(rejectUpdate, { by: supervisor, reason: '缺少新闻发言人制度' });
    expect(rejected).toMatchObject({ status: 'in_progress' });
    expect(rejected.units[0]!.confirmedAt).toBeUndefined();
    expect((await run.delivered('rejection')).context).toMatchObject({ reason: '缺少新闻发言人制度' });
    await run.runUntil(beijing('2015-07-31 12:00'));
    expect(kinds(run).filter((k) => k === 'reminder')).toHaveLength(3);
  });

  it('closes a cancelled item with its reason and sends nothing more', async () => {
    const run = await harness().startDeliverable('d09', beijing('2015-09-01 10:00'));
    await run.update(cancelUpdate, { by: supervisor, reason: '并入第十二项统一办理' });
    const final = await run.handle.result();
    expect(final).toMatchObject({ status: 'cancelled', light: 'grey', closedReason: '并入第十二项统一办理' });
    expect(kinds(run)).toEqual(['assignment', 'cancellation']);
  });
});

describe('invalid calls', () => {
  async function expectRejectedWithoutTrace(run: DeliverableRun, call: () => Promise<unknown>, message: RegExp) {
    const before = await run.updateEventCount();
    const error = await call().then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((error as WorkflowUpdateFailedError).cause?.message)).toMatch(message);
    expect(await run.updateEventCount()).toBe(before);
  }

  it('rejects a confirmation by a unit that is not responsible, leaving no event in history', async () => {
    const run = await harness().startDeliverable('d08', beijing('2015-04-01 10:00'));
    await run.status();
    await expectRejectedWithoutTrace(run, () => run.update(confirmUpdate, { unitId: 'renshisi' }), /not a responsible unit/);
  });

  it('rejects malformed input before it reaches the workflow', async () => {
    const run = await harness().startDeliverable('d08', beijing('2015-04-01 10:00'));
    await run.status();
    await expectRejectedWithoutTrace(run, () => run.update(escalateUpdate, { remark: '', by: supervisor }), /too_small|at least|>=1/i);
    await expectRejectedWithoutTrace(run, () => run.update(confirmUpdate, { unitId: 'yanjiushi', extra: 1 } as never), /unrecognized|extra/i);
  });

  it('rejects escalating a finished item', async () => {
    const run = await harness().startDeliverable('d11', beijing('2015-06-01 10:00'));
    await run.update(confirmUpdate, { unitId: 'yanjiushi' });
    await expectRejectedWithoutTrace(run, () => run.update(escalateUpdate, { remark: '催办', by: supervisor }), /不能再办理此操作/);
  });

  it('rejects an extension to a date that has passed', async () => {
    const run = await harness().startDeliverable('d11', beijing('2015-06-01 10:00'));
    await run.status();
    await expectRejectedWithoutTrace(run, () => run.update(extensionDecisionUpdate, { approved: true, to: '2015-05-20', reason: '补登', by: supervisor }), /not a future date/);
    await expectRejectedWithoutTrace(run, () => run.update(extensionRequestUpdate, { unitId: 'yanjiushi', to: '2015-05-30', reason: '补登' }), /not a future date/);
  });

  it('rejects acceptance before any confirmation', async () => {
    const run = await harness().startDeliverable('d11', beijing('2015-06-01 10:00'));
    await run.status();
    await expectRejectedWithoutTrace(run, () => run.update(acceptUpdate, { by: supervisor }), /nothing to accept/);
  });

  it('answers a second confirmation by the same unit with "already confirmed"', async () => {
    const run = await harness().startDeliverable('d11', beijing('2015-06-01 10:00'));
    await run.update(confirmUpdate, { unitId: 'yanjiushi' });
    await expectRejectedWithoutTrace(run, () => run.update(confirmUpdate, { unitId: 'yanjiushi' }), /already confirmed/);
  });
});
