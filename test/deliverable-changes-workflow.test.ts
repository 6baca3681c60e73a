/**
 * Mid-year changes on the time-skipping server: the schedule after a change of lead, and a reopened run that carries
 * its closed run's log. Recorded as replay fixtures (`npm run record-histories`), so the new paths replay too.
 */
import { describe, expect, it } from 'vitest';
import { createPlanChanges } from '../activities/plan-changes.ts';
import { acceptUpdate, carriedQuery, confirmUpdate, reviseUpdate, type DeliverableInput } from '../workflows/definitions.ts';
import { beijing, noticeLine, useDeliverableHarness } from './helpers/deliverable-harness.ts';
import { waitFor } from './helpers/duban-cli.ts';

const harness = useDeliverableHarness();
const by = '督查室 王主任';
/** A unit of the harness's plan as a revision lists it. */
const unit = (id: string) => {
  const u = harness().plan.units.find((x) => x.id === id)!;
  return { unitId: u.id, name: u.name, emails: [...u.emails] };
};

describe('a deliverable changed mid-year', () => {
  it('reminds the new units after a change of lead, and the units that left hear nothing more', async () => {
    // d02: 综合指导司 leads, 来访接待司 helps; due 30 June 2015.
    const run = await harness().startDeliverable('d02', beijing('2015-06-01 10:00'));
    const view = await run.update(reviseUpdate, { units: [unit('laifang'), unit('bangongshi')], reason: '改由来访接待司牵头，办公室协办', by });
    expect(view.units.map((u) => [u.unitId, u.lead])).toEqual([['laifang', true], ['bangongshi', false]]);
    await run.runUntil(beijing('2015-06-24 12:00'));
    expect(run.notices().map(noticeLine)).toEqual([
      'assignment 2015-06-01T10:00 → zonghe,laifang',
      'assignment 2015-06-01T10:00 → bangongshi',
      'units_changed 2015-06-01T10:00 → zonghe,laifang',
      'reminder提醒 2015-06-15T09:00 → laifang,bangongshi',
      'reminder催办 2015-06-23T09:00 → laifang,bangongshi',
    ]);
    await expect(run.handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] })).rejects.toThrow();
    expect((await run.update(confirmUpdate, { unitId: 'laifang' })).status).toBe('awaiting_acceptance');
  });

  it('moves its milestones to the new units: the unit that left hears nothing more of them', async () => {
    // d01: 方案 by 办信一司 alone (30 April), 中期 by the item's four units (31 July); 办信一司 leads.
    const run = await harness().startDeliverable('d01', beijing('2015-04-01 10:00'));
    await run.update(reviseUpdate, { units: [unit('laifang'), unit('banxin-2')], reason: '改由来访接待司牵头', by });
    await run.runUntil(beijing('2015-05-05 12:00'));
    const aboutFangan = run.notices().filter((n) => n.context.milestone?.id === 'fangan').map(noticeLine);
    expect(aboutFangan).toEqual([
      'reminder提醒 2015-04-16T09:00 → laifang,banxin-2',
      'reminder催办 2015-04-23T09:00 → laifang,banxin-2',
      'reminder催办 2015-04-29T09:00 → laifang,banxin-2',
      'escalation1 2015-05-04T09:00 → laifang,banxin-2,duchashi',
    ]);
    const view = await run.status();
    expect(view.milestones?.map((m) => [m.id, m.units.join(',')])).toEqual([
      ['fangan', 'laifang,banxin-2'], ['zhongqi', 'laifang,banxin-2'], ['zongjie', 'laifang,banxin-2'],
    ]);
  });

  it('runs a milestone added mid-year on its own schedule, to its own unit, and a removed one falls silent', async () => {
    // d01: 方案 (30 April, 办信一司), 中期 (31 July, the item's four units), 总结 (15 December, the item's date).
    const run = await harness().startDeliverable('d01', beijing('2015-04-01 10:00'));
    const fangan = { id: 'fangan', title: '制定治理工作方案', due: '2015-04-30', units: [unit('banxin-1')] };
    const zongjie = { id: 'zongjie', title: '治理工作总结', due: '2015-12-15' };
    const diaoyan = { id: 'diaoyan', title: '专项调研报告', due: '2015-06-30', units: [unit('banxin-2')] };
    await run.update(reviseUpdate, { milestones: [fangan, diaoyan, zongjie], reason: '中期报告改为专项调研', by });
    await run.runUntil(beijing('2015-08-05 12:00'));
    // Told at once: 办信二司 of its new milestone, and every unit of 中期, which went to all four, of its removal.
    const told = run.notices().filter((n) => n.kind === 'milestones_changed');
    expect(told.map((n) => [noticeLine(n), n.context.milestoneChanges])).toEqual([
      [expect.stringMatching(/^milestones_changed 2015-04-01T10:0\d → banxin-1,banxin-2,laifang,tousuban$/), ['新增节点“专项调研报告”（2015-06-30）', '删除节点“中期推进情况报告”']],
    ]);
    const about = (id: string) => run.notices().filter((n) => n.context.milestone?.id === id).map(noticeLine);
    expect(about('diaoyan')).toEqual([
      'reminder提醒 2015-06-15T09:00 → banxin-2',
      'reminder催办 2015-06-23T09:00 → banxin-2',
      'reminder催办 2015-06-29T09:00 → banxin-2',
      'escalation1 2015-07-01T09:00 → banxin-2,duchashi',
      'overdue 2015-07-08T09:00 → banxin-2,duchashi',
      'escalation2 2015-07-15T09:00 → banxin-2,leadership',
      'overdue 2015-07-22T09:00 → banxin-2,duchashi',
    ]);
    // 中期 (31 July) would have been reminded from mid-July.
    expect(about('zhongqi')).toEqual([]);
    expect((await run.status()).milestones?.map((m) => [m.id, m.status])).toEqual([['fangan', 'escalated'], ['diaoyan', 'escalated'], ['zongjie', 'assigned']]);
  });

  it('reminds by new rules from the moment they are given, and escalates on the new ladder', async () => {
    // d02: due 30 June 2015; reminders were 10, 5 and 1 working days before, 督办 on the first overdue day.
    const run = await harness().startDeliverable('d02', beijing('2015-06-01 10:00'));
    const { input } = await run.handle.query(carriedQuery) as { input: DeliverableInput };
    const escalation = input.escalation.map((l) => ({ ...l, label: l.level === 1 ? '书面督办' : l.label, recipients: l.recipients.map((r) => unit(r.unitId)) }));
    await run.update(reviseUpdate, { policy: { ...input.policy, reminderOffsets: [3, 1], sendHour: 10 }, escalation, reason: '年中统一调整提醒规则', by });
    await run.runUntil(beijing('2015-07-02 12:00'));
    expect(run.notices().filter((n) => n.kind !== 'acknowledgement_reminder').map((n) => `${noticeLine(n)}${n.context.levelLabel ?? ''}`)).toEqual([
      'assignment 2015-06-01T10:00 → zonghe,laifang',
      'reminder提醒 2015-06-25T10:00 → zonghe,laifang',
      'reminder催办 2015-06-29T10:00 → zonghe,laifang',
      'escalation1 2015-07-01T10:00 → zonghe,laifang,duchashi书面督办',
    ]);
  });

  it('reopens a done item as a new run that keeps the closed run’s log and schedules again until the new date', async () => {
    const run = await harness().startDeliverable('d02', beijing('2015-06-01 10:00'));
    await run.update(confirmUpdate, { unitId: 'zonghe', note: '意见已印发' });
    await run.update(acceptUpdate, { by });
    // Polled, not awaited with result(): waiting on a result lets the time-skipping server run its clock ahead.
    await waitFor('the item closed', async () => ((await run.handle.describe()).status.name === 'COMPLETED' ? true : undefined));
    const planTime = await run.now();
    const changes = createPlanChanges({ client: harness().env.client, snapshotDir: '/nonexistent', now: () => planTime - run.clockOffsetMs });
    const [planId, ...rest] = run.handle.workflowId.split('/');
    await changes.reopen(planId!, rest.join('/'), { due: '2015-07-31', reason: '需补充实施细则', by });
    await run.runUntil(beijing('2015-07-20 12:00'));
    const view = await run.status();
    expect(view).toMatchObject({ status: 'in_progress', due: '2015-07-31' });
    expect(view.events.map((e) => e.what)).toEqual(['assignment', 'confirm', 'confirmation', 'accept', 'completion', 'reopen', 'reopened', 'reminder']);
    expect(run.notices().map(noticeLine).slice(-2)).toEqual([
      expect.stringMatching(/^reopened 2015-06-01T10:0\d → zonghe,laifang,duchashi$/),
      'reminder提醒 2015-07-17T09:00 → zonghe,laifang',
    ]);
  });
});
