/** The plan's dashboard: counts per light, a filter, every deliverable as a row (a card on a phone), the timeline. */
import { html, raw } from 'hono/html';
import { DateTime } from 'luxon';
import { chineseDate } from '../../domain/chinese-date.ts';
import { lightName, statusName } from '../../domain/status-labels.ts';
import { isIsoDate } from '../../domain/iso-date.ts';
import type { DeliverableStatusView, Light } from '../../workflows/definitions.ts';
import { unacknowledgedUnits } from './acknowledgement-view.ts';
import type { DashboardBoard } from './dashboard-board.ts';
import { consolePage, type ConsolePlan, type Html, type PageFrame } from './console-layout.ts';
import { timelineSvg } from './timeline-svg.ts';
import { kindCell, latestReportCell } from './report-cells.ts';
import { openInstructionsMarker } from './instructions-section.ts';

/** The dashboard's filter, parsed from the query string. */
export interface DashboardFilter {
  readonly unit?: string;
  readonly light?: Light;
  readonly level?: number;
  /** Only open items some unit has not acknowledged (签收). */
  readonly unacknowledged?: boolean;
}

const lights: readonly Light[] = ['green', 'yellow', 'red', 'grey'];

/** Whether a deliverable passes the filter. */
export function matchesFilter(view: DeliverableStatusView, filter: DashboardFilter): boolean {
  return (filter.unit === undefined || view.units.some((u) => u.unitId === filter.unit))
    && (filter.light === undefined || view.light === filter.light)
    && (filter.level === undefined || view.escalationLevel === filter.level)
    && (!filter.unacknowledged || unacknowledgedUnits(view).length > 0);
}

/** `2/4 已确认` when every unit confirms; `0/1 已确认（牵头单位）` when only the lead's confirmation counts. */
export function confirmations(view: DeliverableStatusView): string {
  const counted = view.completion === 'lead' ? view.units.filter((u) => u.lead) : view.units;
  return `${counted.filter((u) => u.confirmedAt).length}/${counted.length}已确认${view.completion === 'lead' ? '（牵头单位）' : ''}`;
}

/** A light as a coloured dot and a word, so it never depends on colour alone. */
export function lightBadge(light: string): Html {
  return html`<span class="light ${light}" aria-hidden="true"></span>${lightName(light)}`;
}

/** The escalation level as a small badge; 0 reads 未督办. */
export function levelBadge(level: number): Html {
  return level > 0 ? html`<span class="level raised">${level}级</span>` : html`<span class="level">—</span>`;
}

/** The dashboard page of a board ({@link dashboardBoard}): one page of rows when the plan is paged. */
export function dashboardPage(frame: PageFrame & { plan: ConsolePlan }, board: DashboardBoard, filter: DashboardFilter, maxLevel: number, now: number = Date.now(), canAdd = false): Html {
  const { base, plan } = frame;
  const { all, shown } = board;
  const planBase = `${base}/plans/${encodeURIComponent(plan.id)}`;
  const detail = (v: DeliverableStatusView) => `${planBase}/deliverables/${encodeURIComponent(v.deliverableId)}`;
  const responsible = new Set(all.flatMap((v) => v.units.map((u) => u.unitId)));
  const unitOptions = plan.units.filter((u) => responsible.has(u.id) || u.id === filter.unit);
  const filtered = filter.unit !== undefined || filter.light !== undefined || filter.level !== undefined || filter.unacknowledged === true;
  const selected = (on: boolean) => (on ? html` selected` : '');

  // A paged plan is counted from a listing up to a minute old (`listing-cache.ts`); its rows are asked afresh.
  const asOf = board.listedAt === undefined ? '' : html`<p class="muted" id="counted-at">统计截至${DateTime.fromMillis(board.listedAt, { zone: plan.timezone ?? 'Asia/Shanghai' }).toFormat('HH:mm:ss')}，表中各行为当前状态。</p>`;
  const counts = html`${asOf}<ul class="counts" aria-label="灯色统计">
${lights.map((light) => html`<li><a href="${planBase}?light=${light}"${filter.light === light ? html` class="active"` : ''}>${lightBadge(light)}<span class="count">${all.filter((v) => v.light === light).length}</span></a></li>`)}
</ul>`;

  const filterForm = html`<form class="filters" method="get" action="${planBase}" aria-label="筛选">
<div><label for="f-unit">责任单位</label><select id="f-unit" name="unit"><option value="">全部单位</option>
${unitOptions.map((u) => html`<option value="${u.id}"${selected(filter.unit === u.id)}>${u.name}</option>`)}</select></div>
<div><label for="f-light">灯色</label><select id="f-light" name="light"><option value="">全部</option>
${lights.map((light) => html`<option value="${light}"${selected(filter.light === light)}>${lightName(light)}</option>`)}</select></div>
<div><label for="f-level">督办级别</label><select id="f-level" name="level"><option value="">全部</option>
${Array.from({ length: maxLevel + 1 }, (_, level) => html`<option value="${level}"${selected(filter.level === level)}>${level === 0 ? '未督办' : `${level}级`}</option>`)}</select></div>
<div><label for="f-ack">签收</label><select id="f-ack" name="ack"><option value="">全部</option>
<option value="none"${selected(filter.unacknowledged === true)}>有未签收单位</option></select></div>
<button type="submit">筛选</button>${filtered ? html`<a href="${planBase}">清除筛选</a>` : ''}
</form>`;

  const rows = shown.map((v) => {
    const lead = v.units.find((u) => u.lead);
    return html`<tr>
<td data-label="序号" class="num">${v.number}</td>
<td data-label="事项"><a href="${detail(v)}">${v.title}</a>${openInstructionsMarker(v)}</td>
<td data-label="牵头单位">${lead?.name ?? '—'}</td>
<td data-label="期限" class="nowrap">${isIsoDate(v.due) ? chineseDate(v.due) : '—'}${v.due !== v.originalDue ? html`<br><span class="muted">（已延期）</span>` : ''}</td>
<td data-label="状态">${statusName(v.status)}</td>
<td data-label="灯色" class="nowrap">${lightBadge(v.light)}</td>
<td data-label="督办级别">${levelBadge(v.escalationLevel)}</td>
<td data-label="确认情况" class="nowrap">${confirmations(v)}${unacknowledgedUnits(v).length > 0 ? html`<br><span class="muted">${unacknowledgedUnits(v).length}个单位未签收</span>` : ''}</td>
<td data-label="类别" class="nowrap">${kindCell(v)}</td>
<td data-label="最新进展">${latestReportCell(v, now)}</td>
</tr>`;
  });

  const table = shown.length === 0
    ? html`<p class="notice warn">没有符合条件的事项。</p>`
    : html`<div class="table-wrap"><table class="data cards">
<caption class="muted">${filtered ? `筛选结果：${board.matching}项（共${all.length}项）` : `共${all.length}项`}${board.page ? `，第${board.page.number}/${board.page.of}页（每页${board.page.size}项）` : ''}</caption>
<thead><tr><th scope="col">序号</th><th scope="col">事项</th><th scope="col">牵头单位</th><th scope="col">期限</th><th scope="col">状态</th><th scope="col">灯色</th><th scope="col">督办级别</th><th scope="col">确认情况</th><th scope="col">类别</th><th scope="col">最新进展</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;

  const timeline = shown.length === 0
    ? ''
    : html`<h2>进度时间轴</h2>
<div class="timeline-wrap">${raw(timelineSvg(shown, { title: `${plan.title} 重点事项时间轴`, hrefFor: detail }))}</div>`;

  const { silent } = board;
  const notAcknowledging = silent.length === 0
    ? ''
    : html`<p class="muted" id="unacknowledged">未签收：${silent.map((u, i) => html`${i > 0 ? '、' : ''}<a href="${planBase}?unit=${u.unitId}&amp;ack=none">${u.name}</a> ${u.items}项`)}</p>`;
  const uncounted = board.uncounted > 0
    ? html`<p class="muted" id="uncounted">另有${board.uncounted}项由旧版本启动，其签收与批示情况未计入上述统计，请在事项页查看。</p>`
    : '';

  const instructionsNote = board.openInstructions > 0 ? html`<p class="notice warn" id="open-instructions">待答复批示：${board.openInstructions}条</p>` : '';
  return consolePage({ ...frame, current: 'dashboard' }, '重点事项总览', html`${counts}${instructionsNote}${notAcknowledging}${uncounted}${filterForm}
<h2>事项列表</h2>
${canAdd ? html`<p><a class="button" href="${planBase}/add">临时交办</a></p>` : ''}
${table}
${board.page ? pageLinks(planBase, filter, board.page) : ''}
${timeline}`);
}

/** 上一页 / 第 k/n 页 / 下一页, each link keeping the filter. */
function pageLinks(planBase: string, filter: DashboardFilter, page: { readonly number: number; readonly of: number }): Html | '' {
  if (page.of <= 1) return '';
  const href = (number: number) => `${planBase}?${filterQuery(filter, number)}`;
  return html`<nav class="pages" aria-label="分页">${page.number > 1 ? html`<a href="${href(page.number - 1)}" rel="prev">上一页</a>` : ''}
<span>第${page.number}/${page.of}页</span>${page.number < page.of ? html`<a href="${href(page.number + 1)}" rel="next">下一页</a>` : ''}</nav>`;
}

/** The filter and page as the dashboard's query string. */
function filterQuery(filter: DashboardFilter, page: number): string {
  const query = new URLSearchParams();
  if (filter.unit !== undefined) query.set('unit', filter.unit);
  if (filter.light !== undefined) query.set('light', filter.light);
  if (filter.level !== undefined) query.set('level', String(filter.level));
  if (filter.unacknowledged) query.set('ack', 'none');
  query.set('page', String(page));
  return query.toString();
}
