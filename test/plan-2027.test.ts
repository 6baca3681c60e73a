/**
 * A plan for a year the calendar package lacks (2027), with the TEST FIXTURE calendar file: it starts on the dev
 * server and simulates on the time-skipping server; a plan ending late in 2026 simulates up to the calendar's end.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { simulate } from '../cli/simulate.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { rebasePlan } from '../config/plan-inputs.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { rehearsalPlan } from '../devtools/dev-plan.ts';
import { deliverableWorkflowId, statusQuery } from '../workflows/definitions.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { childEnvironment, runDuban, waitFor, WorkerProcess } from './helpers/duban-cli.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const planFile = new URL('./fixtures/plans/province-2027.yaml', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'duban-2027-'));
const quiet = { out: () => undefined, err: () => undefined, progress: { write: () => true } };
// Past simulate's own bound on a step (60 s of real time: stallLimitFor in simulate/run.ts), so a stalled run fails naming the step
// and what held the server's clock, not with a bare test timeout (seen once in CI, two runs side by side).
const simulationTimeoutMs = 150_000;
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function plan2027() {
  const loaded = await loadPlanFile(planFile);
  if (!loaded.ok) throw new Error('the 2027 fixture plan does not validate');
  return loaded.plan;
}

describe('a 2027 plan with a calendar file', () => {
  it('simulates its year with every notice on a working day of the fixture calendar, none inside 春节 or 国庆节', async () => {
    const plan = await plan2027();
    const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
    const out: string[] = [];
    const htmlFile = join(workDir, 'timeline-2027.html');
    const code = await simulate([planFile, '--out', htmlFile], process.env, { ...quiet, out: (line) => out.push(line) });
    expect(code).toBe(0);
    // The run would go on three working days into 2028, which no calendar covers: it stops at the end of 2027.
    expect(out[0]).toBe('duban simulate: 2027 年全省信访工作要点（测试） (sheng-2027), 2027-01-04 08:00 – 2027-12-31 09:30 Asia/Shanghai');
    expect(out.some((line) => line.startsWith('  calendar      PAUSED: year 2028 is not covered'))).toBe(true);
    const html = readFileSync(htmlFile, 'utf8');
    const mailDates = [...html.matchAll(/<circle class="mail[^"]*" data-kind="(\w+)"[^>]* data-at="([^"]+)"/g)].map((m) => ({ kind: m[1]!, date: DateTime.fromISO(m[2]!, { setZone: true }).toISODate()! }));
    expect(mailDates.length).toBeGreaterThan(20);
    for (const { kind, date } of mailDates) expect(calendar.isWorkingDay(date), `${kind} on ${date}`).toBe(true);
    // d01 is due 10 February, inside the fixture's 春节 (6–13 February): due on the 15th, overdue from the 16th.
    // (the first overdue day's notice is the level-1 督办 falling at the same instant: one notice carries both)
    expect(html).toMatch(/data-kind="escalation"[^>]* data-at="2027-02-16T09:00/);
  }, simulationTimeoutMs);

  it('starts on the dev server through `duban plan start`, its due dates moved off the fixture holidays', async () => {
    let server: TestWorkflowEnvironment | undefined;
    let worker: WorkerProcess | undefined;
    try {
      server = await startDevServer({ searchAttributes: [...allSearchAttributes] });
      const env = childEnvironment({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: workDir, DUBAN_NOTIFY: 'outbox' });
      worker = await WorkerProcess.start(env);
      const started = await runDuban(['plan', 'start', planFile], env);
      expect(started).toMatchObject({ code: 0, stderr: '' });
      expect(started.stdout).toContain('started plan sheng-2027');
      const status = (id: string) => server!.client.workflow.getHandle(deliverableWorkflowId('sheng-2027', id)).query(statusQuery);
      // The plan workflow starts its deliverables in batches through an activity: wait for each.
      const d01 = await waitFor('d01 running', () => status('d01').catch(() => undefined));
      const d03 = await waitFor('d03 running', () => status('d03').catch(() => undefined));
      expect([d01.due, d03.due]).toEqual(['2027-02-15', '2027-10-08']);
      // The calendar file covers 2027: no pause names it. (Run in 2028 or later, the catch-up of a past plan does
      // reach an uncovered year and pauses there, which is right; this test must not depend on the wall clock's year.)
      const pauseNotes = d01.events.filter((e) => e.what === 'schedule_paused').map((e) => e.note);
      expect(pauseNotes.filter((note) => note?.includes('year 2027 '))).toEqual([]);
    } finally {
      await worker?.stop();
      await server?.teardown();
    }
  });

  it('rehearses in `duban dev` with the calendar file of a year the package lacks, and says which years stay assumed', async () => {
    const plan = await plan2027();
    const fixtureOverride = plan.calendar.overrides[0]!;
    const bare = { ...plan, calendar: { ...plan.calendar, files: [], overrides: [] } };
    const withFile = rehearsalPlan(bare, '2027-01-04', (year) => (year === 2027 ? { path: 'cn-2027.yaml', override: fixtureOverride } : undefined));
    expect(withFile).toMatchObject({ calendarFiles: ['cn-2027.yaml'], assumedYears: [] });
    expect(new WorkingDayCalendar(plan.timezone, withFile.plan.calendar.overrides).isWorkingDay('2027-02-10')).toBe(false);
    const without = rehearsalPlan(bare, '2027-01-04', () => undefined);
    expect(without).toMatchObject({ calendarFiles: [], assumedYears: [2027] });
    expect(new WorkingDayCalendar(plan.timezone, without.plan.calendar.overrides).isWorkingDay('2027-02-10')).toBe(true);
  });
});

describe('a plan ending late in 2026, the calendar’s last year', () => {
  it('simulates up to the end of 2026 and says the calendar ran out, instead of failing with UncoveredYearError', async () => {
    const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const file = join(workDir, 'plan-2026.yaml');
    writeFileSync(file, stringify(rebasePlan(loaded.plan, '2026-01-05')));
    const out: string[] = [];
    const code = await simulate([file, '--out', join(workDir, 'timeline-2026.html')], process.env, { ...quiet, out: (line) => out.push(line) });
    expect(code).toBe(0);
    expect(out[0]).toContain('2026-01-05 08:00 – 2026-12-31 09:30 Asia/Shanghai');
    expect(out).toContain('  calendar      PAUSED: year 2027 is not covered by the working-day calendar (chinese-days covers 2004–2026); add a calendar override for 2027 to the plan');
    expect(out.some((line) => line.includes('the run stops on 2026-12-31; schedules that reach 2027 pause there'))).toBe(true);
  }, simulationTimeoutMs);
});
