/** The `duban` command line end to end: real CLI processes and a `duban worker` against the Temporal dev server. */
import { trackedItems } from '../config/task-items.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput, rebasePlan } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { deliverableWorkflowId, statusQuery, taskQueue, type DeliverableStatus, type Light } from '../workflows/definitions.ts';
import { deliverableWorkflow } from '../workflows/deliverable.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { listDeliverables, type StatusRow } from '../cli/status.ts';
import { childEnvironment, closedPort, runDuban, waitFor, WorkerProcess, type CommandResult } from './helpers/duban-cli.ts';
import { pinnedClockOffsetMs } from './helpers/plan-clock.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const planFile = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
const rebaseTo = '2026-01-05';
const planId = 'xinfang-2015';
const dataDir = mkdtempSync(join(tmpdir(), 'duban-cli-'));
let server: TestWorkflowEnvironment | undefined;
let worker: WorkerProcess | undefined;
let childEnv: NodeJS.ProcessEnv;
let plan: Plan;
const starts: CommandResult[] = [];

const duban = (...args: string[]) => runDuban(args, childEnv);
const statusOf = (deliverableId: string) => server!.client.workflow.getHandle(deliverableWorkflowId(planId, deliverableId)).query(statusQuery);
const countOf = async (query: string) => (await server!.client.workflow.count(query)).count;
/** One line on stderr, nothing on stdout: how every refused or failed command answers. */
const oneErrorLine = (result: CommandResult) => {
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return result.stderr.trim();
};

beforeAll(async () => {
  const loaded = await loadPlanFile(planFile);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  plan = rebasePlan(loaded.plan, rebaseTo);
  server = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  childEnv = childEnvironment({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir });
  worker = await WorkerProcess.start(childEnv);
  // The same start twice: the second must find the first and start nothing.
  starts.push(await duban('plan', 'start', planFile, '--rebase-to', rebaseTo));
  starts.push(await duban('plan', 'start', planFile, '--rebase-to', rebaseTo));
});

afterAll(async () => {
  await worker?.stop();
  await server?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('duban plan start', () => {
  it('starts the rebased plan once, says "already running" the second time, and leaves exactly 13 deliverable and 6 task-item workflows', async () => {
    expect(starts[0]).toMatchObject({ code: 0, stderr: '' });
    expect(starts[0]!.stdout).toContain(`started plan ${planId}`);
    expect(starts[0]!.stdout).toContain(`${rebaseTo} – `);
    expect(starts[1]!.code).toBe(0);
    expect(starts[1]!.stdout).toContain('already running');
    expect(starts[1]!.stdout).toContain('nothing new started');

    const count = await waitFor('19 items in visibility', async () => {
      const n = await countOf(`DubanPlan = '${planId}'`);
      return n >= 19 ? n : undefined;
    });
    expect(count).toBe(19);
    expect(await countOf(`WorkflowId = '${planId}'`)).toBe(1);
    const ids: string[] = [];
    for await (const info of server!.client.workflow.list({ query: `DubanPlan = '${planId}'` })) ids.push(info.workflowId);
    expect(ids.sort()).toEqual(trackedItems(plan).map((d) => deliverableWorkflowId(planId, d.id)).sort());
    expect(ids.filter((id) => id.includes('/task-'))).toHaveLength(6);
  });

  it('refuses a plan that the rebase pushes out of the calendar, prints every problem and starts nothing', async () => {
    const result = await duban('plan', 'start', planFile, '--rebase-to', '2027-01-04');
    expect(result.code).toBe(2);
    // 15 for the plan's and its deliverables' dates, 6 for the milestones of d01 and d12.
    expect(result.stderr).toContain(`✗ ${planFile} rebased to 2027-01-04: 21 problems`);
    expect(result.stderr).toContain("deliverables[11].milestones[0].due: milestone due date 2027-04-29: its year is not covered by the plan's calendar");
    expect(result.stderr).toContain('deliverables[3].due: year 2027 is not covered by the working-day calendar');
    expect(result.stderr.trim().split('\n').at(-1)).toBe('nothing started');
    expect(await countOf(`WorkflowId = '${planId}'`)).toBe(1);
  });

  it('refuses an invalid plan file with its located problems and an impossible rebase date with a usage line', async () => {
    const broken = join(dataDir, 'broken.yaml');
    writeFileSync(broken, 'id: broken\n');
    const invalid = await duban('plan', 'start', broken);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`✗ ${broken}:`);
    expect(invalid.stderr).toContain('title: required field is missing');
    expect(await countOf(`WorkflowId = 'broken'`)).toBe(0);

    expect(oneErrorLine(await duban('plan', 'start', planFile, '--rebase-to', '2026-02-30'))).toBe(
      'duban: plan start: --rebase-to must be a real date written YYYY-MM-DD, got "2026-02-30"',
    );
  });
});

describe('duban status', () => {
  const lights: Record<DeliverableStatus, Light> = {
    assigned: 'green', in_progress: 'green', awaiting_acceptance: 'green', due_soon: 'yellow', lagging: 'yellow', overdue: 'red', escalated: 'red', done: 'grey', cancelled: 'grey', terminated: 'red', failed: 'red',
  };

  it('prints the 13 deliverables and 6 task items as JSON with status, light, due date and escalation level, in deliverable order', async () => {
    const rows = await waitFor('19 rows answered by their workflows', async () => {
      const result = await duban('status', '--plan', planId, '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const parsed = JSON.parse(result.stdout) as StatusRow[];
      return parsed.length === 19 && parsed.every((r) => r.source === 'query') ? parsed : undefined;
    });
    const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
    expect(rows.map((r) => r.deliverableId)).toEqual(trackedItems(plan).map((d) => d.id));
    rows.forEach((row, i) => {
      const deliverable = trackedItems(plan)[i]!;
      expect(row).toMatchObject({
        workflowId: deliverableWorkflowId(planId, deliverable.id), planId, number: deliverable.number, title: deliverable.title,
        execution: 'RUNNING',
      });
      expect(row.status! in lights).toBe(true);
      expect(row.light).toBe(lights[row.status as DeliverableStatus]);
      expect(row.escalationLevel).toBeGreaterThanOrEqual(0);
      expect(row.units[0]).toMatchObject({ unitId: deliverable.units[0], lead: true });
      // Rebased due dates that fall on a day off move to the next working day; an extension in another test may move them later.
      expect(row.due! >= calendar.onOrAfter(deliverable.due)).toBe(true);
    });
  });

  it('prints a table with Chinese headers and a traffic light per deliverable of every plan', async () => {
    const result = await duban('status');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^编号\s+事项\s+牵头单位\s+期限\s+状态\s+灯\s+督办级别$/);
    const rows = lines.filter((line) => /^d\d\d /.test(line));
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row).toMatch(/[🟢🟡🔴⚪]/u);
    expect(rows[3]).toContain('组织实施 2014 年信访工作考核');
    expect(rows[3]).toContain('综合指导司');
    expect(result.stdout).toContain('19 deliverables');
  });

  it('shows a plan of more items than it asks each from visibility alone, saying so, and asks each with --query', async () => {
    const lines: string[] = [];
    const listed = await listDeliverables(server!.client, planId, { askUpTo: 5, progress: (line) => lines.push(line) });
    expect(listed).toHaveLength(19);
    expect(listed.every((r) => r.source === 'visibility' && r.title === null && r.light !== null)).toBe(true);
    expect(listed.map((r) => r.deliverableId)).toEqual(trackedItems(plan).map((d) => d.id));
    expect(lines).toEqual(['19 deliverables: shown as visibility lists them (no title, 签收 unknown); --query asks each, 16 at a time']);
    const asked = await listDeliverables(server!.client, planId, { askUpTo: 5, queryAll: true });
    expect(asked.every((r) => r.source === 'query' && r.title !== null)).toBe(true);
  });
});

describe('duban escalate, extend and confirm', () => {
  it('escalates by hand: the update answers with the new status and the status query records the remark', async () => {
    const result = await duban('escalate', `${planId}/d02`, '--reason', '请于本周内报送进展');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`✓ ${planId}/d02 制定进一步规范联合接访工作意见`);
    expect(result.stdout).toContain('已督办 (escalated)');
    const view = await statusOf('d02');
    expect(view.status).toBe('escalated');
    expect(view.escalationLevel).toBeGreaterThanOrEqual(1);
    expect(view.events).toContainEqual(expect.objectContaining({ type: 'action', what: 'escalate', by: '督查室', note: '请于本周内报送进展' }));
  });

  it('accepts a bare deliverable id with --plan', async () => {
    const result = await duban('escalate', 'd05', '--plan', planId, '--reason', '督办');
    expect(result.code).toBe(0);
    expect((await statusOf('d05')).events).toContainEqual(expect.objectContaining({ what: 'escalate', note: '督办' }));
  });

  it('extends a due date: the new date shows in the output and in the status query', async () => {
    // The rebased d08 as an item of its own in pinned plan time (the CLI's plan runs on the wall clock): the new date
    // stays after "today", and inside the calendar, whatever day the test runs.
    const deliverableId = 'd08-pinned';
    const input = { ...deliverableInput(plan, 'd08', { clockOffsetMs: pinnedClockOffsetMs() }), deliverableId, planWorkflowId: undefined };
    await server!.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue, workflowId: deliverableWorkflowId(planId, deliverableId) });
    const to = '2026-12-31';
    const result = await duban('extend', `${planId}/${deliverableId}`, '--to', to, '--reason', '配合立法计划调整');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`期限 ${to} (原 2026-04-30)`);
    const view = await statusOf(deliverableId);
    expect(view.due).toBe(to);
    expect(view.originalDue).toBe('2026-04-30');
    expect(view.events).toContainEqual(expect.objectContaining({ what: 'extension_approved', by: '督查室' }));
  });

  it('confirms for the lead unit: the item awaits acceptance and the unit shows as confirmed', async () => {
    const result = await duban('confirm', `${planId}/d06`, '--unit', 'yanjiushi');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('待验收 (awaiting_acceptance)');
    const view = await statusOf('d06');
    expect(view.status).toBe('awaiting_acceptance');
    expect(view.units.find((u) => u.unitId === 'yanjiushi')?.confirmedAt).toBeDefined();
  });
});

describe('errors', () => {
  it('answers an unknown workflow id with one line and exit 2', async () => {
    const result = await duban('escalate', `${planId}/d99`, '--reason', 'x');
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toContain(`no running workflow "${planId}/d99"`);
  });

  it('refuses a confirmation by a unit that is not responsible, with the validator\'s message, and records nothing', async () => {
    const before = await statusOf('d09');
    const result = await duban('confirm', `${planId}/d09`, '--unit', 'yanjiushi');
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toBe('duban: refused: 单位“yanjiushi”不是本事项的责任单位 (not a responsible unit)');
    expect((await statusOf('d09')).events).toEqual(before.events);
  });

  it('refuses an extension to a past date with the validator\'s message', async () => {
    const result = await duban('extend', `${planId}/d10`, '--to', '2020-01-01', '--reason', '太晚了');
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toBe('duban: refused: 期限 2020-01-01 不在今天之后 (not a future date)');
    expect((await statusOf('d10')).due).not.toBe('2020-01-01');
  });

  it('refuses a second confirmation of an item that awaits acceptance', async () => {
    await waitFor('d07 confirmed by its lead', async () => ((await duban('confirm', `${planId}/d07`, '--unit', 'yanjiushi')).code === 0 ? true : undefined));
    const result = await duban('confirm', `${planId}/d07`, '--unit', 'duchashi');
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toContain('(already confirmed)');
  });

  it('names the address when no server listens there, with one line and exit 1', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const result = await runDuban(['status'], { ...childEnv, TEMPORAL_ADDRESS: address });
    expect(result.code).toBe(1);
    expect(oneErrorLine(result)).toMatch(new RegExp(`^duban: cannot reach the Temporal server at ${address.replace(/\./g, '\\.')}: `));
  });

  it.each([
    [['escalate', `${planId}/d01`], 'duban: escalate: --reason is required'],
    [['escalate', `${planId}/d01`, '--reason', 'x', '--urgent'], "duban: escalate: Unknown option '--urgent'"],
    [['extend', `${planId}/d01`, '--to', '31.12.2026', '--reason', 'x'], 'duban: extend: --to must be a real date written YYYY-MM-DD, got "31.12.2026"'],
    [['confirm', 'd01', '--unit', 'banxin-1'], 'duban: confirm: give the workflow id as PLAN/DELIVERABLE (e.g. xinfang-2015/d04), or add --plan PLAN'],
    [['confirm', `${planId}/d01`, 'extra', '--unit', 'banxin-1'], `duban: confirm takes ID, got "${planId}/d01 extra"`],
    [['status', '--plan', "x' OR '1'='1"], `duban: status: --plan must be a plan id (letters, digits, . _ -), got "x' OR '1'='1"`],
  ])('rejects bad arguments %j with a usage line and exit 2', async (args, message) => {
    const result = await duban(...args);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toBe(message);
  });
});

