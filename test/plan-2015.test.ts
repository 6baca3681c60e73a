import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { displayName, resolveUnitIds } from '../domain/plan-units.ts';

const seedPath = new URL('../config/plans/source/2015-xinfang-work-plan.txt', import.meta.url);
const planPath = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
const chineseNumerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八'];

interface SeedItem { number: number; title: string; units: string[] }

/** Reads the seed document: its tasks （一）… and the annex's numbered deliverables, each with its 责任单位. */
function readSeed(): { tasks: SeedItem[]; deliverables: SeedItem[] } {
  const text = readFileSync(seedPath, 'utf8').replace(/\r/g, '');
  const [body, annex] = text.split(/\n附件\n/);
  // A 责任单位 list that ends in 、 continues on the next non-empty line.
  const unitsAfter = (chunk: string) => {
    const lines = chunk.split('责任单位：')[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
    let list = lines.shift()!;
    while (list.endsWith('、')) list += lines.shift()!;
    return list.split('、').map((u) => u.trim());
  };
  const tasks = body!.split(/\n(?=（[一二三四五六七八九十]+）)/).slice(1).map((chunk) => {
    const heading = chunk.match(/^（([一二三四五六七八九十]+)）([^。]+)。/)!;
    return { number: chineseNumerals.indexOf(heading[1]!) + 1, title: heading[2]!, units: unitsAfter(chunk) };
  });
  const deliverables = annex!.split(/\n(?=\d+\.\s)/).slice(1).map((chunk) => {
    const heading = chunk.match(/^(\d+)\.\s*(.+)/)!;
    return { number: Number(heading[1]), title: heading[2]!.trim(), units: unitsAfter(chunk) };
  });
  return { tasks, deliverables };
}

async function shippedPlan(): Promise<Plan> {
  const result = await loadPlanFile(planPath);
  if (!result.ok) throw new Error(`shipped plan is invalid: ${JSON.stringify(result.issues)}`);
  return result.plan;
}

describe('the shipped 2015 plan', () => {
  const seed = readSeed();

  it('reads 18 tasks and 13 deliverables from the seed document', () => {
    expect(seed.tasks).toHaveLength(18);
    expect(seed.deliverables).toHaveLength(13);
    expect(seed.tasks[8]!.units).toEqual(['研究室', '办信一司', '办信二司', '来访接待司', '投诉办']);
  });

  it('has the seed tasks with exactly their units in the seed order', async () => {
    const plan = await shippedPlan();
    expect(plan.tasks.map((t) => ({ number: t.number, title: t.title, units: t.units.map((u) => displayName(plan, u)) }))).toEqual(seed.tasks);
  });

  it('has the 13 annex deliverables with exactly their units in the seed order, the first leading', async () => {
    const plan = await shippedPlan();
    expect(plan.deliverables.map((d) => ({ number: d.number, title: d.title, units: d.units.map((u) => displayName(plan, u)) }))).toEqual(seed.deliverables);
    for (const deliverable of plan.deliverables) {
      const lead = resolveUnitIds(plan, deliverable.units)[0];
      expect(lead).toBe(deliverable.units[0]);
    }
  });

  it('links each deliverable to a task that names all of its units', async () => {
    const plan = await shippedPlan();
    for (const deliverable of plan.deliverables) {
      const task = plan.tasks.find((t) => t.id === deliverable.task)!;
      expect(task.units, `${deliverable.id} → ${task.id}`).toEqual(expect.arrayContaining(deliverable.units));
    }
  });

  it('gives every unit a reserved .example address and marks every chosen due date as assumed', async () => {
    const plan = await shippedPlan();
    for (const unit of plan.units) expect(unit.emails.every((e) => e.endsWith('.example'))).toBe(true);
    expect(plan.deliverables.every((d) => d.dueAssumed)).toBe(true);
    expect(plan.supervisor).toBe('duchashi');
    expect(plan.escalation.map((l) => l.units)).toEqual([['duchashi'], ['leadership']]);
  });
});
