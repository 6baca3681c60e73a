/** The deliverable machine's mid-year changes, driven directly: revising units or lead, and reopening a closed item. */
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { reviseInput } from '../workflows/definitions.ts';
import { DeliverableMachine, InvalidActionError } from '../workflows/deliverable-machine.ts';
import { beijing } from './helpers/deliverable-harness.ts';

async function machineFor(deliverableId: string) {
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  const input = deliverableInput(loaded.plan, deliverableId);
  const machine = new DeliverableMachine(`test/${deliverableId}`, input, DeliverableMachine.initialState(input, beijing('2015-01-05 09:00')));
  machine.assign(beijing('2015-01-05 09:00'));
  return { machine, plan: loaded.plan };
}
/** A recipient as the `revise` input takes it (a mutable address list). */
const own = (u: { unitId: string; name: string; emails: readonly string[] }) => ({ ...u, emails: [...u.emails] });
const unit = (unitId: string) => ({ unitId, name: unitId, emails: [`${unitId}@xinfang.example`] });
const by = '督查室';

describe('changing a deliverable mid-year', () => {
  it('swaps the lead: both units are told with the new units in the notice, nobody is assigned twice', async () => {
    const { machine } = await machineFor('d02');
    const [zonghe, laifang] = machine.input.units;
    const change = { units: [own(laifang!), own(zonghe!)], reason: '改由来访接待司牵头', by };
    machine.checkRevise(change, beijing('2015-03-02 10:00'));
    const notices = machine.revise(change, beijing('2015-03-02 10:00'));
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId)])).toEqual([['units_changed', ['laifang', 'zonghe']]]);
    expect(notices[0]!.deliverable!.leadUnitId).toBe('laifang');
    expect(notices[0]!.context.previousUnits!.map((u) => u.unitId)).toEqual(['zonghe', 'laifang']);
    expect(machine.view().units.map((u) => [u.unitId, u.lead])).toEqual([['laifang', true], ['zonghe', false]]);
    expect(machine.state.events.at(-2)).toMatchObject({ type: 'action', what: 'revise', by });
    expect(() => machine.checkRevise(change, beijing('2015-03-02 10:00'))).toThrow(InvalidActionError);
  });

  it('assigns an added unit and tells a removed one; the removed unit’s confirmation no longer counts', async () => {
    const { machine } = await machineFor('d02');
    machine.confirm({ unitId: 'laifang' }, beijing('2015-03-02 10:00'));
    const notices = machine.revise({ units: [own(machine.input.units[0]!), unit('bangongshi')], reason: '调整分工', by }, beijing('2015-03-03 10:00'));
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId)])).toEqual([['assignment', ['bangongshi']], ['units_changed', ['laifang']]]);
    expect(machine.state.confirmations).toEqual({});
    expect(() => machine.checkConfirm({ unitId: 'laifang' })).toThrow('not a responsible unit');
  });

  it('refuses changes to a closed item and a unit listed twice before anything is recorded', async () => {
    const { machine } = await machineFor('d02');
    expect(reviseInput.safeParse({ units: [unit('zonghe'), unit('zonghe')], reason: 'r', by }).success).toBe(false);
    machine.cancel({ by, reason: '并入' }, beijing('2015-03-02 10:00'));
    expect(() => machine.checkRevise({ title: '新标题', reason: 'r', by }, beijing('2015-03-02 10:00'))).toThrow('请先重新打开');
  });

  it('reopens a closed item: open again until the new date, unconfirmed, ladder from the bottom, its log kept', async () => {
    const { machine } = await machineFor('d02');
    machine.confirm({ unitId: 'zonghe' }, beijing('2015-06-01 10:00'));
    machine.accept({ by }, beijing('2015-06-02 10:00'));
    expect(machine.closed).toBe(true);
    const now = beijing('2015-07-01 10:00');
    expect(() => machine.checkReopen({ due: '2015-06-30', reason: 'r', by }, now)).toThrow('not a future date');
    machine.checkReopen({ due: '2015-09-30', reason: '需补充', by }, now);
    const logged = machine.state.events.length;
    const notices = machine.reopen({ due: '2015-09-30', reason: '需补充', by }, now);
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId), n.cc.map((r) => r.unitId)])).toEqual([['reopened', ['zonghe', 'laifang'], ['duchashi']]]);
    // The units acted on it before: in progress, not merely assigned; green, no level.
    expect([machine.status, machine.light, machine.state.level]).toEqual(['in_progress', 'green', 0]);
    expect(machine.view()).toMatchObject({ due: '2015-09-30', closedReason: undefined });
    expect(machine.view().units.every((u) => u.confirmedAt === undefined)).toBe(true);
    expect(machine.state.events.slice(0, logged).map((e) => e.what)).toContain('accept');
    expect(machine.state.events.at(-2)).toMatchObject({ what: 'reopen', note: expect.stringContaining('需补充；新期限 2015-09-30') });
    expect(machine.upcoming(now)[0]!.kind).toBe('reminder');
    expect(() => machine.checkReopen({ due: '2015-10-30', reason: 'r', by }, now)).toThrow('not closed');
  });
});

describe('changing a deliverable’s milestones (分解节点) mid-year', () => {
  // d01: 方案 (30 April, 办信一司), 中期 (31 July, the item's units), 总结 (15 December, the item's date).
  const listed = (machine: DeliverableMachine) => machine.input.milestones!.map(({ id, title, due, units }) => ({ id, title, due, ...(units ? { units: units.map(own) } : {}) }));

  it('adds, renames and removes milestones: a kept one keeps its state, a new one runs its own schedule, a removed one stops', async () => {
    const { machine } = await machineFor('d01');
    machine.completeMilestone({ milestoneId: 'fangan', unitId: 'banxin-1' }, beijing('2015-04-20 10:00'));
    const [fangan, zhongqi] = listed(machine);
    const banxin2 = own(machine.input.units[1]!);
    const change = {
      milestones: [fangan!, { ...zhongqi!, title: '中期评估报告' }, { id: 'diaoyan', title: '专项调研报告', due: '2015-09-30', units: [banxin2] }],
      reason: '总结并入年终报告，增加专项调研', by,
    };
    const now = beijing('2015-05-04 10:00');
    machine.checkRevise(change, now);
    // The units of every milestone changed hear of it: the renamed and the removed one went to all four.
    const [notice, ...more] = machine.revise(change, now);
    expect(more).toEqual([]);
    expect([notice!.kind, notice!.to.map((u) => u.unitId), notice!.cc]).toEqual(['milestones_changed', ['banxin-1', 'banxin-2', 'laifang', 'tousuban'], []]);
    expect(notice!.context).toMatchObject({
      reason: '总结并入年终报告，增加专项调研', by,
      milestoneChanges: ['节点“中期推进情况报告”改为“中期评估报告”', '新增节点“专项调研报告”（2015-09-30）', '删除节点“治理工作总结”'],
    });
    // The notice lists the open milestones as they now stand (the done 方案 not among them).
    expect(notice!.deliverable!.milestones!.map((m) => m.id)).toEqual(['zhongqi', 'diaoyan']);

    expect(machine.view(now).milestones!.map((m) => [m.id, m.title, m.due, m.units.join(','), m.doneAt !== undefined])).toEqual([
      ['fangan', '制定治理工作方案', '2015-04-30', 'banxin-1', true],
      ['zhongqi', '中期评估报告', '2015-07-31', 'banxin-1,banxin-2,laifang,tousuban', false],
      ['diaoyan', '专项调研报告', '2015-09-30', 'banxin-2', false],
    ]);
    expect(machine.state.events.at(-2)).toMatchObject({
      what: 'revise', note: '节点“中期推进情况报告”改为“中期评估报告”；新增节点“专项调研报告”（2015-09-30）；删除节点“治理工作总结”；总结并入年终报告，增加专项调研',
    });
    // The removed one's state is gone, the new one's fresh (its schedule: test/deliverable-changes-workflow.test.ts).
    expect(Object.keys(machine.state.milestones!)).toEqual(['fangan', 'zhongqi', 'diaoyan']);
    expect(machine.state.milestones!.diaoyan).toEqual({ due: '2015-09-30', level: 0, overdue: false, urged: false });
    // Listing them as they now stand changes nothing.
    expect(() => machine.checkRevise({ milestones: listed(machine), reason: 'r', by }, now)).toThrow('nothing to change');
  });

  it('tells only the units of the milestone added; a run replaying a revision made before the notice tells nobody', async () => {
    const adding = (machine: DeliverableMachine) => ({
      milestones: [...listed(machine), { id: 'diaoyan', title: '专项调研报告', due: '2015-09-30', units: [own(machine.input.units[3]!)] }], reason: '增加专项调研', by,
    });
    const now = beijing('2015-05-04 10:00');
    const { machine } = await machineFor('d01');
    expect(machine.revise(adding(machine), now).map((n) => [n.kind, n.to.map((u) => u.unitId), n.context.milestoneChanges])).toEqual([
      ['milestones_changed', ['tousuban'], ['新增节点“专项调研报告”（2015-09-30）']],
    ]);
    const { machine: replaying } = await machineFor('d01');
    const seq = replaying.state.seq;
    expect(replaying.revise(adding(replaying), now, false)).toEqual([]);
    // Nothing numbered either: the notices after it keep the keys they had.
    expect(replaying.state.seq).toBe(seq);
  });

  it('does not report a milestone listing the item’s units as re-assigned when a revision lists it without (a run started when every milestone listed its units)', async () => {
    const { machine: fresh } = await machineFor('d01');
    // 中期 goes to the item's four units; an older run's input named them on the milestone.
    const input = { ...fresh.input, milestones: fresh.input.milestones!.map((m) => (m.id === 'zhongqi' ? { ...m, units: fresh.input.units } : m)) };
    const machine = new DeliverableMachine('test/d01', input, DeliverableMachine.initialState(input, beijing('2015-01-05 09:00')));
    machine.assign(beijing('2015-01-05 09:00'));
    const asFileLists = fresh.input.milestones!.map(({ id, title, due, units }) => ({ id, title, due, ...(units ? { units: units.map(own) } : {}) }));
    const now = beijing('2015-05-04 10:00');
    expect(() => machine.checkRevise({ milestones: asFileLists, reason: 'r', by }, now)).toThrow('nothing to change');
    const change = { milestones: asFileLists, title: '开展信访突出问题专项治理', reason: '标题调整', by };
    machine.checkRevise(change, now);
    expect(machine.revise(change, now)).toEqual([]);
    expect(machine.state.events.at(-1)).toMatchObject({ what: 'revise', note: '标题改为“开展信访突出问题专项治理”；标题调整' });
  });

  it('does not mail a unit that joins the item in the same revision twice: its 交办通知 lists the milestones', async () => {
    const { machine } = await machineFor('d01');
    const change = {
      units: [...machine.input.units.map(own), unit('zonghe')],
      milestones: [...listed(machine), { id: 'diaoyan', title: '专项调研报告', due: '2015-09-30' }], reason: '增加综合指导司和专项调研', by,
    };
    const now = beijing('2015-05-04 10:00');
    machine.checkRevise(change, now);
    const notices = machine.revise(change, now);
    expect(notices.map((n) => [n.kind, n.to.map((u) => u.unitId)])).toEqual([
      ['assignment', ['zonghe']], ['milestones_changed', ['banxin-1', 'banxin-2', 'laifang', 'tousuban']],
    ]);
    expect(notices[0]!.deliverable!.milestones!.map((m) => m.id)).toContain('diaoyan');
  });

  it('tells a moved milestone’s units its new date', async () => {
    const { machine } = await machineFor('d01');
    const now = beijing('2015-04-20 10:00');
    const move = { milestoneId: 'fangan', to: '2015-05-15', reason: '等待调研数据', by };
    machine.checkMilestoneExtension(move, now);
    expect(machine.extendMilestone(move, now).map((n) => [n.kind, n.to.map((u) => u.unitId), n.context.milestoneChanges, n.context.reason])).toEqual([
      ['milestones_changed', ['banxin-1'], ['节点“制定治理工作方案”期限由 2015-04-30 调整为 2015-05-15'], '等待调研数据'],
    ]);
    const { machine: replaying } = await machineFor('d01');
    expect(replaying.extendMilestone(move, now, false)).toEqual([]);
  });

  it('drops every milestone when the revision lists none: the item runs on its own date alone', async () => {
    const { machine } = await machineFor('d01');
    const now = beijing('2015-03-02 10:00');
    machine.checkRevise({ milestones: [], reason: '不再分解', by }, now);
    machine.revise({ milestones: [], reason: '不再分解', by }, now);
    expect(machine.view(now).milestones).toBeUndefined();
    expect(machine.input.milestones).toBeUndefined();
  });

  it('refuses a new milestone dated today or before, after the item’s date, or for a unit not on the item; and an id listed twice', async () => {
    const { machine } = await machineFor('d01');
    const now = beijing('2015-05-04 10:00');
    const adding = (extra: object) => ({ milestones: [...listed(machine), { id: 'x', title: '新节点', due: '2015-09-30', ...extra }], reason: 'r', by });
    expect(() => machine.checkRevise(adding({ due: '2015-05-04' }), now)).toThrow('not a future date');
    expect(() => machine.checkRevise(adding({ due: '2015-12-31' }), now)).toThrow('after the item\'s due date');
    expect(() => machine.checkRevise(adding({ units: [unit('zonghe')] }), now)).toThrow('not a unit of the item');
    expect(reviseInput.safeParse({ milestones: [...listed(machine), listed(machine)[0]], reason: 'r', by }).success).toBe(false);
    // A kept milestone already past its date is no obstacle: only new ones are dated by the revision.
    machine.checkRevise(adding({}), now);
  });
});

describe('changing a deliverable’s reminder and escalation rules mid-year', () => {
  it('works the schedule out again from the new rules, logs what changed, and refuses rules that change nothing', async () => {
    // d02: due 30 June 2015; reminders 10, 5 and 1 working days before, at 09:00.
    const { machine } = await machineFor('d02');
    // Both units signed for it (签收), so no 催签 is due before the reminders.
    for (const unitId of ['zonghe', 'laifang']) machine.acknowledge({ unitId }, beijing('2015-01-06 10:00'));
    const now = beijing('2015-06-01 10:00');
    const reminders = () => machine.upcoming(now).filter((n) => n.kind === 'reminder').map((n) => new Date(n.at).toISOString());
    expect(reminders()[0]).toBe('2015-06-15T01:00:00.000Z');
    const policy = { ...machine.input.policy, reminderOffsets: [3, 1], sendHour: 10 };
    const escalation = machine.input.escalation.map((l) => ({ ...l, label: l.level === 2 ? '通报批评' : l.label, recipients: l.recipients.map(own) }));
    const change = { policy, escalation, reason: '年中统一调整提醒规则', by };
    machine.checkRevise(change, now);
    expect(machine.revise(change, now)).toEqual([]);
    // Three working days before 30 June, at 10:00 now.
    expect(reminders()[0]).toBe('2015-06-25T02:00:00.000Z');
    expect(machine.input.escalation.map((l) => l.label)).toEqual(['督办', '通报批评']);
    expect(machine.state.events.at(-1)).toMatchObject({
      what: 'revise', note: '提醒时点（到期前工作日）：10、5、1 → 3、1；发送时间：9时 → 10时；督办层级：督办（督查室）、通报（局领导） → 督办（督查室）、通报批评（局领导）；年中统一调整提醒规则',
    });
    expect(() => machine.checkRevise({ policy, escalation, reason: 'r', by }, now)).toThrow('nothing to change');
  });

  it('does not change the rules of an item awaiting 验收 under it', async () => {
    const { machine } = await machineFor('d02');
    machine.confirm({ unitId: 'zonghe', note: '已完成' }, beijing('2015-06-01 10:00'));
    const policy = { ...machine.input.policy, acceptanceRequired: false };
    expect(() => machine.checkRevise({ policy, reason: 'r', by }, beijing('2015-06-02 10:00'))).toThrow('不能调整提醒与督办规则');
  });
});

describe('completion after a change', () => {
  it('completes an item when the only unit still to confirm is removed', async () => {
    const { machine } = await machineFor('d01');
    const [first, second, third, fourth] = machine.input.units;
    for (const u of [first, second, third]) machine.confirm({ unitId: u!.unitId, note: '已完成' }, beijing('2015-06-01 10:00'));
    expect(machine.state.phase).toBe('open');
    const notices = machine.revise({ units: [own(first!), own(second!), own(third!)], reason: `${fourth!.name}不再承担`, by }, beijing('2015-06-02 10:00'));
    expect(notices.map((n) => n.kind)).toEqual(['units_changed', machine.input.policy.acceptanceRequired ? 'confirmation' : 'completion']);
    expect(machine.state.completedAt).toBeDefined();
  });
});
