/**
 * Threat: a hostile or broken plan file — YAML alias bombs (billion laughs), 10,000-deep nesting, tens of thousands
 * of keys, megabyte strings, control characters that drive the terminal. Before, such files crashed `duban plan
 * validate` with a stack trace or kept it busy for half a minute. Now every input ends in a plan or in located
 * problems, quickly, with control characters escaped. A seeded fuzzer mutates the shipped plan 1,200 times through
 * the function `duban plan validate` uses, and a handful through the real command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, parsePlanText, type PlanLoadResult } from '../../config/load-plan.ts';
import { childEnvironment, runDuban } from '../helpers/duban-cli.ts';
import { aliasBomb, mutate, shippedPlanText as shipped } from '../helpers/plan-mutations.ts';

const runs = 1_200;
/**
 * A bound for the pathologies (an alias bomb or deep nesting kept the validator busy for half a minute before the
 * limits), not a speed target: the largest mutations are megabyte files (seed 829: 1.1 MB, 80,000 lines) that the
 * YAML parser alone takes 1.1–1.5 s of CPU to read on an idle 2-core box, and 2.07 s in a CI run with the other test
 * files beside it (2026-12-02), over the 2 s this bound was.
 */
const perInputLimitMs = 8_000;
// eslint-disable-next-line no-control-regex
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u;

/** `ms` is CPU time (user + system) of this process, so a busy machine does not fail the bound; `wallMs` is reported. */
interface Outcome { readonly seed: number; readonly ms: number; readonly wallMs: number; readonly result?: PlanLoadResult; readonly crash?: unknown }

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

describe('plan files under a seeded fuzzer', () => {
  const outcomes: Outcome[] = [];

  it(`ends each of ${runs} mutated plans in a plan or located problems, without a crash, each within ${perInputLimitMs / 1000} s`, () => {
    for (let seed = 1; seed <= runs; seed++) {
      const text = mutate(seed);
      const started = performance.now();
      const cpu = process.cpuUsage();
      try {
        const result = parsePlanText(text);
        outcomes.push({ seed, ms: cpuMs(cpu), wallMs: performance.now() - started, result });
      } catch (crash) {
        outcomes.push({ seed, ms: cpuMs(cpu), wallMs: performance.now() - started, crash });
      }
    }
    const crashes = outcomes.filter((o) => o.crash !== undefined);
    const slow = outcomes.filter((o) => o.ms > perInputLimitMs);
    const unlocated = outcomes.flatMap((o) => (o.result && !o.result.ok ? o.result.issues.filter((i) => !(i.line! >= 1 && i.column! >= 1) || !i.message).map((i) => ({ seed: o.seed, i })) : []));
    const raw = outcomes.flatMap((o) => (o.result && !o.result.ok ? o.result.issues.map(formatIssue).filter((line) => rawControl.test(line)).map((line) => ({ seed: o.seed, line })) : []));
    const times = outcomes.map((o) => o.ms);
    const wall = outcomes.map((o) => o.wallMs);
    const invalid = outcomes.filter((o) => o.result && !o.result.ok).length;
    console.log(`plan-file-fuzz: ${outcomes.length} runs, ${invalid} with problems, ${outcomes.length - invalid - crashes.length} valid, ${crashes.length} crashes, `
      + `${slow.length} over ${perInputLimitMs} ms CPU; CPU max ${Math.max(...times).toFixed(0)} ms, avg ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)} ms; `
      + `wall max ${Math.max(...wall).toFixed(0)} ms, avg ${(wall.reduce((a, b) => a + b, 0) / wall.length).toFixed(1)} ms`);
    expect(crashes.map((c) => ({ seed: c.seed, crash: String(c.crash) }))).toEqual([]);
    expect(slow.map((s) => ({ seed: s.seed, ms: Math.round(s.ms) }))).toEqual([]);
    expect(unlocated).toEqual([]);
    expect(raw).toEqual([]);
    // The fuzzer reaches the hostile cases it was written for.
    expect(invalid).toBeGreaterThan(runs / 2);
  }, 600_000);

  const dir = mkdtempSync(join(tmpdir(), 'duban-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers hostile files through the real command with located problems, exit 2 and no stack trace', async () => {
    const hostile: Record<string, string> = {
      'alias-bomb.yaml': `${aliasBomb(9)}${shipped}`,
      'deep-flow.yaml': shipped.replace('title: ', `title: ${'['.repeat(10_000)}`),
      'deep-block.yaml': `${shipped}\nextra:\n  ${'- '.repeat(10_000)}x\n`,
      'many-keys.yaml': `${shipped}\n${Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`,
      'control.yaml': shipped.replace('title: ', 'title: "\u001b[2J\u202e"\n\u001b]0;owned\u0007: 1\ntitle2: '),
      'seed-7.yaml': mutate(7),
    };
    for (const [name, text] of Object.entries(hostile)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const { code, stdout, stderr } = await runDuban(['plan', 'validate', file], childEnvironment({}));
      expect({ name, code }).toEqual({ name, code: 2 });
      expect(stderr).not.toMatch(/\n\s+at /);
      const problems = stdout.split('\n').filter((l) => l.startsWith('  '));
      expect(problems.length).toBeGreaterThan(0);
      for (const line of problems) expect(line).toMatch(/\(line \d+, column \d+\)$|^ {2}… and \d+ more$/);
      expect(rawControl.test(stdout + stderr)).toBe(false);
    }
  }, 300_000);
});
