/** Task items (工作任务) and report policies as the plan file declares them: which tasks are tracked, how, and what is refused. */
import type { Document } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput, planWorkflowInput, rebasePlan } from '../config/plan-inputs.ts';
import { taskItems, tasksWithoutDeliverable, trackedItem, trackedItems } from '../config/task-items.ts';
import { DeliverableMachine } from '../workflows/deliverable-machine.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import { shippedPlanPath, shippedPlanVariants } from './helpers/shipped-plan-variants.ts';

const variants = shippedPlanVariants('task-items');
afterAll(variants.cleanup);
const validate = variants.validate;

const loaded = await loadPlanFile(shippedPlanPath);
if (!loaded.ok) throw new Error('the shipped plan does not validate');
const plan = loaded.plan;

describe('the tasks of the 2015 plan without an annex deliverable', () => {
  it('are six, tracked after the 13 deliverables with the task’s units, the plan’s end as due and a monthly report', () => {
    expect(tasksWithoutDeliverable(plan).map((t) => t.id)).toEqual(['t01', 't02', 't04', 't08', 't17', 't18']);
    expect(trackedItems(plan).map((d) => d.id)).toEqual([...plan.deliverables.map((d) => d.id), 'task-t01', 'task-t02', 'task-t04', 'task-t08', 'task-t17', 'task-t18']);
    expect(planWorkflowInput(plan, { planRef: 'x' }).deliverableIds).toHaveLength(19);
    const input = deliverableInput(plan, 'task-t17');
    expect(input).toMatchObject({ itemKind: 'task', title: '深入推进廉政建设', taskTitle: '深入推进廉政建设', number: 17, due: '2015-12-31' });
    expect(input.units.map((u) => u.unitId)).toEqual(['jianchashi', 'jiguan-dangwei']);
    expect(input.policy).toMatchObject({ reportDayOfMonth: 25, completion: 'lead', reminderOffsets: [10, 5, 1] });
    // The annex deliverables keep the plan's policy: no periodic reports, no itemKind.
    expect(deliverableInput(plan, 'd04').itemKind).toBeUndefined();
    expect(deliverableInput(plan, 'd04').policy.reportDayOfMonth).toBeUndefined();
  });

  it('are found by id as the list has them, each plan (a rebased copy too) in its own items', () => {
    for (const item of trackedItems(plan)) expect(trackedItem(plan, item.id)).toEqual(item);
    expect(trackedItem(plan, 'd99')).toBeUndefined();
    const rebased = rebasePlan(plan, '2025-01-06');
    expect(trackedItem(rebased, 'd04')?.due).toBe(rebased.deliverables.find((d) => d.id === 'd04')!.due);
    expect(trackedItem(rebased, 'd04')?.due).not.toBe(trackedItem(plan, 'd04')?.due);
    expect(trackedItem({ ...plan, trackTasks: undefined }, 'task-t01')).toBeUndefined();
  });

  it('move with the plan’s end when the plan is rebased', () => {
    const rebased = rebasePlan(plan, '2025-01-06');
    expect(taskItems(rebased).every((t) => t.due === rebased.end)).toBe(true);
  });

  it('are not tracked, and change nothing, when the plan has no trackTasks', () => {
    const without = { ...plan, trackTasks: undefined };
    expect(taskItems(without)).toEqual([]);
    expect(trackedItems(without)).toBe(without.deliverables);
    expect(() => deliverableInput(without, 'task-t01')).toThrow('has no deliverable "task-t01"');
  });

  it('start with no report state, and none in the view, when the policy asks for no reports', () => {
    const input = deliverableInput(plan, 'd04');
    const m = new DeliverableMachine('x/d04', input, DeliverableMachine.initialState(input, beijing('2015-01-05 10:00')));
    expect(m.state.reporting).toBeUndefined();
    expect(m.view().reporting).toBeUndefined();
    expect(m.upcoming(beijing('2015-01-05 10:00')).map((n) => n.kind)).not.toContain('report_due');
  });
});

describe('duban plan validate on task items and report policies', () => {
  it('says how many task items will be tracked and on which report cadence', async () => {
    const { code, output } = await validate('shipped', () => undefined);
    expect(code).toBe(0);
    expect(output).toContain('task items    6 tracked (tasks without an annex deliverable: t01, t02, t04, t08, t17, t18), due 2015-12-31');
    expect(output).toContain('task items 每月25日（遇节假日顺延）');
  });

  it('says how many tasks could be tracked when trackTasks is absent', async () => {
    const { code, output } = await validate('untracked', (d) => d.delete('trackTasks'));
    expect(code).toBe(0);
    expect(output).toContain('task items    0 tracked (6 tasks without an annex deliverable; set trackTasks to track them)');
  });

  it.each([
    { name: 'both cadences', change: (d: Document) => {
      d.setIn(['policy', 'reportDayOfMonth'], 25);
      d.setIn(['policy', 'reportEvery'], 10);
    }, expected: 'policy.reportDayOfMonth: give either reportEvery (10 working days) or reportDayOfMonth (25), not both' },
    { name: 'a 32nd day', change: (d: Document) => d.setIn(['trackTasks', 'policy', 'reportDayOfMonth'], 32), expected: 'trackTasks.policy.reportDayOfMonth' },
    { name: 'zero working days', change: (d: Document) => d.setIn(['deliverables', 0, 'policy', 'reportEvery'], 0), expected: 'deliverables[0].policy.reportEvery' },
    { name: 'a task item id in use', change: (d: Document) => d.setIn(['deliverables', 0, 'id'], 'task-t01'), expected: 'tasks[0].id: task "t01" is tracked as item "task-t01", which a deliverable already uses as its id' },
    { name: 'a group leading a tracked task', change: (d: Document) => d.setIn(['tasks', 0, 'units'], ['xiangguan-yewu', 'tousuban']), expected: 'tasks[0].units[0]: task "t01" is tracked (trackTasks): its lead unit must be a single unit, not the group "xiangguan-yewu"' },
    { name: 'an unknown field', change: (d: Document) => d.setIn(['trackTasks', 'every'], 3), expected: 'trackTasks: unknown field "every"' },
  ])('refuses $name with its path', async ({ name, change, expected }) => {
    const { code, output } = await validate(name.replaceAll(' ', '-'), (d) => void change(d));
    expect(code).toBe(2);
    expect(output).toContain(expected);
  });
});
