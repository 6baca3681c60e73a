/**
 * A simulation step that does not end (the time-skipping server stopped advancing its clock, a call went unanswered)
 * fails the run with what was waiting, instead of hanging it: the guard on its own, then a real run whose bound is
 * shorter than any step can be.
 */
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { childPidNamed } from '../scripts/bench/process-cpu.ts';
import { runSimulation } from '../simulate/run.ts';
import { defaultScenario } from '../simulate/scenario.ts';
import { buildScript } from '../simulate/script.ts';
import { SimulationStalledError, stallGuard } from '../simulate/stall-guard.ts';

const never = new Promise<never>(() => undefined);

describe('the stall guard', () => {
  it('passes a step that ends through, with its value or its error', async () => {
    const step = stallGuard(60_000, async () => ['not asked']);
    await expect(step('a quick step', Promise.resolve(42))).resolves.toBe(42);
    await expect(step('a failing step', Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('fails a step that does not end, naming it and what the diagnosis found', async () => {
    const step = stallGuard(20, async () => ['p/d01: running, waiting on deliver (attempt 3)']);
    const failure = await step('the server skipped time to 2015-03-02 00:00', never).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SimulationStalledError);
    expect((failure as Error).message).toBe('no progress for 0.02 s of real time while the server skipped time to 2015-03-02 00:00\n  p/d01: running, waiting on deliver (attempt 3)');
  });

  it('still fails, saying so, when the diagnosis does not answer or fails', async () => {
    const silent = stallGuard(20, () => never, 20);
    await expect(silent('waiting for d01 to close', never)).rejects.toThrow('while waiting for d01 to close\n  (the server did not answer the diagnosis either)');
    const broken = stallGuard(20, async () => Promise.reject(new Error('UNAVAILABLE')));
    await expect(broken('waiting for d01 to close', never)).rejects.toThrow('\n  diagnosis failed: UNAVAILABLE');
  });
});

describe('a simulation with a step that cannot end in time', () => {
  it('fails as stalled with the plan time and the open workflows, and tears its server and worker down', async () => {
    const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const built = buildScript(loaded.plan, defaultScenario);
    if (!built.ok) throw new Error('the default scenario does not fit the shipped plan');
    // No step answers within a timer's first turn: each is a round trip to the server.
    const failure = await runSimulation({ plan: loaded.plan, script: built.script, env: process.env, stallLimitMs: 0 }).catch((err: unknown) => err);
    // The test server is this process's child (its name cut to 15 characters): gone once the run has failed.
    expect(childPidNamed('temporal-test-s')).toBeUndefined();
    expect(failure).toBeInstanceOf(SimulationStalledError);
    const [first, planTime, ...open] = (failure as Error).message.split('\n');
    expect(first).toBe('no progress for 0 s of real time while the server skipped time to 2015-01-12 08:00');
    expect(planTime).toMatch(/^ {2}plan time 2015-01-0\dT/);
    expect(open[0]).toMatch(/^ {2}xinfang-2015: running/);
  }, 120_000);
});
