/**
 * The simulation as one self-contained HTML page: an inline SVG timeline with a row per deliverable over the plan's
 * working days (weekends and holidays left out), every notice and action on it, and the full event lists below.
 * No external assets; every text is escaped.
 */
import { DateTime } from 'luxon';
import { escapeHtml } from '../activities/mail/html.ts';
import { shiftIsoDate, type IsoDate } from '../domain/iso-date.ts';
import { formatRate, outcomeNames } from '../domain/on-time-rate.ts';
import { displayName } from '../domain/plan-units.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { deliverableWorkflowId, planWorkflowId, type Notification, type NotificationKind } from '../workflows/definitions.ts';
import type { PerformedAction, SimulationResult } from './run.ts';
import type { ScriptedAction } from './script.ts';
import { actionNames, kindNames, type SimulationFigures } from './summary.ts';
import { milestoneFlags } from './timeline-milestones.ts';

const layout = { left: 330, dayWidth: 4, header: 40, minRow: 38, step: 9, radius: 3.6, right: 64 } as const;

const noticeColours: Readonly<Record<NotificationKind, string>> = {
  assignment: '#3b7dd8', reminder: '#f2b500', overdue: '#ef6c00', escalation: '#c62828', extension_request: '#00838f',
  extension_decision: '#00838f', confirmation: '#2e7d32', rejection: '#ad1457', completion: '#1b5e20', cancellation: '#757575',
  units_changed: '#6a1b9a', milestones_changed: '#8e5bb5', reopened: '#3b7dd8',
  report_reminder: '#fbc02d', delivery_failure: '#000000', acknowledgement_reminder: '#7e57c2', deliverable_stopped: '#000000', digest: '#90a4ae', final_report: '#37474f',
  instruction: '#6a1b9a', instruction_answer: '#6a1b9a',
};
const actionColours: Readonly<Record<ScriptedAction['kind'], string>> = {
  confirm: '#2e7d32', accept: '#1b5e20', extension_request: '#00838f', extension_decision: '#006064', escalate: '#c62828', cancel: '#616161',
  milestone_done: '#5c6bc0',
};
const bandColours = { green: '#c8e6c9', yellow: '#ffe9a8', red: '#f5b7b1' } as const;

/** One mark on a row. */
interface Mark {
  readonly date: IsoDate;
  readonly svg: (x: number, y: number) => string;
  readonly describe: string;
  readonly at: number;
}

/** The page. */
export function renderTimeline(result: SimulationResult, figures: SimulationFigures): string {
  const { plan, script } = result;
  const zone = plan.timezone;
  const calendar = new WorkingDayCalendar(zone, plan.calendar.overrides);
  const local = (instant: number) => DateTime.fromMillis(instant, { zone });
  const lastDate = local(script.end).toISODate()!;
  const days: IsoDate[] = [];
  // Day by day, not working day to working day: the next working day after the last may lie in a year the calendar lacks.
  for (let day = plan.start; day <= lastDate; day = shiftIsoDate(day, 1)) if (calendar.isWorkingDay(day)) days.push(day);
  const dayIndex = new Map(days.map((day, i) => [day, i]));
  // A mark on a day off (there should be none) is drawn on the next working day, flagged.
  const xOf = (date: IsoDate) => layout.left + (dayIndex.get(date) ?? dayIndex.get(calendar.onOrAfter(date)) ?? days.length - 1) * layout.dayWidth + layout.dayWidth / 2;
  const width = layout.left + days.length * layout.dayWidth + layout.right;
  const names = (ids: readonly { unitId: string }[]) => ids.map((r) => displayName(plan, r.unitId)).join('、');

  const noticeMark = (n: Notification): Mark => {
    const at = DateTime.fromISO(n.scheduledFor, { setZone: true });
    const date = at.setZone(zone).toISODate()!;
    const describe = `${at.setZone(zone).toFormat('yyyy-MM-dd HH:mm')} ${noticeLabel(n)} → ${names(n.to)}${n.cc.length ? `（抄送 ${names(n.cc)}）` : ''}${noticeDetail(n)}`;
    const colour = n.kind === 'escalation' && (n.context.level ?? 1) >= 2 ? '#6a1b9a' : noticeColours[n.kind];
    const offDay = calendar.isWorkingDay(date) ? '' : ' off-day';
    return {
      date, describe, at: at.toMillis(),
      svg: (x, y) => `<circle class="mail${offDay}" data-kind="${n.kind}"${n.kind === 'escalation' ? ` data-level="${n.context.level ?? 1}"${n.context.manual ? ' data-manual="true"' : ''}` : ''} data-at="${escapeHtml(n.scheduledFor)}" cx="${x}" cy="${y}" r="${layout.radius}" fill="${colour}"><title>${escapeHtml(describe)}</title></circle>`,
    };
  };
  const actionMark = ({ action, outcome, message }: PerformedAction): Mark => {
    const at = local(action.at);
    const who = 'unitId' in action.input && action.input.unitId ? displayName(plan, action.input.unitId) : 'by' in action.input ? action.input.by : '';
    const describe = `${at.toFormat('yyyy-MM-dd HH:mm')} ${actionNames[action.kind]}（${who}）${actionDetail(action)}${outcome === 'refused' ? ` — 未被受理：${message}` : ''}${action.moved ? `（${action.moved}）` : ''}`;
    const r = layout.radius + 0.8;
    const fill = outcome === 'done' ? actionColours[action.kind] : '#ffffff';
    return {
      date: action.date, describe, at: action.at,
      svg: (x, y) => `<path class="action" data-kind="${action.kind}" data-at="${escapeHtml(at.toISO()!)}" data-outcome="${outcome}" d="M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z" fill="${fill}" stroke="${actionColours[action.kind]}" stroke-width="1.2"><title>${escapeHtml(describe)}</title></path>`,
    };
  };

  // Rows: the plan's own notices (digests, final report), then one per deliverable.
  const rows: { key: string; attrs: string; label: string; sublabel: string; title: string; marks: Mark[]; band?: string; dueMarks?: string }[] = [];
  const planNotices = result.notifications.filter((n) => n.workflowId === planWorkflowId(plan.id));
  rows.push({
    key: plan.id, attrs: `class="row plan-row" data-plan="${escapeHtml(plan.id)}"`, label: `${plan.title}`, sublabel: `周报与年度总结（送${displayName(plan, plan.supervisor)}）`,
    title: plan.title, marks: planNotices.map(noticeMark),
  });
  const views = [...result.deliverables].sort((a, b) => a.number - b.number);
  for (const view of views) {
    const workflowId = deliverableWorkflowId(plan.id, view.deliverableId);
    const notices = result.notifications.filter((n) => n.workflowId === workflowId);
    const actions = result.actions.filter((a) => a.action.deliverableId === view.deliverableId);
    const outcome = figures.deliverables.find((d) => d.id === view.deliverableId);
    const outcomeText = `${outcome ? outcomeNames[outcome.outcome] : ''}${outcome?.outcome === 'late' ? `（${outcome.daysLate ?? '?'}个工作日）` : ''}${outcome && !outcome.closed ? '，模拟结束时撤销' : ''}`;
    const dueMark = (date: IsoDate, moved: boolean) => {
      const x = xOf(calendar.onOrAfter(date));
      return `<path class="due${moved ? ' moved' : ''}" d="M${x} 0V${layout.minRow - 8}" ><title>${escapeHtml(`${moved ? '原期限' : '期限'} ${date}`)}</title></path>`;
    };
    rows.push({
      key: view.deliverableId, attrs: `class="row" data-deliverable="${escapeHtml(view.deliverableId)}"`,
      label: `${view.deliverableId} ${view.title}`,
      sublabel: `牵头 ${displayName(plan, view.units[0]!.unitId)} · 期限 ${view.due}${view.due !== view.originalDue ? `（原 ${view.originalDue}）` : ''} · ${outcomeText}`,
      title: `${view.number}. ${view.title}`,
      marks: [...notices.map(noticeMark), ...actions.map(actionMark)],
      band: statusBand(notices, xOf, layout.left, xOf(lastDate)),
      dueMarks: dueMark(view.due, false) + (view.due !== view.originalDue ? dueMark(view.originalDue, true) : '') + milestoneFlags(view, (date) => xOf(calendar.onOrAfter(date))),
    });
  }

  let y = layout.header;
  const rowSvg = rows.map((row) => {
    // Marks of one day stack downwards, in the order they happened.
    const byDay = new Map<IsoDate, Mark[]>();
    for (const mark of [...row.marks].sort((a, b) => a.at - b.at)) byDay.set(mark.date, [...(byDay.get(mark.date) ?? []), mark]);
    const deepest = Math.max(1, ...[...byDay.values()].map((marks) => marks.length));
    const height = Math.max(layout.minRow, 14 + deepest * layout.step);
    const marks = [...byDay.entries()].flatMap(([date, list]) => list.map((mark, i) => mark.svg(xOf(date), 9 + i * layout.step))).join('');
    const svg = `<g ${row.attrs} transform="translate(0 ${y})">`
      + `<rect class="row-bg" x="0" y="0" width="${width}" height="${height}"/>`
      + `<text class="label" x="8" y="15">${escapeHtml(clip(row.label, 25))}<title>${escapeHtml(row.title)}</title></text>`
      + `<text class="sublabel" x="8" y="30">${escapeHtml(row.sublabel)}</text>`
      + (row.band ? `<g transform="translate(0 ${height - 5})">${row.band}</g>` : '')
      + (row.dueMarks ?? '') + marks + '</g>';
    y += height;
    return svg;
  }).join('\n');
  const height = y + 8;

  // Month gridlines at each month's first working day.
  const months = days.filter((day, i) => i === 0 || day.slice(0, 7) !== days[i - 1]!.slice(0, 7));
  const grid = months.map((day) => {
    const x = xOf(day) - layout.dayWidth / 2;
    const label = day.slice(5, 7) === '01' || day === days[0] ? `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月` : `${Number(day.slice(5, 7))}月`;
    return `<line class="month" x1="${x}" y1="${layout.header - 14}" x2="${x}" y2="${height}"/><text class="month" x="${x + 3}" y="${layout.header - 18}">${escapeHtml(label)}</text>`;
  }).join('');

  const legend = [
    ...(Object.keys(kindNames) as NotificationKind[]).filter((k) => figures.mails[k]).map((k) => legendItem(`<circle cx="7" cy="7" r="4" fill="${noticeColours[k]}"/>`, `${kindNames[k]}（${figures.mails[k]}）`)),
    legendItem('<circle cx="7" cy="7" r="4" fill="#6a1b9a"/>', '第2级及以上督办（通报）'),
    ...(Object.keys(actionNames) as ScriptedAction['kind'][]).filter((k) => figures.actions[k]).map((k) => legendItem(`<path d="M7 2L12 7L7 12L2 7Z" fill="${actionColours[k]}"/>`, `${actionNames[k]}（${figures.actions[k]}）`)),
    legendItem('<path d="M7 2L12 7L7 12L2 7Z" fill="#fff" stroke="#616161"/>', '未被受理的操作'),
    legendItem(`<rect x="0" y="5" width="14" height="5" fill="${bandColours.green}"/>`, '办理中'),
    legendItem(`<rect x="0" y="5" width="14" height="5" fill="${bandColours.yellow}"/>`, '临期（已催办）'),
    legendItem(`<rect x="0" y="5" width="14" height="5" fill="${bandColours.red}"/>`, '超期 / 已督办'),
    legendItem('<path d="M7 0V14" stroke="#333" stroke-width="1.5"/>', '期限'),
  ].join('');

  const facts = [
    ['模拟期间', `${local(script.start).toFormat('yyyy-MM-dd HH:mm')} – ${local(script.end).toFormat('yyyy-MM-dd HH:mm')}（${zone}）`],
    ['按期完成率', `${formatRate(figures.rate.onTimeRate)}（按期完成${figures.rate.onTime}项 / 已完成或已超期${figures.rate.onTime + figures.rate.late + figures.rate.overdueOpen}项）`],
    ['督办', figures.escalations.map((e) => `第${e.level}级${e.label}：${e.notices}次（人工${e.byHand}次）${e.deliverables.length ? `，${e.deliverables.join('、')}` : ''}`).join('；')],
    ['通知', `${figures.totalMails} 份，送达单位 ${figures.unitMessages} 次`],
  ];

  const details = views.map((view) => {
    const row = rows.find((r) => r.key === view.deliverableId)!;
    const lines = [...row.marks].sort((a, b) => a.at - b.at).map((mark) => `<li>${escapeHtml(mark.describe)}</li>`).join('');
    return `<details><summary>${escapeHtml(`${view.deliverableId} ${view.title} — ${row.sublabel}`)}</summary><ol>${lines}</ol></details>`;
  }).join('\n');

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`督办模拟 · ${plan.title}`)}</title>
<style>
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 24px; color: #222; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  p.note { color: #555; font-size: 13px; margin: 4px 0 12px; }
  table.facts td { padding: 2px 12px 2px 0; font-size: 14px; vertical-align: top; }
  table.facts td:first-child { color: #555; white-space: nowrap; }
  ul.legend { list-style: none; padding: 0; margin: 12px 0; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; }
  ul.legend svg { vertical-align: middle; margin-right: 4px; }
  .scroll { overflow-x: auto; border: 1px solid #ddd; }
  svg.timeline text { font-size: 12px; fill: #222; }
  svg.timeline text.sublabel { font-size: 10.5px; fill: #666; }
  svg.timeline text.month { font-size: 11px; fill: #555; }
  svg.timeline line.month { stroke: #bbb; stroke-width: 1; }
  svg.timeline rect.row-bg { fill: #fff; stroke: #eee; }
  svg.timeline g.row:nth-of-type(even) rect.row-bg { fill: #fafafa; }
  svg.timeline g.plan-row rect.row-bg { fill: #f3f6fa; }
  svg.timeline path.due { stroke: #333; stroke-width: 1.5; }
  svg.timeline path.due.moved { stroke: #999; stroke-dasharray: 2 2; }
  svg.timeline .off-day { stroke: #000; stroke-width: 2; }
  details { margin: 4px 0; font-size: 13px; }
  details ol { margin: 4px 0 8px; padding-left: 28px; }
</style>
</head>
<body>
<h1>${escapeHtml(`督办模拟：${plan.title}（${plan.id}）`)}</h1>
<p class="note">${escapeHtml(`每行一个事项；横轴只含工作日（周末和法定节假日已去除），竖线为每月第一个工作日。圆点为通知，菱形为责任单位或${displayName(plan, plan.supervisor)}的操作；同一天的标记自上而下按时间排列。将鼠标停在标记上可看详情。`)}</p>
<table class="facts">${facts.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<ul class="legend">${legend}</ul>
<div class="scroll">
<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${plan.title} 模拟时间线`)}">
${grid}
${rowSvg}
</svg>
</div>
<h2 style="font-size:16px">${escapeHtml('逐项记录')}</h2>
${details}
</body>
</html>
`;
}

function legendItem(swatch: string, text: string): string {
  return `<li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">${swatch}</svg>${escapeHtml(text)}</li>`;
}

function noticeLabel(n: Notification): string {
  if (n.kind === 'reminder') return n.context.stage ?? '提醒';
  if (n.kind === 'escalation') return `${n.context.levelLabel ?? '督办'}（第${n.context.level ?? 1}级${n.context.manual ? '，人工' : ''}）`;
  if (n.kind === 'extension_decision') return n.context.approved ? '延期获准' : '延期未获准';
  return kindNames[n.kind];
}

function noticeDetail(n: Notification): string {
  const c = n.context;
  const parts = [
    c.milestone ? `节点：${c.milestone.title}（${c.milestone.due}）` : '',
    c.workingDaysLeft !== undefined ? `距期限${c.workingDaysLeft}个工作日` : '',
    c.workingDaysOverdue !== undefined ? `超期${c.workingDaysOverdue}个工作日` : '',
    c.remark ? `批示：${c.remark}` : '',
    c.reason ? `理由：${c.reason}` : '',
  ].filter(Boolean);
  return parts.length ? `；${parts.join('；')}` : '';
}

function actionDetail(action: ScriptedAction): string {
  switch (action.kind) {
    case 'extension_request': return `：申请延至 ${action.input.to}`;
    case 'extension_decision': return action.input.approved ? `：同意延至 ${action.input.to}` : '：不同意';
    case 'escalate': return `：${action.input.remark}`;
    case 'cancel': return `：${action.input.reason}`;
    case 'milestone_done': return `：${action.input.milestoneId}`;
    default: return '';
  }
}

/** The row's traffic light over time, from its notices: yellow once urged (催办), red once overdue, green when confirmed or extended. */
function statusBand(notices: readonly Notification[], xOf: (date: IsoDate) => number, startX: number, endX: number): string {
  const segments: string[] = [];
  let light: keyof typeof bandColours | undefined = 'green';
  let from = startX;
  let overdue = false;
  let urged = false;
  const change = (to: keyof typeof bandColours | undefined, x: number) => {
    if (to === light) return;
    if (light && x > from) segments.push(`<rect x="${from}" y="0" width="${x - from}" height="5" fill="${bandColours[light]}"/>`);
    light = to;
    from = x;
  };
  // The band follows the item's own schedule; its milestones' states are the flags on the row.
  for (const n of notices.filter((notice) => !notice.context.milestone)) {
    if (!light) break;
    const x = xOf(DateTime.fromISO(n.scheduledFor, { setZone: true }).toISODate()!);
    if (n.kind === 'reminder' && n.context.stage === '催办') urged = true;
    if (n.kind === 'overdue' || n.kind === 'escalation') overdue = true;
    if (n.kind === 'extension_decision' && n.context.approved) overdue = urged = false;
    if (n.kind === 'completion' || n.kind === 'cancellation') change(undefined, x);
    else if (n.kind === 'confirmation') change('green', x);
    else if (['reminder', 'overdue', 'escalation', 'extension_decision', 'rejection'].includes(n.kind)) change(overdue ? 'red' : urged ? 'yellow' : 'green', x);
  }
  change(undefined, endX);
  return segments.join('');
}

/** At most `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
