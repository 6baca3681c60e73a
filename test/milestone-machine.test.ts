/** The milestones sub-machine through the DeliverableMachine, driven directly: lifecycle rules, views and the timeline flags. */
import { describe, expect, it } from 'vitest';
import { timelineSvg } from '../web/console/timeline-svg.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import type { Notification } from '../workflows/definitions.ts';
import { DeliverableMachine } from '../workflows/deliverable-machine.ts';
import { fireUntil, shippedMachine, shippedPlan } from './helpers/shipped-machine.ts';

describe('milestones in the deliverable machine', () => {
  it('leaves an item without milestones exactly as before: no milestone state, view or notice field', () => {
    const m = shippedMachine('d04', beijing('2015-01-05 10:00'));
    expect(m.state.milestones).toBeUndefined();
    expect(m.view().milestones).toBeUndefined();
    expect(m.assign(beijing('2015-01-05 10:00'))[0]!.deliverable).not.toHaveProperty('milestones');
  });

  it('sends no notices of its own for a milestone on the item’s own due date: the item’s notices cover it', () => {
    // d12: 方案 30 April, 征求意见 30 June, 印发 31 July = the item's due date.
    const m = shippedMachine('d12', beijing('2015-01-05 10:00'));
    const sent = fireUntil(m, beijing('2015-08-03 12:00'));
    const about = (id: string) => sent.filter((n) => n.context.milestone?.id === id).length;
    expect([about('fangan') > 0, about('zhengqiu') > 0, about('yinfa')]).toEqual([true, true, 0]);
    // The item's own ladder ran too, on its own date.
    expect(sent.filter((n) => !n.context.milestone && n.kind === 'escalation').map((n) => n.scheduledFor.slice(0, 10))).toEqual(['2015-08-03']);
    // 印发 shares the item's date and its notices, so it shows the item's own state: escalated on 3 August.
    expect(m.view().milestones?.find((x) => x.id === 'yinfa')).toMatchObject({ status: 'escalated', light: 'red', escalationLevel: 1 });
  });

  it('closes open milestones with the completion, reopens them when it is rejected, and refuses milestone actions while awaiting acceptance', () => {
    const m = shippedMachine('d12', beijing('2015-01-05 10:00'));
    m.confirm({ unitId: 'yanjiushi' }, beijing('2015-03-02 10:00'));
    expect(m.view().milestones?.every((x) => x.status === 'done' && x.closedWithItem)).toBe(true);
    expect(() => m.checkMilestoneDone({ milestoneId: 'fangan', by: '督查室' })).toThrow(/待验收/);
    m.reject({ by: '督查室', reason: '缺少方案' }, beijing('2015-03-03 10:00'));
    // Open again; 印发 (on the item's date) reads as the item does, back in progress.
    expect(m.view().milestones?.map((x) => x.status)).toEqual(['assigned', 'assigned', 'in_progress']);
    expect(() => m.checkMilestoneDone({ milestoneId: 'nope', by: '督查室' })).toThrow(/没有节点“nope”/);
    expect(() => m.checkMilestoneDone({ milestoneId: 'fangan', unitId: 'zonghe' })).toThrow(/不是本事项的责任单位/);
  });

  it('refuses milestone actions on an item without milestones, and extensions into the past', () => {
    expect(() => shippedMachine('d04', beijing('2015-01-05 10:00')).checkMilestoneDone({ milestoneId: 'x', by: '督查室' })).toThrow(/没有分解节点/);
    const m = shippedMachine('d12', beijing('2015-05-05 10:00'));
    expect(() => m.checkMilestoneExtension({ milestoneId: 'fangan', to: '2015-05-04', reason: 'r', by: '督查室' }, beijing('2015-05-05 10:00'))).toThrow(/不在今天之后/);
  });

  it('draws each milestone as a flag on the item’s row of the console timeline, titled with its state', () => {
    const m = shippedMachine('d12', beijing('2015-01-05 10:00'));
    m.assign(beijing('2015-01-05 10:00'));
    fireUntil(m, beijing('2015-05-04 12:00'));
    m.completeMilestone({ milestoneId: 'fangan', unitId: 'yanjiushi' }, beijing('2015-05-04 15:00'));
    const svg = timelineSvg([m.view()], { title: '时间线' });
    expect([...svg.matchAll(/<g class="milestone" data-milestone="(\w+)" data-light="(\w+)"><title>([^<]+)<\/title>/g)].map((x) => [x[1], x[2], x[3]])).toEqual([
      ['fangan', 'grey', '节点 方案 2015-04-30 · 已完成 2015-05-04 15:00'],
      ['zhengqiu', 'green', '节点 征求意见 2015-06-30'],
      ['yinfa', 'green', '节点 印发 2015-07-31'],
    ]);
    expect(svg).toContain('分解节点</text>');
    // The reminders about 方案 say so in their tooltip.
    expect(svg).toContain('催办提醒（节点：方案）');
  });
});

describe('milestones when the item’s due date moves', () => {
  it('moves the milestone on the old due date with an approved extension, and leaves the earlier ones where they were', () => {
    const m = shippedMachine('d12', beijing('2015-07-01 10:00'));
    m.decideExtension({ approved: true, to: '2015-08-31', reason: '会签', by: '督查室' }, beijing('2015-07-20 10:00'));
    expect(m.view().milestones?.map((x) => [x.id, x.due, x.originalDue])).toEqual([
      ['fangan', '2015-04-30', '2015-04-30'], ['zhengqiu', '2015-06-30', '2015-06-30'], ['yinfa', '2015-08-31', '2015-07-31'],
    ]);
  });
});

describe('milestones when the item’s units change (责任单位调整)', () => {
  // d01: 方案 by 办信一司 alone (30 April), 中期 and 总结 by the item's four units; 办信一司 leads.
  const recipients = (m: ReturnType<typeof shippedMachine>, ...ids: string[]) => ids.map((unitId) => { const u = m.input.units.find((x) => x.unitId === unitId)!; return { ...u, emails: [...u.emails] }; });
  const toOf = (sent: Notification[], milestoneId: string) => [...new Set(sent.filter((n) => n.context.milestone?.id === milestoneId).map((n) => n.to.map((r) => r.unitId).join(',')))];

  it('reminds the item’s units as they are now, and hands a milestone whose own units all left to them', () => {
    const m = shippedMachine('d01', beijing('2015-03-02 10:00'));
    m.assign(beijing('2015-03-02 10:00'));
    fireUntil(m, beijing('2015-04-20 12:00'));
    // 办信一司 (the lead, and 方案's only unit) and 投诉办 leave; 来访司 leads.
    m.revise({ units: recipients(m, 'laifang', 'banxin-2'), reason: '职能调整', by: '督查室' }, beijing('2015-04-21 10:00'));
    const sent = fireUntil(m, beijing('2015-08-10 12:00'));
    expect(toOf(sent, 'fangan')).toEqual(['laifang,banxin-2']);
    expect(toOf(sent, 'zhongqi')).toEqual(['laifang,banxin-2']);
    expect(m.view().milestones?.map((x) => [x.id, x.units.join(',')])).toEqual([
      ['fangan', 'laifang,banxin-2'], ['zhongqi', 'laifang,banxin-2'], ['zongjie', 'laifang,banxin-2'],
    ]);
    // The new lead marks 方案 done; the unit that left cannot.
    expect(() => m.checkMilestoneDone({ milestoneId: 'fangan', unitId: 'banxin-1' })).toThrow(/不是本事项的责任单位/);
    m.checkMilestoneDone({ milestoneId: 'fangan', unitId: 'laifang' });
  });

  it('keeps a milestone’s own units that stay, with the addresses the revision gives them', () => {
    const m = shippedMachine('d01', beijing('2015-03-02 10:00'));
    const moved = { ...recipients(m, 'banxin-1')[0]!, emails: ['banxin-1-new@xinfang.example'] };
    m.revise({ units: [...recipients(m, 'laifang'), moved], reason: '调整', by: '督查室' }, beijing('2015-03-03 10:00'));
    const sent = fireUntil(m, beijing('2015-05-04 12:00'));
    expect(toOf(sent, 'fangan')).toEqual(['banxin-1']);
    expect(sent.find((n) => n.context.milestone?.id === 'fangan')!.to[0]!.emails).toEqual(['banxin-1-new@xinfang.example']);
  });

  it('leaves the units of a run started before milestones followed the item as they were (its history says so)', () => {
    const m = shippedMachine('d01', beijing('2015-03-02 10:00'));
    const before = m.input;
    const asBuiltBefore = { ...before, milestoneUnitsFollowItem: undefined, milestones: before.milestones!.map((x) => ({ ...x, units: x.units ?? before.units })) };
    const old = new DeliverableMachine(`${shippedPlan.id}/d01`, asBuiltBefore, DeliverableMachine.initialState(asBuiltBefore, beijing('2015-03-02 10:00')));
    old.revise({ units: recipients(m, 'laifang', 'banxin-2'), reason: '职能调整', by: '督查室' }, beijing('2015-03-03 10:00'));
    const sent = fireUntil(old, beijing('2015-08-10 12:00'));
    expect(toOf(sent, 'fangan')).toEqual(['banxin-1']);
    expect(toOf(sent, 'zhongqi')).toEqual(['banxin-1,banxin-2,laifang,tousuban']);
  });
});
