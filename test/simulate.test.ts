import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { loadScenarioFile, parseScenarioText } from '../simulate/scenario.ts';
import { buildScript } from '../simulate/script.ts';

const run = promisify(execFile);
const dubanBin = new URL('../bin/duban.js', import.meta.url).pathname;
const planPath = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'duban-simulate-'));
const calendar = new WorkingDayCalendar('Asia/Shanghai');

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// Due dates in the shipped plan: d02 06-30, d06 05-29, d08 04-30, d09 10-30, d11 06-30, d12 07-31, d13 12-18.
const scenario = `# A small year: one item never confirmed, one late, one extended, one not accepted, one escalated by hand.
others: on-time
deliverables:
  d08: never                     # overdue from 4 May (1–3 May off): 督办 at once, 通报 ten working days later
  d02: late                      # overdue 1 July, confirmed two working days after
  d06:
    extension: { request: 2015-05-20, to: 2015-07-31, approve: true }
  d09:
    accept: false                # confirmed, never accepted: still open when the year ends
  d11:
    escalate: { at: 2015-03-02, remark: 请抓紧推进 }
  d12:
    escalate: { at: 2015-12-01, remark: 已办结，此督办应被拒绝 }
  d13:
    confirm: { at: 2015-10-03 }  # a National Day holiday: the unit confirms on the next working day, 8 October
`;

interface Mark { kind: string; at: string; level?: string; manual: boolean }

/** The marks of each timeline row, keyed by deliverable id (`plan` for the plan's own row). */
function rowsOf(html: string): Map<string, { mails: Mark[]; actions: { kind: string; at: string; outcome: string }[] }> {
  const rows = new Map<string, { mails: Mark[]; actions: { kind: string; at: string; outcome: string }[] }>();
  const parts = html.split(/(?=<g class="row)/).slice(1);
  for (const part of parts) {
    const key = /^<g class="row" data-deliverable="([^"]+)"/.exec(part)?.[1] ?? (part.startsWith('<g class="row plan-row"') ? 'plan' : '?');
    const mails = [...part.matchAll(/<circle class="mail[^"]*" data-kind="(\w+)"(?: data-level="(\d)")?( data-manual="true")? data-at="([^"]+)"/g)]
      .map((m) => ({ kind: m[1]!, level: m[2], manual: m[3] !== undefined, at: m[4]! }));
    const actions = [...part.matchAll(/<path class="action" data-kind="(\w+)" data-at="([^"]+)" data-outcome="(\w+)"/g)].map((m) => ({ kind: m[1]!, at: m[2]!, outcome: m[3]! }));
    rows.set(key, { mails, actions });
  }
  return rows;
}

describe('duban simulate, the 2015 plan with a small scenario', () => {
  const htmlFile = join(workDir, 'timeline.html');
  const out: string[] = [];
  const err: string[] = [];
  let progress = '';
  let code: number;
  let html: string;

  beforeAll(async () => {
    const scenarioFile = join(workDir, 'scenario.yaml');
    writeFileSync(scenarioFile, scenario);
    code = await simulate([planPath, '--scenario', scenarioFile, '--out', htmlFile], process.env, {
      out: (line) => out.push(line), err: (line) => err.push(line), progress: { write: (text: string) => (progress += text), isTTY: false },
    });
    html = readFileSync(htmlFile, 'utf8');
  }, 120_000);

  it('runs the year and sums it up: on-time rate, escalations per level, mails per kind, wall time and memory', () => {
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const summary = out.join('\n');
    expect(out[0]).toBe('duban simulate: 2015 年信访工作要点 (xinfang-2015), 2015-01-05 08:00 – 2016-01-06 09:30 Asia/Shanghai');
    expect(summary).toContain('  behaviour     on-time 10 · late 1 · never 1 (d08) · on a date 1 (d13)\n');
    // d02 late; d08 never confirmed and d09 never accepted are cancelled when the run ends. The rate counts them as
    // they stood then (domain/on-time-rate.ts): d08 overdue and open, d09 confirmed on time (acceptance is not the units' deadline).
    expect(summary).toContain('  on time       11 of 13 completed or overdue (84.6%); 0 not yet due, 0 cancelled\n');
    expect(summary).toContain('  late          1: d02 +3wd\n');
    expect(summary).toContain('  overdue open  1: d08\n');
    expect(summary).toContain('  not closed    2: d08 (level 2), d09 (level 0), cancelled when the run ended\n');
    expect(summary).toContain('  escalations   level 1 督办: 3 notices (1 by hand) (d02, d08, d11) · level 2 通报: 1 notice (d08)\n');
    // Reminders: two per item confirmed three working days early, three for d02 and d08, one more for d06 before its
    // extension, none for d13 (confirmed in October); overdue: none for d02 (its first overdue day's notice is the
    // 督办 at the same instant), d08 on its 6th, 16th, 36th, 56th … 156th working day overdue (gaps 5, 10, then 20).
    // The scenario's units never 签收 before acting: each of the 13 items gets the plan's three 催签 (one mail per notice).
    // 分解: two reminders for each of the four milestones of d01 and d12 with dates of their own (their leads mark
    // them done three working days early, as the items are confirmed; the last ones share the items' dates).
    expect(summary).toContain('  mails         assignment 13 · reminder 35 · overdue 9 · escalation 4 · extension_request 1 · extension_decision 1 · confirmation 12 · completion 11 · cancellation 2 · acknowledgement_reminder 39 · digest 53 · final_report 1\n');
    expect(summary).toContain('                181 notices, 378 unit messages (to and cc)\n');
    expect(summary).toContain('  actions       confirm 15 · accept 11 · extension_request 1 · extension_decision 1 · escalate 1 · cancel 2 · milestone_done 4 · refused 1\n');
    expect(summary).toContain('    refused: 2015-12-01 d12 escalate: 工作流已结束（COMPLETED），事项已办结或已撤销，不再受理\n');
    expect(summary).toMatch(/\n {2}wall time {5}\d+\.\d s \(test server \d+\.\d s, worker and workflow bundle \d+\.\d s, the year \d+\.\d s\)\n/);
    expect(summary).toMatch(/\n {2}peak memory {3}\d+ MB RSS sampled, \d+ MB maxRSS \(this process\)/);
  });

  it('escalates the never-confirmed item to level 2 and sends no overdue notice for an item confirmed on time', () => {
    const rows = rowsOf(html);
    const never = rows.get('d08')!.mails;
    expect(never.filter((m) => m.kind === 'escalation').map((m) => [m.level, m.at])).toEqual([
      ['1', '2015-05-04T09:00:00.000+08:00'],
      ['2', '2015-05-18T09:00:00.000+08:00'],
    ]);
    // Overdue notices repeat until the run ends, at a widening gap (5, 10, then every 20 working days).
    expect(never.filter((m) => m.kind === 'overdue').map((m) => m.at.slice(0, 10)).slice(0, 3)).toEqual(['2015-05-11', '2015-05-25', '2015-06-23']);
    expect(never.filter((m) => m.kind === 'overdue')).toHaveLength(9);
    expect(rows.get('d08')!.actions).toEqual([{ kind: 'cancel', at: '2016-01-06T09:30:00.000+08:00', outcome: 'done' }]);

    for (const onTime of ['d01', 'd05', 'd12']) {
      expect(rows.get(onTime)!.mails.filter((m) => ['overdue', 'escalation'].includes(m.kind)), onTime).toEqual([]);
    }
    // The extension moved d06's due date to 31 July: confirmed three working days before, nothing overdue.
    expect(rows.get('d06')!.actions.map((a) => [a.kind, a.at.slice(0, 10)])).toEqual([
      ['extension_request', '2015-05-20'], ['extension_decision', '2015-05-21'], ['confirm', '2015-07-28'], ['accept', '2015-07-29'],
    ]);
    expect(rows.get('d06')!.mails.some((m) => m.kind === 'overdue')).toBe(false);
    // The late item got its 督办 (carrying the first overdue day) before the unit confirmed.
    expect(rows.get('d02')!.mails.filter((m) => ['overdue', 'escalation'].includes(m.kind)).map((m) => `${m.kind} ${m.at.slice(0, 16)}`)).toEqual(['escalation 2015-07-01T09:00']);
    expect(rows.get('d02')!.actions[0]).toEqual({ kind: 'confirm', at: '2015-07-03T09:30:00.000+08:00', outcome: 'done' });
    expect(rows.get('d13')!.actions[0]!.at).toBe('2015-10-08T09:30:00.000+08:00');
  });

  it('marks each milestone of d12 on its row: a flag at its date, hollow once done, and the 节点完成 clicks as actions', () => {
    const row = html.split(/(?=<g class="row)/).find((part) => part.startsWith('<g class="row" data-deliverable="d12"'))!;
    const flags = [...row.matchAll(/<g class="milestone" data-milestone="(\w+)" data-light="(\w+)"><title>([^<]+)<\/title>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(flags).toEqual([
      ['fangan', 'grey', '节点 方案 2015-04-30 · 已完成 2015-04-27 09:30'],
      ['zhengqiu', 'grey', '节点 征求意见 2015-06-30 · 已完成 2015-06-25 09:30'],
      ['yinfa', 'grey', '节点 印发 2015-07-31 · 随事项完成 2015-07-28 09:30'],
    ]);
    expect(rowsOf(html).get('d12')!.actions.filter((a) => a.kind === 'milestone_done').map((a) => [a.at.slice(0, 10), a.outcome])).toEqual([
      ['2015-04-27', 'done'], ['2015-06-25', 'done'],
    ]);
  });

  it('draws a row per deliverable and every mail of the run, each on a working day: scheduled ones at 09:00, answers to actions at 09:30', () => {
    const rows = rowsOf(html);
    expect([...rows.keys()]).toEqual(['plan', ...Array.from({ length: 13 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`)]);
    const mails = [...rows.values()].flatMap((row) => row.mails);
    const total = Number(/\n {16}(\d+) notices, /.exec(`\n${out.join('\n')}`)![1]);
    expect(mails).toHaveLength(total);

    const scheduled = new Set(['reminder', 'overdue', 'digest', 'acknowledgement_reminder']);
    for (const mail of mails) {
      const at = DateTime.fromISO(mail.at, { setZone: true });
      const local = `${at.toISODate()} ${at.toFormat('HH:mm')} (${mail.kind})`;
      expect(at.offset, local).toBe(480);
      expect(calendar.isWorkingDay(at.toISODate()!), local).toBe(true);
      if (scheduled.has(mail.kind) || (mail.kind === 'escalation' && !mail.manual)) expect(at.toFormat('HH:mm:ss'), local).toBe('09:00:00');
      else if (mail.kind === 'assignment') expect(at.toFormat('yyyy-MM-dd HH:mm'), local).toBe('2015-01-05 08:00');
      else expect(at.toFormat('HH:mm'), local).toBe('09:30');
    }
    expect(html).not.toContain('class="mail off-day"');
  });

  it('is one self-contained page: no scripts, no external references, text escaped', () => {
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('批示：请抓紧推进');
    expect(html).not.toMatch(/<title>[^<]*[<>][^<]*<\/title>/);
  });

  it('shows its progress as a plain-text bar, a line per simulated month when not on a terminal', () => {
    const lines = progress.trim().split('\n');
    expect(lines[0]).toBe(`[${'.'.repeat(30)}] 2015-01-05   0%  0 notices`);
    expect(lines[1]).toMatch(/^\[#{2}\.{28}\] 2015-02-02 {3}8% {2}\d+ notices$/);
    expect(lines.at(-1)).toMatch(/^\[#{30}\] 2016-01-06 100% {2}\d+ notices$/);
    expect(lines.length).toBeGreaterThanOrEqual(13);
  });
});

describe('scenario files', () => {
  it('the documented example scenario is valid for the shipped plan, in YAML and as JSON', async () => {
    const loaded = await loadPlanFile(planPath);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const example = await loadScenarioFile(new URL('../simulate/example-scenario.yaml', import.meta.url).pathname);
    expect(example.ok).toBe(true);
    if (!example.ok) return;
    const built = buildScript(loaded.plan, example.scenario, example.locate);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.script.behaviours.filter((b) => b.confirm !== 'on-time').map((b) => `${b.deliverableId} ${b.confirm}`)).toEqual(['d02 late', 'd08 never', 'd13 on a date']);
    expect(built.script.actions.filter((a) => a.deliverableId === 'd06').map((a) => `${a.date} ${a.kind}`)).toEqual([
      '2015-05-20 extension_request', '2015-05-21 extension_decision', '2015-07-28 confirm', '2015-07-29 accept',
    ]);

    const json = parseScenarioText(JSON.stringify(example.scenario));
    expect(json.ok && buildScript(loaded.plan, json.scenario).ok).toBe(true);
  });

  it('refuses an --out folder that does not exist before running anything', async () => {
    await expect(simulate([planPath, '--out', join(workDir, 'no-such-folder', 'x.html')], {}, { out: () => undefined, err: () => undefined, progress: { write: () => true } }))
      .rejects.toThrow(`simulate: --out ${join(workDir, 'no-such-folder', 'x.html')}: no folder ${join(workDir, 'no-such-folder')}`);
  });
});

describe('duban simulate, given a bad scenario', () => {
  const attempt = async (text: string) => {
    const file = join(workDir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const err: string[] = [];
    const code = await simulate([planPath, '--scenario', file], {}, { out: () => undefined, err: (line) => err.push(line), progress: { write: () => true } });
    return { code, err: err.map((line) => line.replace(file, 'bad.yaml')) };
  };

  it('names every problem by its path and line, and runs nothing (exit 2)', async () => {
    expect(await attempt([
      'deliverables:',
      '  d04: { confirm: { at: soon } }',
      '  d99: never',
      '  d02:',
      '    confrim: late',
      '  d06:',
      '    extension: { request: 2015-05-20, to: 2015-05-01, approve: yes }',
    ].join('\n'))).toEqual({
      code: 2,
      err: [
        '✗ bad.yaml: 3 problems',
        '  deliverables.d04.confirm.at: expected "on-time", "late", "never" or a date YYYY-MM-DD (line 2, column 25)',
        '  deliverables.d02: unknown field "confrim" (line 5, column 5)',
        '  deliverables.d06.extension.approve: expected true or false (line 7, column 64)',
      ],
    });
    expect(await attempt([
      'deliverables:',
      '  d99: never',
      '  d02: { confirm: { at: on-time, unit: yanjiushi } }',
      '  d06:',
      '    extension: { request: 2015-05-20, to: 2015-05-01, approve: true }',
      '  d11: { escalate: [{ at: 2016-03-01, remark: 太晚了 }] }',
    ].join('\n'))).toEqual({
      code: 2,
      err: [
        '✗ bad.yaml: 4 problems',
        '  deliverables.d99: unknown deliverable "d99"; the plan has d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13 (line 2, column 8)',
        '  deliverables.d02.confirm.unit: "yanjiushi" is not a responsible unit of d02 (zonghe, laifang) (line 3, column 40)',
        '  deliverables.d06.extension.to: 2015-05-01 is not after the due date 2015-05-29 (line 5, column 43)',
        '  deliverables.d11.escalate[0].at: 2016-03-01 lies outside the simulated period 2015-01-05 – 2016-01-06 (line 6, column 27)',
      ],
    });
    expect(await attempt('others: sometimes\n')).toEqual({ code: 2, err: ['✗ bad.yaml: 1 problem', '  others: expected "default", "on-time", "late" or "never" (line 1, column 9)'] });
    expect((await attempt('deliverables: [\n')).err[1]).toMatch(/^ {2}YAML syntax: /);
  });

  it('exits 2 from the real command, with the message on stderr', async () => {
    const file = join(workDir, 'typo.yaml');
    writeFileSync(file, 'deliverables:\n  d04: { accept: maybe }\n');
    const failed = await run(process.execPath, [dubanBin, 'simulate', planPath, '--scenario', file]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2, stdout: '', stderr: `✗ ${file}: 1 problem\n  deliverables.d04.accept: expected true, false or a date YYYY-MM-DD (line 2, column 18)\n` });
  });
});
