/** The figures of a simulation run (on-time rate, escalations, mails, actions) and their text summary. */
import { DateTime } from 'luxon';
import { countOutcomes, formatRate, viewOutcome, type Outcome, type OutcomeCounts } from '../domain/on-time-rate.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import type { NotificationKind } from '../workflows/definitions.ts';
import type { SimulationResult } from './run.ts';
import type { ScriptedAction } from './script.ts';

/** Every notification kind in the order a year brings them, with its Chinese name. */
export const kindNames: Readonly<Record<NotificationKind, string>> = {
  assignment: '交办通知', reminder: '提醒催办', overdue: '超期通知', escalation: '督办通报', extension_request: '延期申请',
  extension_decision: '延期审批', confirmation: '完成确认', rejection: '验收退回', completion: '办结通知', cancellation: '撤销通知',
  units_changed: '责任单位调整', milestones_changed: '节点调整', reopened: '重新交办',
  report_reminder: '催报', delivery_failure: '投递失败', acknowledgement_reminder: '催签', deliverable_stopped: '异常终止', digest: '周报', final_report: '年度总结',
  instruction: '领导批示', instruction_answer: '批示答复',
};

/** Chinese names of the scripted actions. */
export const actionNames: Readonly<Record<ScriptedAction['kind'], string>> = {
  confirm: '确认完成', accept: '验收通过', extension_request: '申请延期', extension_decision: '延期审批', escalate: '人工督办', cancel: '撤销',
  milestone_done: '节点完成',
};

/** One deliverable's outcome, as the console would have shown it when the run ended (domain/on-time-rate.ts). */
export interface DeliverableOutcome {
  readonly id: string;
  readonly outcome: Outcome;
  /** Whether it was closed (已办结 or 已撤销) by then; the run cancels the others. */
  readonly closed: boolean;
  /** Working days after the effective due date on which it was confirmed (late ones). */
  readonly daysLate?: number;
  readonly level: number;
}

/** The figures the summary and the timeline show. */
export interface SimulationFigures {
  readonly deliverables: DeliverableOutcome[];
  /** The on-time rate and its counts, defined as everywhere else (domain/on-time-rate.ts). */
  readonly rate: OutcomeCounts;
  /** Per escalation level: notices sent (automatic and by hand) and the deliverables they were about. */
  readonly escalations: { level: number; label: string; notices: number; byHand: number; deliverables: string[] }[];
  readonly mails: Partial<Record<NotificationKind, number>>;
  readonly totalMails: number;
  /** Unit messages: every addressee (to and cc) of every notice. */
  readonly unitMessages: number;
  readonly actions: Partial<Record<ScriptedAction['kind'], number>>;
  readonly refused: string[];
}

/** Computes the figures of a run. */
export function simulationFigures(result: SimulationResult): SimulationFigures {
  const { plan } = result;
  const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
  const deliverables = [...result.atEnd].sort((a, b) => a.number - b.number).map((view): DeliverableOutcome => {
    const { outcome, daysLate } = viewOutcome(view, calendar);
    return { id: view.deliverableId, outcome, closed: view.status === 'done' || view.status === 'cancelled', daysLate, level: view.escalationLevel };
  });
  const mails: Partial<Record<NotificationKind, number>> = {};
  for (const notice of result.notifications) mails[notice.kind] = (mails[notice.kind] ?? 0) + 1;
  const escalationNotices = result.notifications.filter((n) => n.kind === 'escalation');
  const actions: Partial<Record<ScriptedAction['kind'], number>> = {};
  for (const { action, outcome } of result.actions) if (outcome === 'done') actions[action.kind] = (actions[action.kind] ?? 0) + 1;
  return {
    deliverables,
    rate: countOutcomes(deliverables.map((d) => d.outcome)),
    escalations: plan.escalation.map((level) => ({
      level: level.level, label: level.label,
      notices: escalationNotices.filter((n) => n.context.level === level.level).length,
      byHand: escalationNotices.filter((n) => n.context.level === level.level && n.context.manual).length,
      deliverables: [...new Set(escalationNotices.filter((n) => n.context.level === level.level).map((n) => n.deliverable!.id))].sort(),
    })),
    mails, totalMails: result.notifications.length,
    unitMessages: result.notifications.reduce((sum, n) => sum + n.to.length + n.cc.length, 0),
    actions,
    refused: result.actions.filter((a) => a.outcome === 'refused').map(({ action, message }) => `${action.date} ${action.deliverableId} ${action.kind}: ${message}`),
  };
}

/** The summary lines printed on stdout. */
export function formatSummary(result: SimulationResult, figures: SimulationFigures, outFile: string, wallMs: number): string[] {
  const { plan, script } = result;
  const at = (instant: number) => DateTime.fromMillis(instant, { zone: plan.timezone }).toFormat('yyyy-MM-dd HH:mm');
  const ids = (outcome: Outcome) => figures.deliverables.filter((d) => d.outcome === outcome);
  const behaviour = (kind: string) => result.script.behaviours.filter((b) => b.confirm === kind).map((b) => b.deliverableId);
  const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const { memory, timings } = result;
  const late = ids('late');
  const open = figures.deliverables.filter((d) => !d.closed);
  const { rate } = figures;
  return [
    `duban simulate: ${plan.title} (${plan.id}), ${at(script.start)} – ${at(script.end)} ${plan.timezone}`,
    `  behaviour     ${['on-time', 'late', 'never', 'on a date'].map((k) => [k, behaviour(k)] as const).filter(([, list]) => list.length > 0).map(([k, list]) => `${k} ${list.length}${k === 'never' || k === 'on a date' ? ` (${list.join(', ')})` : ''}`).join(' · ')}`,
    `  on time       ${rate.onTime} of ${rate.onTime + rate.late + rate.overdueOpen} completed or overdue (${formatRate(rate.onTimeRate)}); ${rate.pending} not yet due, ${rate.cancelled} cancelled`,
    `  late          ${late.length}${late.length ? `: ${late.map((d) => `${d.id} +${d.daysLate ?? '?'}wd`).join(', ')}` : ''}`,
    `  overdue open  ${ids('overdue').length}${ids('overdue').length ? `: ${ids('overdue').map((d) => d.id).join(', ')}` : ''}`,
    `  not closed    ${open.length}${open.length ? `: ${open.map((d) => `${d.id} (level ${d.level})`).join(', ')}, cancelled when the run ended` : ''}`,
    `  escalations   ${figures.escalations.map((e) => `level ${e.level} ${e.label}: ${e.notices} notice${e.notices === 1 ? '' : 's'}${e.byHand ? ` (${e.byHand} by hand)` : ''}${e.deliverables.length ? ` (${e.deliverables.join(', ')})` : ''}`).join(' · ')}`,
    `  mails         ${(Object.keys(kindNames) as NotificationKind[]).filter((k) => figures.mails[k]).map((k) => `${k} ${figures.mails[k]}`).join(' · ')}`,
    `                ${figures.totalMails} notices, ${figures.unitMessages} unit messages (to and cc)`,
    `  actions       ${(Object.keys(actionNames) as ScriptedAction['kind'][]).filter((k) => figures.actions[k]).map((k) => `${k} ${figures.actions[k]}`).join(' · ')}${figures.refused.length ? ` · refused ${figures.refused.length}` : ''}`,
    ...figures.refused.map((line) => `    refused: ${line}`),
    ...(script.calendarEnds ? [
      `  calendar      PAUSED: ${script.calendarEnds.message}`,
      `                the run stops on ${script.calendarEnds.date}; schedules that reach ${script.calendarEnds.year} pause there, as the workflows do`,
      ...script.calendarEnds.dropped.map((line) => `                not scripted: ${line}`),
    ] : []),
    `  timeline      ${outFile}`,
    `  wall time     ${s(wallMs)} (test server ${s(timings.serverMs)}, worker and workflow bundle ${s(timings.workerMs)}, the year ${s(timings.yearMs)})`,
    `  peak memory   ${mb(memory.sampledPeakRss)} RSS sampled, ${mb(memory.maxRss)} maxRSS (this process)${memory.childrenPeakRss ? `; test server ${mb(memory.childrenPeakRss)}` : ''}`,
  ];
}
