import { beforeAll, describe, expect, it } from 'vitest';
import { describeChange, diffPlans, withAddedItem, withItemChanged, withoutPinnedTaskItems } from '../config/plan-diff.ts';
import { isTaskItem, trackedItems } from '../config/task-items.ts';
import { checkPlan } from '../config/plan-checks.ts';
import type { Plan } from '../config/plan-schema.ts';
import { displayName } from '../domain/plan-units.ts';
import { annexPlan } from './helpers/annex-plan.ts';
import { shippedPlan } from './helpers/web-stack.ts';

let plan: Plan;
let withTasks: Plan;
beforeAll(async () => {
  withTasks = await shippedPlan();
  // Most cases on the annex deliverables alone; task items have their own case below.
  plan = await annexPlan();
});

const lines = (running: Plan, file: Plan) => diffPlans(running, file).changes.map((c) => describeChange(c, (id) => displayName(file, id)));

describe('the diff of a changed plan file against the running plan', () => {
  it('finds nothing between a plan and itself, and its merged snapshot is the plan', () => {
    const diff = diffPlans(plan, plan);
    expect(diff.changes).toEqual([]);
    expect(diff.notes).toEqual([]);
    expect(JSON.stringify(diff.merged)).toBe(JSON.stringify(plan));
  });

  it('names each change in Chinese: a new item, a changed lead, changed units, a new due date and title, a removed item', () => {
    const [d01, d02, d03, ...rest] = plan.deliverables;
    const file: Plan = {
      ...plan,
      deliverables: [
        { ...d02!, units: ['laifang', 'zonghe'] },
        { ...d03!, units: [...d03!.units, 'bangongshi'], due: '2015-10-30', title: '评选督查督办精品案例并汇编' },
        ...rest,
        { id: 'd14', number: 14, title: '开展信访工作宣传', task: 't14', units: ['yanjiushi'], due: '2015-11-30', dueAssumed: false },
      ],
    };
    expect(lines(plan, file)).toEqual([
      `移除事项  d01 ${d01!.title}`,
      '变更牵头单位  d02 综合指导司、来访接待司 → 来访接待司、综合指导司；牵头单位 综合指导司 → 来访接待司',
      expect.stringMatching(/^变更责任单位 {2}d03 .* → .*办公室$/),
      `变更期限  d03 ${d03!.due} → 2015-10-30`,
      `变更标题  d03 “${d03!.title}” → “评选督查督办精品案例并汇编”`,
      '新增事项  d14 第14项 开展信访工作宣传（牵头 研究室，期限 2015-11-30）',
    ]);
  });

  it('keeps every running item in its place in the merged snapshot: removed ones stay, new ones are appended', () => {
    const [, ...rest] = plan.deliverables;
    const added = { id: 'd00', number: 14, title: '新事项', task: 't01', units: ['tousuban'], due: '2015-09-30', dueAssumed: false };
    const file: Plan = { ...plan, deliverables: [added, ...rest] };
    const { merged } = diffPlans(plan, file);
    expect(merged.deliverables.map((d) => d.id)).toEqual([...plan.deliverables.map((d) => d.id), 'd00']);
    expect(checkPlan(merged)).toEqual([]);
    // Merging the merged snapshot with the same file again gives the same snapshot: a second apply changes nothing.
    expect(JSON.stringify(diffPlans(merged, file).merged)).toBe(JSON.stringify(merged));
    expect(diffPlans(merged, file).changes.map((c) => c.kind)).toEqual(['removed']);
  });

  it('keeps units and tasks a removed item names though the file dropped them', () => {
    const file: Plan = {
      ...plan,
      units: plan.units.filter((u) => u.id !== 'renshisi'),
      deliverables: plan.deliverables.filter((d) => !d.units.includes('renshisi')),
    };
    const merged = diffPlans(plan, file).merged;
    expect(merged.units.some((u) => u.id === 'renshisi')).toBe(true);
  });

  it('gives every running item a plan-wide change of its rules as a change of its own; the calendar stays a note', () => {
    const file: Plan = { ...plan, policy: { ...plan.policy, sendHour: 10, reminderOffsets: [5, 1] }, escalation: plan.escalation.map((l) => (l.level === 2 ? { ...l, label: '通报批评' } : l)) };
    const diff = diffPlans(plan, file);
    expect(diff.changes.every((c) => c.kind === 'rules')).toBe(true);
    expect(diff.changes).toHaveLength(trackedItems(plan).length);
    expect(lines(plan, file)[0]).toBe('调整提醒督办规则  d01 提醒时点（到期前工作日）：10、5、1 → 5、1；发送时间：9时 → 10时；督办层级：督办（督查室）、通报（局领导） → 督办（督查室）、通报批评（局领导）');
    expect(diff.notes).toEqual([]);
    const holiday: Plan = { ...plan, calendar: { ...plan.calendar, overrides: [{ year: 2015, holidays: ['2015-09-03'], workdays: [] }] } };
    expect(diffPlans(plan, holiday).notes).toEqual(['工作日历有变更：只对新增事项生效']);
  });

  it('changes an item’s own rules given in the file (its policy over the plan’s); an added milestone is a change too', () => {
    const [d01, d02, ...rest] = plan.deliverables;
    const file: Plan = {
      ...plan,
      deliverables: [
        { ...d01!, milestones: [...(d01!.milestones ?? []), { id: 'extra', title: '补充节点', due: '2015-11-30', units: ['laifang'] }] },
        { ...d02!, policy: { ...d02!.policy, completion: 'all' } },
        ...rest,
      ],
    };
    const diff = diffPlans(plan, file);
    expect(lines(plan, file)).toEqual(['调整分解节点  d01 新增节点“补充节点”（2015-11-30）', '调整提醒督办规则  d02 完成确认：牵头单位确认 → 全部责任单位确认']);
    expect(diff.notes).toEqual([]);
    expect(diff.merged.deliverables[0]!.milestones?.map((m) => m.id)).toContain('extra');
  });

  it('moves a milestone to its new date as a change of its own, and revises the milestones for what else changed', () => {
    const [d01, ...rest] = plan.deliverables;
    const [fangan, zhongqi, zongjie] = d01!.milestones!;
    const moved: Plan = { ...plan, deliverables: [{ ...d01!, milestones: [{ ...fangan!, due: '2015-05-15' }, zhongqi!, zongjie!] }, ...rest] };
    expect(lines(plan, moved)).toEqual(['变更节点期限  d01 节点“制定治理工作方案” 2015-04-30 → 2015-05-15']);
    expect(diffPlans(plan, moved).notes).toEqual([]);
    // Renamed, moved and given another unit, the middle one dropped: the revision first, then the new date.
    const reworked: Plan = { ...plan, deliverables: [{ ...d01!, milestones: [{ ...fangan!, title: '制定方案', due: '2015-05-15', units: ['banxin-2'] }, zongjie!] }, ...rest] };
    expect(lines(plan, reworked)).toEqual([
      '调整分解节点  d01 节点“制定治理工作方案”改为“制定方案”；节点“制定方案”的责任单位调整为办信二司；删除节点“中期推进情况报告”',
      '变更节点期限  d01 节点“制定方案” 2015-04-30 → 2015-05-15',
    ]);
    expect(diffPlans(plan, reworked).notes).toEqual([]);
  });
});

describe('console changes to the snapshot', () => {
  it('appends a 临时交办 item with the next number and an unused id', () => {
    const { plan: next, id } = withAddedItem(plan, { title: '临时交办事项', task: 't01', units: ['tousuban', 'laifang'], due: '2015-09-30' });
    expect(id).toBe('x14');
    expect(next.deliverables.at(-1)).toMatchObject({ id: 'x14', number: 14, units: ['tousuban', 'laifang'] });
    expect(withAddedItem(next, { title: '再交办', task: 't01', units: ['tousuban'], due: '2015-09-30' }).id).toBe('x15');
    expect(checkPlan(next)).toEqual([]);
  });

  it('replaces one item’s units and leaves the others alone', () => {
    const next = withItemChanged(plan, 'd02', { units: ['laifang', 'zonghe'] });
    expect(next.deliverables.find((d) => d.id === 'd02')!.units).toEqual(['laifang', 'zonghe']);
    expect(next.deliverables.filter((d) => d.id !== 'd02')).toEqual(plan.deliverables.filter((d) => d.id !== 'd02'));
  });
});

describe('task items (工作任务 without an annex deliverable) in a change', () => {
  it('keeps them in their places: written out in the snapshot, new items after them, a task given a deliverable keeps its item', () => {
    const tracked = trackedItems(withTasks).map((d) => d.id);
    expect(tracked.some((id) => id.startsWith('task-'))).toBe(true);
    const same = diffPlans(withTasks, withTasks);
    expect(same.changes).toEqual([]);
    expect(trackedItems(same.merged).map((d) => d.id)).toEqual(tracked);
    expect(isTaskItem(same.merged, tracked.at(-1)!)).toBe(true);

    const taskItem = tracked.find((id) => id.startsWith('task-'))!;
    const task = taskItem.slice('task-'.length);
    const file: Plan = { ...withTasks, deliverables: [...withTasks.deliverables, { id: 'd20', number: 20, title: '新的附件事项', task, units: ['zonghe'], due: '2015-11-30', dueAssumed: false }] };
    const diff = diffPlans(same.merged, file);
    expect(diff.changes.map((c) => [c.kind, c.id])).toEqual([['removed', taskItem], ['added', 'd20']]);
    expect(trackedItems(diff.merged).map((d) => d.id)).toEqual([...tracked, 'd20']);
    expect(checkPlan(withoutPinnedTaskItems(diff.merged))).toEqual([]);

    const { plan: added, id } = withAddedItem(withTasks, { title: '临时交办事项', task: 't01', units: ['tousuban'], due: '2015-09-30' });
    expect(trackedItems(added).map((d) => d.id)).toEqual([...tracked, id]);
    expect(checkPlan(withoutPinnedTaskItems(added))).toEqual([]);
  });
});
