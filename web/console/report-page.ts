/** The report page: on-time rate and overdue statistics per unit and per deliverable, with the definitions used. */
import { html } from 'hono/html';
import { consolePage, type ConsolePlan, type Html, type PageFrame } from './console-layout.ts';
import { formatRate, type OutcomeCounts, type TextTable } from './report-stats.ts';

// Numbers align right; dates, statuses and other short cells stay on one line; titles and unit lists wrap.
function cellClass(cell: string, numeric: boolean): Html | string {
  if (numeric) return html` class="num"`;
  return [...cell].length <= 16 && !cell.includes('、') ? html` class="nowrap"` : '';
}

function dataTable(caption: string, table: TextTable, numericFrom: number, totalLast: boolean): Html {
  return html`<div class="table-wrap"><table class="data cards">
<caption class="muted">${caption}</caption>
<thead><tr>${table.header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${table.rows.map((row, r) => html`<tr${totalLast && r === table.rows.length - 1 ? html` class="total"` : ''}>${row.map((cell, i) => html`<td data-label="${table.header[i]}"${cellClass(cell, i >= numericFrom)}>${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/** The report page. */
export function reportPage(frame: PageFrame & { plan: ConsolePlan }, total: OutcomeCounts, units: TextTable, deliverables: TextTable, generatedAt: string): Html {
  const planBase = `${frame.base}/plans/${encodeURIComponent(frame.plan.id)}`;
  return consolePage({ ...frame, current: 'report' }, '统计报表', html`<div class="box">
<strong>按期完成率 ${formatRate(total.onTimeRate)}</strong>（按期完成 ${total.onTime} 项 / 已完成或已超期 ${total.onTime + total.late + total.overdueOpen} 项）；
超期 ${total.overdue} 项（逾期完成 ${total.late}，超期未完成 ${total.overdueOpen}）；未到期 ${total.pending} 项；已撤销 ${total.cancelled} 项。
<br><span class="muted">生成时间 ${generatedAt} · <a href="${planBase}/report.csv">导出 CSV</a></span>
</div>
<h2>按单位统计</h2>
${dataTable('牵头与协办合并统计：一个事项的结果计入其每一个责任单位', units, 1, true)}
<h2>按事项统计</h2>
${dataTable('每个重点事项的期限、完成确认时间与统计结果', deliverables, 99, false)}
<h2>口径说明</h2>
<ul class="muted">
<li>按期完成：责任单位确认完成（按办结要求的最后一次确认）的日期不晚于当前有效期限（含已批准的延期，遇节假日顺延）。</li>
<li>逾期完成：确认完成的日期晚于有效期限；逾期工作日自有效期限起按工作日计算（节假日、调休按计划所用日历）。</li>
<li>超期未完成：当前状态为“超期”或“已督办”。超期合计 = 逾期完成 + 超期未完成。</li>
<li>按期完成率 = 按期完成 ÷（按期完成 + 逾期完成 + 超期未完成）；未到期及已撤销的事项不计入。</li>
<li>按单位统计：单位作为牵头或协办单位负责的全部事项，合并计算；“其中牵头”为其牵头的事项数。合计行按事项计，每项只计一次。</li>
</ul>`);
}
