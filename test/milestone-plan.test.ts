/** Milestones in a plan file: every bad milestone date, id or unit is reported with its path and line, and nothing starts. */
import type { Document } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput, rebasePlan } from '../config/plan-inputs.ts';
import { shippedPlanPath, shippedPlanVariants } from './helpers/shipped-plan-variants.ts';

const variants = shippedPlanVariants('milestone-plans');
afterAll(variants.cleanup);
const validateChanged = variants.validate;

// d12 (index 11): 方案 2015-04-30 → 征求意见 2015-06-30 → 印发 2015-07-31, the item due Friday 2015-07-31.
const d12 = ['deliverables', 11, 'milestones'] as const;

const cases: { name: string; change: (doc: Document) => void; expected: string }[] = [
  { name: 'a milestone after the item', change: (d) => { d.setIn([...d12, 2, 'due'], '2015-08-04'); }, expected: "deliverables[11].milestones[2].due: milestone due date 2015-08-04 is after the deliverable's due date 2015-07-31" },
  { name: 'a milestone on a day off that moves past the item', change: (d) => { d.setIn(['deliverables', 11, 'due'], '2015-07-30'); d.setIn([...d12, 2, 'due'], '2015-07-30'); d.setIn([...d12, 1, 'due'], '2015-06-28'); d.setIn([...d12, 2, 'due'], '2015-08-01'); }, expected: "deliverables[11].milestones[2].due: milestone due date 2015-08-01 (a day off, moved to 2015-08-03) is after the deliverable's due date 2015-07-30" },
  { name: 'milestones out of order', change: (d) => d.setIn([...d12, 1, 'due'], '2015-04-01'), expected: "deliverables[11].milestones[1].due: milestones must be in date order: 2015-04-01 is before the previous milestone's 2015-04-30 (deliverables[11].milestones[0].due)" },
  { name: 'a milestone before the plan starts', change: (d) => d.setIn([...d12, 0, 'due'], '2014-12-01'), expected: 'deliverables[11].milestones[0].due: milestone due date 2014-12-01 lies outside the plan period 2015-01-05 – 2015-12-31' },
  { name: 'a milestone date that is no date', change: (d) => d.setIn([...d12, 0, 'due'], '2015-04-31'), expected: 'deliverables[11].milestones[0].due: expected a real date written YYYY-MM-DD' },
  { name: 'a duplicate milestone id', change: (d) => d.setIn([...d12, 2, 'id'], 'fangan'), expected: 'deliverables[11].milestones[2].id: duplicate milestone id "fangan" (first used at deliverables[11].milestones[0])' },
  { name: 'a milestone unit that is not the item’s', change: (d) => d.setIn([...d12, 0, 'units'], ['zonghe']), expected: 'deliverables[11].milestones[0].units[0]: unit "zonghe" is not one of the deliverable\'s units (yanjiushi)' },
  { name: 'a misspelt milestone field', change: (d) => d.setIn([...d12, 0, 'date'], '2015-04-30'), expected: 'deliverables[11].milestones[0]: unknown field "date"' },
];

describe('milestones in a plan file', () => {
  it.each(cases)('reports $name with its path and line, and exits 2', async ({ name, change, expected }) => {
    const { code, output } = await validateChanged(name.replaceAll(' ', '-'), change);
    expect(code).toBe(2);
    expect(output).toContain(expected);
    expect(output).toMatch(/\(line \d+, column \d+\)/);
  });

  it('counts the shipped plan’s milestones in the summary', async () => {
    const { code, output } = await validateChanged('shipped', () => undefined);
    expect(code).toBe(0);
    expect(output.split('\n')).toContain('  milestones    6 in 2 deliverables (d01, d12)');
  });

  it('gives a milestone its own units resolved to recipients or none (the item’s, as they are), and moves them with a rebased plan', async () => {
    const loaded = await loadPlanFile(shippedPlanPath);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const d01 = deliverableInput(loaded.plan, 'd01');
    expect(d01.milestones?.map((m) => [m.id, m.due, m.units?.map((u) => u.unitId).join(',') ?? 'the item’s'])).toEqual([
      ['fangan', '2015-04-30', 'banxin-1'],
      ['zhongqi', '2015-07-31', 'the item’s'],
      ['zongjie', '2015-12-15', 'the item’s'],
    ]);
    expect(d01.milestones?.[0]?.units?.[0]?.emails.length).toBeGreaterThan(0);
    expect(d01.milestoneUnitsFollowItem).toBe(true);
    expect(deliverableInput(loaded.plan, 'd04').milestones).toBeUndefined();
    const rebased = rebasePlan(loaded.plan, '2015-01-12');
    expect(deliverableInput(rebased, 'd12').milestones?.map((m) => m.due)).toEqual(['2015-05-07', '2015-07-07', '2015-08-07']);
  });
});
