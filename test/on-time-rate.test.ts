/**
 * One on-time rate everywhere: the definition (domain/on-time-rate.ts) on its own, then one simulated year whose
 * console report, CSV export, digest and final-report mails and simulate summary must all give the same figures.
 */
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeMail } from '../activities/mail/compose.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { countOutcomes, formatRate, outcomeOf, rateSentence, viewOutcome, type OutcomeCounts } from '../domain/on-time-rate.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { runSimulation, type SimulationResult } from '../simulate/run.ts';
import { parseScenarioText } from '../simulate/scenario.ts';
import { buildScript } from '../simulate/script.ts';
import { formatSummary, simulationFigures } from '../simulate/summary.ts';
import { planReport, reportCsv } from '../web/console/report-stats.ts';
import type { DeliverableStatusView, Notification } from '../workflows/definitions.ts';

const calendar = new WorkingDayCalendar('Asia/Shanghai');

function view(over: Partial<DeliverableStatusView>): DeliverableStatusView {
  return {
    workflowId: 'p/d01', planId: 'p', deliverableId: 'd01', number: 1, title: '事项', status: 'assigned', light: 'green',
    due: '2015-09-30', originalDue: '2015-09-30', escalationLevel: 0, units: [{ unitId: 'a', name: '甲', lead: true }], events: [],
    ...over,
  };
}

describe('the on-time rate, as defined once', () => {
  it('counts days late in working days: confirmed on 8 October after a 30 September due date is one working day late', () => {
    const late = view({ status: 'done', units: [{ unitId: 'a', name: '甲', lead: true, confirmedAt: '2015-10-08T10:00:00.000+08:00' }] });
    expect(viewOutcome(late, calendar)).toEqual({ outcome: 'late', completedAt: '2015-10-08T10:00:00.000+08:00', daysLate: 1 });
  });

  it('counts a confirmed item awaiting acceptance by its confirmation, and an item escalated by hand as overdue', () => {
    const confirmed = view({ status: 'awaiting_acceptance', units: [{ unitId: 'a', name: '甲', lead: true, confirmedAt: '2015-09-30T23:00:00.000+08:00' }] });
    expect(viewOutcome(confirmed, calendar).outcome).toBe('on_time');
    expect(viewOutcome(view({ status: 'escalated' }), calendar).outcome).toBe('overdue');
    expect([outcomeOf('done', true), outcomeOf('done', undefined), outcomeOf('due_soon', undefined), outcomeOf('cancelled', undefined)]).toEqual(['on_time', 'late', 'pending', 'cancelled']);
  });

  it('rates on time against completed or overdue items, leaving pending and cancelled ones out', () => {
    const counts = countOutcomes(['on_time', 'on_time', 'late', 'overdue', 'pending', 'cancelled']);
    expect(counts).toMatchObject({ total: 6, onTime: 2, late: 1, overdueOpen: 1, overdue: 2, pending: 1, cancelled: 1, onTimeRate: 0.5 });
    expect(rateSentence(counts)).toBe('按期完成率50.0%（按期完成2项，已完成或已超期4项）');
    expect(countOutcomes(['pending', 'cancelled']).onTimeRate).toBeUndefined();
    expect(formatRate(undefined)).toBe('—');
  });
});

// Due dates in the shipped plan: d05 06-30 (a Tuesday), d08 04-30 (1–3 May off), d04 03-31.
const scenario = `
others: on-time
deliverables:
  d04: never                      # overdue and open when the run ends, then cancelled
  d05:
    confirm: { at: 2015-07-06 }   # 4 working days late (6 calendar days)
  d08:
    confirm: { at: 2015-05-08 }   # 5 working days late (8 calendar days: 1–3 May are off)
`;

describe('one simulated year, counted by the console, the CSV, the mails and simulate', () => {
  let plan: Plan;
  let result: SimulationResult;

  beforeAll(async () => {
    const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    plan = loaded.plan;
    const parsed = parseScenarioText(scenario);
    if (!parsed.ok) throw new Error('bad scenario');
    const built = buildScript(plan, parsed.scenario);
    if (!built.ok) throw new Error('scenario does not fit the plan');
    result = await runSimulation({ plan, script: built.script, env: process.env });
  }, 180_000);

  const expected = { onTime: 10, late: 2, overdueOpen: 1, pending: 0, cancelled: 0 };
  const rateText = '76.9%'; // 10 ÷ (10 + 2 + 1)

  /** The rate cell of the CSV's total line (合计（按事项）), and the 逾期工作日 cell of a deliverable's line. */
  const csvCells = (csv: string) => {
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(','));
    const header = lines.find((l) => l[0] === '序号')!;
    const byNumber = (n: number) => lines.find((l, i) => i > lines.indexOf(header) && l[0] === String(n))!;
    return {
      totalRate: lines.find((l) => l[0] === '合计（按事项）')!.at(-1),
      daysLate: (n: number) => byNumber(n)[header.indexOf('逾期工作日')],
    };
  };
  const mailText = (notice: Notification) => composeMail(notice, notice.to[0]!, undefined, { mailDomain: 'xinfang.example' }).text;

  it('simulate, the console and the CSV agree where the run ended, and count days late in working days', () => {
    const figures = simulationFigures(result);
    expect(figures.rate).toMatchObject(expected);
    const summary = formatSummary(result, figures, 'timeline.html', 0).join('\n');
    expect(summary).toContain(`  on time       10 of 13 completed or overdue (${rateText}); 0 not yet due, 0 cancelled`);
    expect(summary).toContain('  late          2: d05 +4wd, d08 +5wd');

    const console = planReport(plan, result.atEnd);
    expect(console.total).toMatchObject(expected);
    expect(formatRate(console.total.onTimeRate)).toBe(rateText);
    const csv = csvCells(reportCsv(plan.title, '2016-01-06 09:30', console));
    expect(csv.totalRate).toBe(rateText);
    expect([csv.daysLate(5), csv.daysLate(8), csv.daysLate(1)]).toEqual(['4', '5', '']);
  });

  it('the last weekly digest before the end gives the same rate', () => {
    const digests = result.notifications.filter((n) => n.kind === 'digest');
    const last = digests.at(-1)!;
    expect(DateTime.fromISO(last.scheduledFor).toISODate()).toBe('2016-01-04');
    expect(mailText(last)).toContain(`按期完成率${rateText}（按期完成10项，已完成或已超期13项）`);
  });

  it('the final report, after the run cancelled the open item, agrees with the console on the same final views', () => {
    const finalReport = result.notifications.find((n) => n.kind === 'final_report')!;
    const console: OutcomeCounts = planReport(plan, result.deliverables).total;
    // d04 was cancelled by the run's end: left out by both, as the definition says.
    expect(console).toMatchObject({ onTime: 10, late: 2, overdueOpen: 0, cancelled: 1 });
    expect(mailText(finalReport)).toContain(`按期完成率${formatRate(console.onTimeRate)}（按期完成10项，已完成或已超期12项），其中逾期完成2项、超期未完成0项。`);
  });
});
