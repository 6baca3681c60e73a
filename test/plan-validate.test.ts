import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { planValidate } from '../cli/plan-validate.ts';

const run = promisify(execFile);
const shippedPath = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
const shippedText = readFileSync(shippedPath, 'utf8');
const dubanBin = new URL('../bin/duban.js', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'duban-plans-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes the shipped plan with one change applied and returns the new file's path. */
function brokenPlan(name: string, change: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(shippedText);
  change(doc);
  const file = join(workDir, `${name}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

async function validate(file: string): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await planValidate(file, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const cases: { name: string; change: (doc: ReturnType<typeof parseDocument>) => void; expected: string }[] = [
  { name: 'unknown unit in a deliverable', change: (d) => d.setIn(['deliverables', 4, 'units', 1], 'yanjiu'), expected: 'deliverables[4].units[1]: unknown unit "yanjiu"' },
  { name: 'duplicate unit id', change: (d) => d.setIn(['units', 1, 'id'], 'tousuban'), expected: 'units[1].id: duplicate unit id "tousuban" (first used at units[0])' },
  { name: 'unknown task', change: (d) => d.setIn(['deliverables', 0, 'task'], 't99'), expected: 'deliverables[0].task: unknown task "t99"' },
  { name: 'due after the plan ends', change: (d) => d.setIn(['deliverables', 2, 'due'], '2016-01-15'), expected: 'deliverables[2].due: due date 2016-01-15 lies outside the plan period 2015-01-05 – 2015-12-31' },
  { name: 'not a real date', change: (d) => d.setIn(['deliverables', 1, 'due'], '2015-02-30'), expected: 'deliverables[1].due: expected a real date written YYYY-MM-DD' },
  { name: 'plan in an uncovered year', change: (d) => { d.setIn(['start'], '2027-01-04'); d.setIn(['end'], '2027-12-31'); }, expected: 'start: year 2027 is not covered by the working-day calendar' },
  { name: 'due on a holiday that moves past the end', change: (d) => { d.setIn(['end'], '2015-10-01'); d.setIn(['deliverables', 8, 'due'], '2015-10-01'); }, expected: 'deliverables[8].due: due date 2015-10-01 is a day off and moves to 2015-10-08, after the plan ends (2015-10-01)' },
  { name: 'reminder offsets out of order', change: (d) => d.setIn(['policy', 'reminderOffsets'], [5, 10, 1]), expected: 'policy.reminderOffsets[1]: reminder offsets must be sorted from largest to smallest without repeats (5, 10, 1)' },
  { name: 'non-positive reminder offset', change: (d) => d.setIn(['deliverables', 3, 'policy'], { reminderOffsets: [3, 0] }), expected: 'deliverables[3].policy.reminderOffsets[1]: a reminder offset counts working days before the due date and must be positive, got 0' },
  { name: 'escalation levels skipping a number', change: (d) => d.setIn(['escalation', 1, 'level'], 3), expected: 'escalation[1].level: escalation levels must run 1, 2, 3 … in order; expected 2, found 3' },
  { name: 'escalation thresholds decreasing', change: (d) => d.setIn(['policy', 'escalationThresholds'], [10, 5]), expected: 'policy.escalationThresholds[1]: escalation thresholds must increase level by level (10, 5)' },
  { name: 'a threshold missing for a level', change: (d) => d.setIn(['policy', 'escalationThresholds'], [0]), expected: 'policy.escalationThresholds: 1 thresholds for 2 escalation levels; give one per level' },
  { name: 'a misspelt field', change: (d) => d.setIn(['deliverables', 0, 'dueDate'], '2015-12-15'), expected: 'deliverables[0]: unknown field "dueDate"' },
  { name: 'a bad email address', change: (d) => d.setIn(['units', 0, 'emails', 0], 'tousuban at xinfang'), expected: 'units[0].emails[0]: not a valid email address' },
  { name: 'an unknown supervisor', change: (d) => d.setIn(['supervisor'], 'ducha'), expected: 'supervisor: unknown unit "ducha"' },
  { name: 'a group as lead', change: (d) => d.setIn(['deliverables', 3, 'units'], ['xiangguan-yewu', 'zonghe']), expected: 'deliverables[3].units[0]: the lead unit must be a single unit, not the group "xiangguan-yewu"' },
  { name: 'an unknown group member', change: (d) => d.setIn(['groups', 0, 'members', 2], 'jiedai'), expected: 'groups[0].members[2]: unknown unit "jiedai"' },
  { name: 'an unknown time zone', change: (d) => d.setIn(['timezone'], 'Asia/Beijing'), expected: 'timezone: unknown time zone "Asia/Beijing"' },
  { name: 'a missing title', change: (d) => d.deleteIn(['title']), expected: 'title: required field is missing (expected string)' },
  { name: 'a unit listed twice', change: (d) => d.setIn(['deliverables', 1, 'units'], ['zonghe', 'laifang', 'zonghe']), expected: 'deliverables[1].units[2]: unit "zonghe" is listed twice' },
];

describe('duban plan validate', () => {
  it('accepts the shipped 2015 plan and summarises it', async () => {
    const { code, output } = await validate(shippedPath);
    expect(code).toBe(0);
    expect(output).toContain('tasks         18 in 4 sections');
    expect(output).toContain('deliverables  13');
    expect(output).toContain('first due     2015-03-31 (d04 组织实施 2014 年信访工作考核, 牵头 综合指导司)');
    expect(output).toContain('assumed dates 13 of 13');
  });

  it.each(cases)('reports $name with its path and exits 2', async ({ name, change, expected }) => {
    const { code, output } = await validate(brokenPlan(name.replaceAll(' ', '-'), change));
    expect(code).toBe(2);
    expect(output).toContain(expected);
    expect(output).toMatch(/\(line \d+, column \d+\)/);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const file = join(workDir, 'syntax.yaml');
    writeFileSync(file, shippedText.replace('title: 2015 年信访工作要点', 'title: [2015 年信访工作要点'));
    const { code, output } = await validate(file);
    expect(code).toBe(2);
    expect(output).toMatch(/YAML syntax: .+ \(line \d+, column \d+\)/);
  });

  it('reports every problem at once, not just the first', async () => {
    const file = brokenPlan('two-problems', (d) => {
      d.setIn(['deliverables', 4, 'units', 1], 'yanjiu');
      d.setIn(['supervisor'], 'ducha');
    });
    const { output } = await validate(file);
    expect(output).toContain('2 problems');
  });

  it('exits 2 from the real command, naming the path, and 0 for the shipped plan', async () => {
    const file = brokenPlan('cli-unknown-unit', (d) => d.setIn(['deliverables', 4, 'units', 1], 'yanjiu'));
    const failure = await run('node', [dubanBin, 'plan', 'validate', file]).catch((err: { code: number; stdout: string }) => err);
    expect('code' in failure && failure.code).toBe(2);
    expect(failure.stdout).toContain('deliverables[4].units[1]: unknown unit "yanjiu"');
    const success = await run('node', [dubanBin, 'plan', 'validate', shippedPath]);
    expect(success.stdout).toContain('✓');
  });
});
