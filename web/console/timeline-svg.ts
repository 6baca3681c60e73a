/**
 * A Gantt-like timeline of a plan's deliverables as inline SVG, drawn on the server (the console runs no
 * script): one row per deliverable across the plan's months, a bar from its first event to its due date in the
 * colour of its light, and markers for due dates, extensions, reminders, escalations and confirmations.
 * Geometry and drawing are separate so the geometry can be tested as numbers.
 */
import type { DeliverableStatusView, Light } from '../../workflows/definitions.ts';
import { drawMilestoneMark, milestoneLegendIcon, milestoneMarks, type MilestoneMark } from './timeline-milestones.ts';

/** Light colours, the same as the console's dots. */
export const lightColours: Record<Light, string> = { green: '#2da44e', yellow: '#d4a72c', red: '#cf222e', grey: '#8c959f' };

const labelWidth = 210;
const monthWidth = 64;
const rowHeight = 30;
const headerHeight = 26;
const legendHeight = 34;
const rightPad = 14;
const legendItemWidth = 100;
const legendWidth = 6 * legendItemWidth;

/** A point in the chart for an event of one deliverable. */
export interface TimelineMarker {
  readonly kind: 'reminder' | 'escalation' | 'confirmation';
  readonly x: number;
  /** e.g. `2015-03-20 09:00 催办提醒`, shown as the marker's tooltip. */
  readonly label: string;
}

/** The drawing of one deliverable. */
export interface TimelineRow {
  readonly view: DeliverableStatusView;
  /** Top of the row. */
  readonly y: number;
  /** The bar from the first event to the due date; absent when the deliverable has no event yet. */
  readonly bar?: { readonly x1: number; readonly x2: number };
  /** An open item past its due date: from the due date to its latest event. */
  readonly overdueTail?: { readonly x1: number; readonly x2: number };
  readonly dueX: number;
  /** Where the original due date was, when an extension moved it. */
  readonly originalDueX?: number;
  /** One arrow per approved extension (or original → current due when the log does not say). */
  readonly extensions: readonly { readonly x1: number; readonly x2: number; readonly label: string }[];
  readonly markers: readonly TimelineMarker[];
  /** 分解: the item's milestones as flags on its bar (empty when it has none). */
  readonly milestones: readonly MilestoneMark[];
}

/** The whole chart's geometry. */
export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** First day shown and the day after the last, as `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  readonly months: readonly { readonly x: number; readonly label: string }[];
  /** The first month's year, shown over the row labels when the chart spans two years. */
  readonly firstYear?: string;
  readonly rows: readonly TimelineRow[];
}

/**
 * Days since 1970-01-01 of the wall-clock part of a date or ISO instant (`2015-03-31`, `2015-03-31T09:00:00+08:00`).
 * Every instant in a status view is written in the plan's zone, so reading the wall clock places it on the plan's
 * calendar without any time-zone arithmetic.
 */
export function wallClockDays(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text);
  if (!m) throw new RangeError(`not a date: "${text}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)) / 86_400_000;
}

const isoDay = (days: number) => new Date(Math.floor(days) * 86_400_000).toISOString().slice(0, 10);
const extensionNote = /^(\d{4}-\d{2}-\d{2}) → (\d{4}-\d{2}-\d{2})/;

/** The chart's geometry: months from the earliest event or due date to the latest, one row per view in order. */
export function timelineLayout(all: readonly DeliverableStatusView[]): TimelineLayout {
  // A row known only from visibility may lack a due date: it cannot be placed on a time axis.
  const views = all.filter((v) => /^\d{4}-\d{2}-\d{2}/.test(v.due));
  const days = views.flatMap((v) => [v.due, v.originalDue, ...v.events.map((e) => e.at)]).map(wallClockDays);
  const first = new Date((days.length ? Math.min(...days) : Date.UTC(2015, 0, 1) / 86_400_000) * 86_400_000);
  const last = new Date((days.length ? Math.max(...days) : Date.UTC(2015, 11, 31) / 86_400_000) * 86_400_000);
  const monthStarts: Date[] = [];
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); m <= last; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    monthStarts.push(m);
  }
  const end = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1));
  const startDay = monthStarts[0]!.getTime() / 86_400_000;
  const endDay = end.getTime() / 86_400_000;
  const chartWidth = monthStarts.length * monthWidth;
  const x = (day: number) => round(labelWidth + ((day - startDay) / (endDay - startDay)) * chartWidth);
  const multiYear = monthStarts[0]!.getUTCFullYear() !== end.getUTCFullYear() - (end.getUTCMonth() === 0 ? 1 : 0);

  const firstYear = multiYear ? `${monthStarts[0]!.getUTCFullYear()}年` : undefined;
  const months = monthStarts.map((m) => ({
    x: x(m.getTime() / 86_400_000),
    // A month is 64 px wide: "2027年1月" would run into the next label, so January carries the year alone
    // (the first month's year is written over the row labels).
    label: multiYear && m.getUTCMonth() === 0 && m !== monthStarts[0] ? `${m.getUTCFullYear()}年` : `${m.getUTCMonth() + 1}月`,
  }));

  const rows = views.map((view, i): TimelineRow => {
    const dueX = x(wallClockDays(view.due) + 1);
    const times = view.events.map((e) => wallClockDays(e.at));
    const start = times.length ? Math.min(...times) : undefined;
    const latest = times.length ? Math.max(...times) : undefined;
    const open = view.status === 'overdue' || view.status === 'escalated';
    const extensions = view.events
      .filter((e) => e.type === 'action' && e.what === 'extension_approved')
      .map((e) => extensionNote.exec(e.note ?? ''))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ x1: x(wallClockDays(m[1]!) + 1), x2: x(wallClockDays(m[2]!) + 1), label: `延期 ${m[1]} → ${m[2]}` }));
    if (extensions.length === 0 && view.originalDue !== view.due) {
      extensions.push({ x1: x(wallClockDays(view.originalDue) + 1), x2: dueX, label: `延期 ${view.originalDue} → ${view.due}` });
    }
    const markers = view.events.flatMap((e): TimelineMarker[] => {
      const label = `${e.at.slice(0, 16).replace('T', ' ')} `;
      // A milestone's notice says which (`节点：方案`) in its note.
      const about = e.note ? `（${e.note}）` : '';
      if (e.type === 'notice' && e.what === 'reminder') return [{ kind: 'reminder', x: x(wallClockDays(e.at)), label: `${label}催办提醒${about}` }];
      if (e.type === 'notice' && e.what === 'escalation') return [{ kind: 'escalation', x: x(wallClockDays(e.at)), label: `${label}督办${about}` }];
      if (e.type === 'action' && e.what === 'confirm') return [{ kind: 'confirmation', x: x(wallClockDays(e.at)), label: `${label}确认完成（${e.by ?? ''}）` }];
      return [];
    });
    return {
      view, y: headerHeight + i * rowHeight, dueX, extensions, markers, milestones: milestoneMarks(view, (date) => x(wallClockDays(date) + 1)),
      // Started after its due date (a late start or rehearsal): no time to draw, only the overdue tail.
      ...(start !== undefined && x(start) <= dueX ? { bar: { x1: x(start), x2: dueX } } : {}),
      ...(open && latest !== undefined && x(latest) > dueX ? { overdueTail: { x1: dueX, x2: x(latest) } } : {}),
      ...(view.originalDue !== view.due ? { originalDueX: x(wallClockDays(view.originalDue) + 1) } : {}),
    };
  });

  return {
    // Wide enough for the legend even when the plan spans only a month or two.
    width: labelWidth + Math.max(chartWidth, legendWidth + (views.some((v) => v.milestones?.length) ? legendItemWidth : 0)) + rightPad, height: headerHeight + views.length * rowHeight + legendHeight,
    from: isoDay(startDay), to: isoDay(endDay), months, rows, firstYear,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Options for drawing the timeline. */
export interface TimelineOptions {
  /** Accessible name of the chart. */
  readonly title: string;
  /** Where a row's label links to (the deliverable's page), if anywhere. */
  readonly hrefFor?: (view: DeliverableStatusView) => string;
}

const labelChars = 13;

/** The timeline as an SVG element (a string, every text escaped), with `role="img"`, a title and a description. */
export function timelineSvg(views: readonly DeliverableStatusView[], { title, hrefFor }: TimelineOptions): string {
  const layout = timelineLayout(views);
  const { width, height } = layout;
  const chartBottom = headerHeight + layout.rows.length * rowHeight;
  const e = escapeXml;
  const out: string[] = [];
  const desc = `${layout.from} 至 ${layout.to}，共 ${layout.rows.length} 项。每行一项：横条从首次通知到期限，颜色表示灯色；菱形为期限，空心菱形为原期限，箭头为延期，短竖线为催办提醒，红色三角为督办，绿色圆点为确认完成${layout.rows.some((r) => r.milestones.length > 0) ? '；小旗为分解节点（实心按灯色，空心为已完成）' : ''}。`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-labelledby="timeline-title timeline-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="12" font-family="sans-serif">`);
  out.push(`<title id="timeline-title">${e(title)}</title><desc id="timeline-desc">${e(desc)}</desc>`);
  out.push('<defs><marker id="timeline-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#0969da"/></marker></defs>');

  // Month gridlines and labels.
  if (layout.firstYear) out.push(`<text x="4" y="${headerHeight - 10}" fill="#57606a">${e(layout.firstYear)}</text>`);
  for (const month of layout.months) {
    out.push(`<line x1="${month.x}" y1="${headerHeight - 6}" x2="${month.x}" y2="${chartBottom}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${month.x + 4}" y="${headerHeight - 10}" fill="#57606a">${e(month.label)}</text>`);
  }

  for (const [i, row] of layout.rows.entries()) {
    const { view, y } = row;
    const mid = y + rowHeight / 2;
    const colour = lightColours[view.light] ?? lightColours.grey;
    out.push(`<g class="timeline-row" data-deliverable="${e(view.deliverableId)}">`);
    out.push(`<title>${e(`${view.number}. ${view.title}（期限 ${view.due}）`)}</title>`);
    if (i % 2 === 0) out.push(`<rect x="0" y="${y}" width="${width}" height="${rowHeight}" fill="#f6f8fa"/>`);
    const name = `${view.number}. ${[...view.title].length > labelChars ? `${[...view.title].slice(0, labelChars).join('')}…` : view.title}`;
    const label = `<text x="6" y="${mid + 4}" fill="#1f2328">${e(name)}</text>`;
    out.push(hrefFor ? `<a href="${e(hrefFor(view))}">${label}</a>` : label);
    if (row.bar) out.push(`<rect x="${row.bar.x1}" y="${mid - 5}" width="${Math.max(1, round(row.bar.x2 - row.bar.x1))}" height="10" rx="3" fill="${colour}" fill-opacity="0.75"/>`);
    if (row.overdueTail) out.push(`<line x1="${row.overdueTail.x1}" y1="${mid}" x2="${row.overdueTail.x2}" y2="${mid}" stroke="${lightColours.red}" stroke-width="3" stroke-dasharray="4 3"><title>超期</title></line>`);
    for (const ext of row.extensions) {
      out.push(`<line x1="${ext.x1}" y1="${mid - 9}" x2="${ext.x2}" y2="${mid - 9}" stroke="#0969da" stroke-width="1.5" marker-end="url(#timeline-arrow)"><title>${e(ext.label)}</title></line>`);
    }
    if (row.originalDueX !== undefined) out.push(diamond(row.originalDueX, mid, 'none', '#57606a', `原期限 ${view.originalDue}`));
    out.push(diamond(row.dueX, mid, '#1f2328', '#1f2328', `期限 ${view.due}`));
    for (const marker of row.markers) out.push(drawMarker(marker, mid));
    for (const mark of row.milestones) out.push(drawMilestoneMark(mark, mid, lightColours, e));
    out.push('</g>');
  }
  out.push(legend(chartBottom + 10, layout.rows.some((r) => r.milestones.length > 0)));
  out.push('</svg>');
  return out.join('\n');
}

function diamond(x: number, y: number, fill: string, stroke: string, label: string): string {
  return `<polygon points="${x},${y - 6} ${x + 5},${y} ${x},${y + 6} ${x - 5},${y}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"><title>${escapeXml(label)}</title></polygon>`;
}

function drawMarker(marker: TimelineMarker, mid: number): string {
  const tip = `<title>${escapeXml(marker.label)}</title>`;
  const { x } = marker;
  if (marker.kind === 'reminder') return `<line x1="${x}" y1="${mid - 12}" x2="${x}" y2="${mid - 6}" stroke="#57606a" stroke-width="1.5">${tip}</line>`;
  if (marker.kind === 'escalation') return `<polygon points="${x},${mid + 6} ${x + 5},${mid + 14} ${x - 5},${mid + 14}" fill="${lightColours.red}">${tip}</polygon>`;
  return `<g>${tip}<circle cx="${x}" cy="${mid}" r="5.5" fill="${lightColours.green}" stroke="#fff" stroke-width="1"/><path d="M${x - 3} ${mid}l2 2.2l4 -4.4" fill="none" stroke="#fff" stroke-width="1.5"/></g>`;
}

function legend(y: number, withMilestones: boolean): string {
  const items: [string, string][] = [
    [`<rect x="0" y="-5" width="18" height="10" rx="3" fill="${lightColours.green}" fill-opacity="0.75"/>`, '办理期间'],
    ['<polygon points="9,-6 14,0 9,6 4,0" fill="#1f2328"/>', '期限'],
    ['<line x1="0" y1="0" x2="16" y2="0" stroke="#0969da" stroke-width="1.5" marker-end="url(#timeline-arrow)"/>', '延期'],
    ['<line x1="9" y1="-6" x2="9" y2="0" stroke="#57606a" stroke-width="1.5"/>', '催办提醒'],
    [`<polygon points="9,-5 14,4 4,4" fill="${lightColours.red}"/>`, '督办'],
    [`<circle cx="9" cy="0" r="5.5" fill="${lightColours.green}"/>`, '确认完成'],
    ...(withMilestones ? [[milestoneLegendIcon, '分解节点'] as [string, string]] : []),
  ];
  return `<g class="timeline-legend" transform="translate(${labelWidth} ${y + 6})">${items
    .map(([icon, text], i) => `<g transform="translate(${i * legendItemWidth} 0)">${icon}<text x="24" y="4" fill="#57606a">${escapeXml(text)}</text></g>`)
    .join('')}</g>`;
}
