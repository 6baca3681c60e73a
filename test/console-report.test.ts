import { describe, expect, it } from 'vitest';
import type { DeliverableStatusView, LogEvent } from '../workflows/definitions.ts';
import { attachmentDisposition, csvCell, toCsv } from '../web/console/csv.ts';
import {
  countOutcomes, deliverableStats, deliverableTable, formatRate, unitStats, unitTable,
} from '../web/console/report-stats.ts';
import { timelineLayout, timelineSvg, wallClockDays } from '../web/console/timeline-svg.ts';

const units = [
  { id: 'zonghe', name: '综合指导司' },
  { id: 'yanjiushi', name: '研究室' },
  { id: 'duchashi', name: '督查室' },
  { id: 'bangongshi', name: '办公室' },
];

function view(over: Partial<DeliverableStatusView> & { deliverableId: string }): DeliverableStatusView {
  const number = Number(over.deliverableId.replace(/\D/g, ''));
  return {
    workflowId: `p/${over.deliverableId}`, planId: 'p', number, title: `事项${number}`, status: 'assigned', light: 'green',
    due: '2015-06-30', originalDue: '2015-06-30', escalationLevel: 0,
    units: [
      { unitId: 'zonghe', name: '综合指导司', lead: true },
      { unitId: 'yanjiushi', name: '研究室', lead: false },
    ],
    events: [{ at: '2015-01-05T09:00:00.000+08:00', type: 'notice', what: 'assignment', to: ['zonghe', 'yanjiushi'] }],
    ...over,
  };
}

const confirmedAt = (at: string) => [
  { unitId: 'zonghe', name: '综合指导司', lead: true, confirmedAt: at },
  { unitId: 'yanjiushi', name: '研究室', lead: false },
];

// One of every outcome: on time (on the due date itself, late evening), late, overdue and open, pending, cancelled.
const onTime = view({ deliverableId: 'd01', status: 'done', light: 'grey', units: confirmedAt('2015-06-30T23:30:00.000+08:00') });
const late = view({ deliverableId: 'd02', status: 'awaiting_acceptance', units: confirmedAt('2015-07-03T10:00:00.000+08:00') });
const overdue = view({
  deliverableId: 'd03', status: 'escalated', light: 'red', escalationLevel: 1,
  units: [{ unitId: 'yanjiushi', name: '研究室', lead: true }, { unitId: 'duchashi', name: '督查室', lead: false }],
  events: [
    { at: '2015-01-05T09:00:00.000+08:00', type: 'notice', what: 'assignment' },
    { at: '2015-07-02T10:00:00.000+08:00', type: 'action', what: 'escalate', by: '督查室 王主任', note: '=HYPERLINK("http://evil")' },
  ],
});
const pending = view({ deliverableId: 'd04', due: '2015-12-15', originalDue: '2015-12-15' });
const cancelled = view({ deliverableId: 'd05', status: 'cancelled', light: 'grey', closedReason: '任务调整' });
// Extended from June to September, then confirmed in August: on time against the effective due date.
const extended = view({ deliverableId: 'd06', status: 'done', light: 'grey', due: '2015-09-30', units: confirmedAt('2015-08-20T10:00:00.000+08:00') });
const all = [onTime, late, overdue, pending, cancelled, extended];

describe('report statistics', () => {
  it('classifies each deliverable against its effective due date, by the calendar day of its last confirmation', () => {
    expect(all.map((v) => deliverableStats(v).outcome)).toEqual(['on_time', 'late', 'overdue', 'pending', 'cancelled', 'on_time']);
    expect(deliverableStats(late).daysLate).toBe(3);
    expect(deliverableStats(late).completedAt).toBe('2015-07-03T10:00:00.000+08:00');
  });

  it('takes the completion time from the last confirmation when every unit must confirm', () => {
    const both = view({
      deliverableId: 'd07', status: 'done', light: 'grey',
      units: [
        { unitId: 'zonghe', name: '综合指导司', lead: true, confirmedAt: '2015-06-20T10:00:00.000+08:00' },
        { unitId: 'yanjiushi', name: '研究室', lead: false, confirmedAt: '2015-07-01T09:00:00.000+08:00' },
      ],
    });
    expect(deliverableStats(both)).toMatchObject({ outcome: 'late', daysLate: 1 });
  });

  it('computes the on-time rate over settled or overdue items only, leaving pending and cancelled ones out', () => {
    const counts = countOutcomes(all.map(deliverableStats));
    expect(counts).toMatchObject({ total: 6, onTime: 2, late: 1, overdueOpen: 1, overdue: 2, pending: 1, cancelled: 1 });
    expect(counts.onTimeRate).toBeCloseTo(0.5);
    expect(formatRate(counts.onTimeRate)).toBe('50.0%');
    expect(countOutcomes([deliverableStats(pending)]).onTimeRate).toBeUndefined();
    expect(formatRate(undefined)).toBe('—');
  });

  it('counts a deliverable for its lead and co-units alike, in plan order, and leaves out units with nothing', () => {
    const perUnit = unitStats(all.map(deliverableStats), units);
    expect(perUnit.map((u) => u.unitId)).toEqual(['zonghe', 'yanjiushi', 'duchashi']);
    const zonghe = perUnit.find((u) => u.unitId === 'zonghe')!;
    expect(zonghe).toMatchObject({ total: 5, leads: 5, onTime: 2, late: 1, overdueOpen: 0, overdue: 1 });
    expect(formatRate(zonghe.onTimeRate)).toBe('66.7%');
    const yanjiushi = perUnit.find((u) => u.unitId === 'yanjiushi')!;
    expect(yanjiushi).toMatchObject({ total: 6, leads: 1, onTime: 2, late: 1, overdueOpen: 1 });
    expect(perUnit.find((u) => u.unitId === 'duchashi')).toMatchObject({ total: 1, leads: 0, overdueOpen: 1, onTimeRate: 0 });
  });

  it('builds one table per view with a total line counted per deliverable', () => {
    const stats = all.map(deliverableStats);
    const table = unitTable(unitStats(stats, units), countOutcomes(stats));
    expect(table.rows.at(-1)).toEqual(['合计（按事项）', '6', '6', '2', '1', '1', '2', '1', '1', '50.0%']);
    const rows = deliverableTable(stats).rows;
    expect(rows[1]).toEqual(['2', '事项2', '综合指导司', '研究室', '2015-06-30', '', '待验收', '2015-07-03 10:00', '逾期完成', '3', '0', '', '附件事项', '', '']);
    expect(rows[2]![11]).toBe('=HYPERLINK("http://evil")');
  });
});

describe('CSV', () => {
  it('starts with a UTF-8 byte-order mark and ends every line with CRLF', () => {
    const csv = toCsv([['序号', '事项'], ['1', '信访']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).toBe('序号,事项\r\n1,信访\r\n');
  });

  it('quotes cells with commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('两行\n文字')).toBe('"两行\n文字"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1']) expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('1+1=2')).toBe('1+1=2');
    expect(csvCell(-1)).toBe('-1');
  });

  it('names a download with an ASCII fallback and the real name in RFC 5987 form', () => {
    expect(attachmentDisposition('duban-report-x.csv', '信访 (2015).csv')).toBe(
      `attachment; filename="duban-report-x.csv"; filename*=UTF-8''%E4%BF%A1%E8%AE%BF%20%282015%29.csv`,
    );
    expect(attachmentDisposition('a"b;c.csv', 'x.csv')).toContain('filename="a_b_c.csv"');
  });
});

describe('timeline SVG', () => {
  it('spans whole months from the earliest event to the latest due date, labelled 1月 … 12月', () => {
    const layout = timelineLayout([onTime, pending]);
    expect(layout.from).toBe('2015-01-01');
    expect(layout.to).toBe('2016-01-01');
    expect(layout.months.map((m) => m.label)).toEqual(['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
    // Months are evenly spaced and left to right.
    expect(layout.months[1]!.x).toBeGreaterThan(layout.months[0]!.x);
  });

  it('draws the bar from the first event to the end of the due day, and places markers by their wall-clock time', () => {
    const layout = timelineLayout([overdue, pending]);
    const [row, later] = layout.rows;
    expect(row!.bar!.x1).toBeLessThan(row!.dueX);
    expect(row!.bar!.x2).toBe(row!.dueX);
    expect(later!.dueX).toBeGreaterThan(row!.dueX);
    expect(later!.y).toBeGreaterThan(row!.y);
    expect(wallClockDays('2015-07-02T10:00:00.000+08:00') - wallClockDays('2015-07-02')).toBeCloseTo(10 / 24);
  });

  it('marks reminders, escalations, confirmations and extensions', () => {
    const events: LogEvent[] = [
      { at: '2015-01-05T09:00:00.000+08:00', type: 'notice', what: 'assignment' },
      { at: '2015-06-23T09:00:00.000+08:00', type: 'notice', what: 'reminder' },
      { at: '2015-07-01T09:00:00.000+08:00', type: 'notice', what: 'escalation' },
      { at: '2015-07-02T09:00:00.000+08:00', type: 'action', what: 'extension_approved', by: '督查室', note: '2015-06-30 → 2015-09-30: 需要会签' },
      { at: '2015-09-01T09:00:00.000+08:00', type: 'action', what: 'confirm', by: 'zonghe' },
    ];
    const row = timelineLayout([view({ deliverableId: 'd09', due: '2015-09-30', originalDue: '2015-06-30', events })]).rows[0]!;
    expect(row.markers.map((m) => m.kind)).toEqual(['reminder', 'escalation', 'confirmation']);
    expect(row.extensions).toHaveLength(1);
    expect(row.extensions[0]!.x1).toBe(row.originalDueX);
    expect(row.extensions[0]!.x2).toBe(row.dueX);
    const svg = timelineSvg([view({ deliverableId: 'd09', due: '2015-09-30', originalDue: '2015-06-30', events })], { title: 't' });
    expect(svg).toContain('marker-end="url(#timeline-arrow)"');
    expect(svg).toContain('<title>延期 2015-06-30 → 2015-09-30</title>');
    expect(svg).toContain('<title>原期限 2015-06-30</title>');
  });

  it('has one row per deliverable, an accessible name and description, and escapes every text', () => {
    const evil = view({ deliverableId: 'd08', title: '<script>alert(1)</script>"&' });
    const svg = timelineSvg([...all, evil], { title: '计划 <b>', hrefFor: (v) => `/console/x?a=1&b=${v.deliverableId}"` });
    expect(svg.match(/<g class="timeline-row"/g)).toHaveLength(all.length + 1);
    for (const v of all) expect(svg).toContain(`data-deliverable="${v.deliverableId}"`);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="timeline-title timeline-desc"/);
    expect(svg).toContain('<title id="timeline-title">计划 &lt;b&gt;</title>');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;');
    expect(svg).toContain('href="/console/x?a=1&amp;b=d08&quot;"');
    expect(svg).not.toMatch(/\sstyle=/);
  });
});
