/** The mail each notice becomes: subjects and bodies per kind, Chinese dates, escaping, links, ids, threading, calendar. */
import { describe, expect, it } from 'vitest';
import type { ActionLinks } from '../activities/mail/action-links.ts';
import { composeMail } from '../activities/mail/compose.ts';
import { composeAssignmentList } from '../activities/mail/compose-list.ts';
import { chineseDate } from '../activities/mail/format.ts';
import { escapeHtml } from '../activities/mail/html.ts';
import { sampleAssignmentBatch, sampleDeliverable, sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';
import type { Notification } from '../workflows/definitions.ts';

const { zonghe, yanjiu, duchashi, lingdao } = sampleUnits;
const mailDomain = 'xinfang.example';
const links: ActionLinks = {
  confirm: 'http://127.0.0.1:9/a/test-token-confirm',
  progress: 'http://127.0.0.1:9/a/test-token-progress',
  extension: 'http://127.0.0.1:9/a/test-token-extension',
};
const compose = (n: Notification, to = zonghe, withLinks: ActionLinks | undefined = links, copy = false) =>
  composeMail(n, to, withLinks, { mailDomain, copy, organizer: { name: '督办系统', email: 'duban@xinfang.example' } });

/** Unfolds an iCalendar text into `NAME;PARAMS` → value lines (RFC 5545 §3.1). */
function icsLines(ics: string): string[] {
  return ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
}
function icsValue(ics: string, name: string): string | undefined {
  return icsLines(ics).find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))?.split(':').slice(1).join(':');
}

describe('Chinese dates', () => {
  it('writes 2015-03-31 as 2015年3月31日（星期二）', () => {
    expect(chineseDate('2015-03-31', 'Asia/Shanghai')).toBe('2015年3月31日（星期二）');
    expect(chineseDate('2015-09-06', 'Asia/Shanghai')).toBe('2015年9月6日（星期日）');
  });

  it('reads an instant in the plan zone, not in UTC', () => {
    // 17:00 UTC on the 30th is already the 31st in Beijing.
    expect(chineseDate('2015-03-30T17:00:00Z', 'Asia/Shanghai')).toBe('2015年3月31日（星期二）');
  });
});

describe('the assignment notice (交办通知)', () => {
  const mail = compose(sampleNotification('assignment'));

  it('has a formal subject with the title and the due date with its weekday', () => {
    expect(mail.subject).toBe('【交办通知】组织实施 2014 年信访工作考核（期限：2015年3月31日 星期二）');
  });

  it('addresses the unit, marks the lead and lists every unit, in HTML and in text', () => {
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('综合指导司：');
      expect(body).toContain('牵头单位');
      expect(body).toContain('协办单位');
      expect(body).toContain('研究室');
      expect(body).toContain('2015年3月31日（星期二）');
    }
    expect(mail.text).toMatch(/牵头单位：综合指导司\n协办单位：研究室/);
    expect(mail.text).toContain('你单位职责：牵头单位');
    expect(compose(sampleNotification('assignment'), yanjiu).text).toContain('你单位职责：协办单位');
  });

  it('offers the three actions as buttons and as plain links, saying they are personal and expire', () => {
    expect(mail.html).toContain('href="http://127.0.0.1:9/a/test-token-confirm"');
    expect(mail.html).toMatch(/>确认完成<\/a>/);
    expect(mail.html).toMatch(/>报告进展<\/a>/);
    expect(mail.html).toMatch(/>申请延期<\/a>/);
    expect(mail.text).toContain('确认完成：http://127.0.0.1:9/a/test-token-confirm');
    expect(mail.text).toContain('申请延期：http://127.0.0.1:9/a/test-token-extension');
    expect(mail.text).toContain('仅供你单位使用');
    expect(mail.text).toContain('有效期');
  });

  it('reads on its own as text: no markup, the facts on their own lines', () => {
    expect(mail.text).not.toMatch(/<[a-z/]/i);
    expect(mail.text.split('\n')).toContain('办理期限：2015年3月31日（星期二）');
  });

  it('carries an all-day calendar entry on the due date with a UID stable per deliverable and unit', () => {
    expect(mail.icalEvent?.method).toBe('REQUEST');
    const ics = mail.icalEvent!.content;
    expect(icsLines(ics)).toContain('BEGIN:VEVENT');
    expect(icsLines(ics)).toContain('METHOD:REQUEST');
    expect(icsLines(ics)).toContain('DTSTART;VALUE=DATE:20150331');
    expect(icsLines(ics)).toContain('DTEND;VALUE=DATE:20150401');
    expect(icsValue(ics, 'UID')).toBe('xinfang-2015.d04.zonghe.due@xinfang.example');
    expect(icsValue(compose(sampleNotification('assignment'), yanjiu).icalEvent!.content, 'UID')).toBe('xinfang-2015.d04.yanjiu.due@xinfang.example');
    expect(icsValue(ics, 'SUMMARY')).toContain('组织实施 2014 年信访工作考核');
  });

  it('is the root of its thread: its Message-ID is the thread id, and it replies to nothing', () => {
    expect(mail.messageId).toBe('<xinfang-2015.d04.zonghe.thread@xinfang.example>');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('is byte-identical when composed again (a retried send is recognisable)', () => {
    expect(compose(sampleNotification('assignment'))).toEqual(mail);
  });
});

describe('reminders and overdue notices', () => {
  it('names the stage 提醒 and the working days left', () => {
    const mail = compose(sampleNotification('reminder'));
    expect(mail.subject).toBe('【提醒】组织实施 2014 年信访工作考核（剩余3个工作日，期限：2015年3月31日 星期二）');
    expect(mail.text).toContain('剩余3个工作日');
    expect(mail.icalEvent).toBeUndefined();
  });

  it('urges at the 催办 stage', () => {
    const mail = compose(sampleNotification('reminder', { context: { stage: '催办', workingDaysLeft: 1 } }));
    expect(mail.subject.startsWith('【催办】')).toBe(true);
    expect(mail.text).toContain('现予催办');
    expect(mail.text).toContain('剩余1个工作日');
  });

  it('says how many working days an item is overdue', () => {
    const mail = compose(sampleNotification('overdue'));
    expect(mail.subject).toBe('【超期通知】组织实施 2014 年信访工作考核（已超期2个工作日，期限：2015年3月31日 星期二）');
    expect(mail.html).toContain('已超期2个工作日');
    expect(mail.text).toContain('抄送：督查室');
  });
});

describe('escalations (督办 / 通报)', () => {
  it('show the level label and the supervisor’s remark', () => {
    const mail = compose(sampleNotification('escalation'));
    expect(mail.subject).toBe('【督办通知】组织实施 2014 年信访工作考核（第1级，期限：2015年3月31日 星期二）');
    expect(mail.text).toContain('督办意见：请于本周内报送考核方案。');
    expect(mail.text).toContain('人工督办');
  });

  it('use the 通报 label at level 2 and show no remark for an automatic escalation', () => {
    const n = sampleNotification('escalation', { cc: [lingdao], context: { level: 2, levelLabel: '通报', workingDaysOverdue: 5 } });
    const mail = compose(n);
    expect(mail.subject.startsWith('【通报】')).toBe(true);
    expect(mail.text).toContain('已超期5个工作日');
    expect(mail.text).not.toContain('督办意见');
  });

  it('escape a remark in HTML so a script arrives as text', () => {
    const remark = '<script>alert(1)</script>';
    const mail = compose(sampleNotification('escalation', { context: { level: 1, levelLabel: '督办', manual: true, remark } }));
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain(`督办意见：${remark}`);
  });
});

it('escapes titles, unit names and reasons everywhere in the HTML', () => {
  const evil = '<img src=x onerror="alert(1)">';
  const n = sampleNotification('rejection', {
    deliverable: { ...sampleDeliverable, title: `考核 ${evil}`, units: [{ ...zonghe, name: `综合<b>司</b>` }, yanjiu] },
    context: { reason: `"退回" & ${evil}` },
  });
  const mail = compose(n, { ...zonghe, name: `综合<b>司</b>` });
  expect(mail.html).not.toContain('<img');
  expect(mail.html).not.toContain('<b>');
  expect(mail.html).toContain(escapeHtml(evil));
  expect(mail.html).toContain('&quot;退回&quot; &amp;');
});

it('drops a link that is not http(s), so a bad link maker cannot inject script', () => {
  const mail = compose(sampleNotification('assignment'), zonghe, { confirm: 'javascript:alert(1)', progress: 'http://127.0.0.1:9/a/p' });
  expect(mail.html).not.toContain('javascript:');
  expect(mail.html).not.toMatch(/>确认完成<\/a>/);
  expect(mail.html).toMatch(/>报告进展<\/a>/);
});

describe('decisions and closing notices', () => {
  it('a rejection gives the reason', () => {
    const mail = compose(sampleNotification('rejection'));
    expect(mail.subject.startsWith('【验收退回】')).toBe(true);
    expect(mail.text).toContain('退回理由：缺少对各省考核结果的分析报告。');
  });

  it('an approved extension gives the new due date and replaces the calendar entry (same UID, higher SEQUENCE)', () => {
    const assignment = compose(sampleNotification('assignment')).icalEvent!.content;
    const mail = compose(sampleNotification('extension_decision'));
    expect(mail.subject).toBe('【延期申请结果】组织实施 2014 年信访工作考核（同意延期，期限：2015年4月30日 星期四）');
    expect(mail.text).toContain('由2015年3月31日（星期二）调整为2015年4月30日（星期四）');
    const ics = mail.icalEvent!.content;
    expect(icsLines(ics)).toContain('DTSTART;VALUE=DATE:20150430');
    expect(icsValue(ics, 'UID')).toBe(icsValue(assignment, 'UID'));
    expect(Number(icsValue(ics, 'SEQUENCE'))).toBeGreaterThan(Number(icsValue(assignment, 'SEQUENCE')));
  });

  it('a denied extension keeps the due date and carries no calendar entry', () => {
    const n = sampleNotification('extension_decision', {
      deliverable: sampleDeliverable,
      context: { approved: false, reason: '理由不充分。', requestedDue: '2015-04-30', previousDue: '2015-03-31' },
    });
    const mail = compose(n);
    expect(mail.subject).toContain('不同意延期');
    expect(mail.text).toContain('不同意理由：理由不充分。');
    expect(mail.icalEvent).toBeUndefined();
  });

  it('an extension request to 督查室 names the unit, the date asked for and the reason', () => {
    const mail = compose(sampleNotification('extension_request'), duchashi, undefined);
    expect(mail.text).toContain('综合指导司申请将“组织实施 2014 年信访工作考核”的办理期限由2015年3月31日（星期二）延至2015年4月30日（星期四）');
    expect(mail.text).toContain('申请理由：考核数据需待各省报送后汇总。');
  });

  it('a cancellation withdraws the calendar entry', () => {
    const mail = compose(sampleNotification('cancellation'));
    expect(mail.icalEvent?.method).toBe('CANCEL');
    expect(icsLines(mail.icalEvent!.content)).toContain('STATUS:CANCELLED');
  });

  it('a delivery failure names the notice that failed and the error', () => {
    const mail = compose(sampleNotification('delivery_failure'), duchashi, undefined);
    expect(mail.subject).toBe('【投递失败】超期通知未能送达：组织实施 2014 年信访工作考核');
    expect(mail.text).toContain('550 No such user');
    expect(mail.text).toContain('通知编号：xinfang-2015/d04#4');
  });
});

describe('the weekly digest and the final report', () => {
  it('list every deliverable with its light in words and count each light', () => {
    const mail = compose(sampleNotification('digest'), duchashi, undefined);
    expect(mail.subject).toBe('【周报】督办事项进展情况（截至2015年4月6日 星期一）');
    expect(mail.text).toContain('绿灯1项，黄灯2项，红灯1项，灰灯1项');
    const rows = mail.text.split('\n').filter((l) => /^\d+ \| /.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['1', '2', '4', '7', '11']);
    expect(rows.find((r) => r.startsWith('4 |'))).toMatch(/已督办 \| 第1级 \| \[红\] \| —$/);
    // The latest progress a unit reported is shown beside its item.
    expect(rows.find((r) => r.startsWith('1 |'))).toMatch(/ \| 政策法规司（4月2日）：【60%】征求意见稿已印发各司室。$/);
    // A task tracked by its reports is marked as such, with its stage and its 报送滞后 counted.
    expect(rows.find((r) => r.startsWith('11 |'))).toMatch(/^11 \| 开展信访立法调研和论证（工作任务） \| .* \| 报送滞后 \| — \| \[黄\] \| 研究室（3月2日）：【推进中】已赴三省调研。$/);
    expect(mail.text).toContain('另有1项未按期报送进展（报送滞后，黄灯），已向牵头单位催报。');
    expect(mail.text).toContain('《2015 年信访工作要点》共5项督办事项');
    expect(mail.text).not.toContain('xinfang-2015');
    // In HTML the light is a coloured dot and its name, never colour alone.
    expect(mail.html).toMatch(/background:#c62828[^>]*><\/span>红/);
    expect(mail.inReplyTo).toBe('<xinfang-2015.duchashi.thread@xinfang.example>');
  });

  it('gives the year’s on-time rate', () => {
    const mail = compose(sampleNotification('final_report'), duchashi, undefined);
    // The rate counts the overdue open item against it and leaves the cancelled one out (domain/on-time-rate.ts).
    expect(mail.text).toContain('已办结2项，撤销1项，未办结1项；按期完成率33.3%（按期完成1项，已完成或已超期3项），其中逾期完成1项、超期未完成1项。');
  });
});

describe('Message-IDs and threading', () => {
  it('are stable per notice and unit, and differ between units and notices', () => {
    const reminder = sampleNotification('reminder');
    const id = compose(reminder).messageId;
    expect(id).toBe('<xinfang-2015.d04.2.zonghe@xinfang.example>');
    expect(compose(reminder).messageId).toBe(id);
    expect(compose(reminder, yanjiu).messageId).not.toBe(id);
    expect(compose(sampleNotification('overdue')).messageId).not.toBe(id);
  });

  it('thread every later notice of the deliverable under the unit’s assignment', () => {
    const root = compose(sampleNotification('assignment')).messageId;
    for (const kind of ['reminder', 'overdue', 'escalation', 'rejection', 'completion'] as const) {
      const mail = compose(sampleNotification(kind));
      expect(mail.inReplyTo, kind).toBe(root);
      expect(mail.references, kind).toBe(root);
    }
  });
});

it('marks a copy (抄送), addresses it to the units that must act, and gives it no links', () => {
  const mail = compose(sampleNotification('overdue'), duchashi, links, true);
  expect(mail.subject.startsWith('【抄送·超期通知】')).toBe(true);
  expect(mail.text).toContain('综合指导司、研究室：');
  expect(mail.text).toContain('抄送督查室：供知悉，无需办理。');
  expect(mail.text).not.toContain('test-token');
  expect(mail.html).not.toContain('test-token');
  expect(mail.icalEvent).toBeUndefined();
});

describe('the combined assignment notice (several 交办通知 to one unit)', () => {
  const notices = sampleAssignmentBatch();
  const mail = composeAssignmentList(notices, sampleUnits.yanjiu, notices.map((n) => ({ progress: `http://127.0.0.1:9/a/${n.deliverable!.id}-progress` })), { mailDomain: 'xinfang.example', batchKey: 'b#1' });

  it('lists every item once, in the plan’s order, with that item’s own link', () => {
    const headings = [...mail.text.matchAll(/^【第(\d+)项/gm)].map((m) => Number(m[1]));
    expect(headings).toEqual([4, 10, 12]);
    for (const n of notices) expect(mail.text).toContain(`报告进展：http://127.0.0.1:9/a/${n.deliverable!.id}-progress`);
    expect(mail.html).toContain('href="http://127.0.0.1:9/a/d12-progress"');
  });

  it('gives a task item and an annex item of the same number each its own links, tasks listed last', () => {
    const [annex, ...rest] = notices;
    const task = { ...rest[0]!, key: 'task#1', workflowId: 'xinfang-2015/task-t04', deliverable: { ...rest[0]!.deliverable!, id: 'task-t04', number: annex!.deliverable!.number, itemKind: 'task' as const } };
    // The task arrives first: the list must still put each link under its own heading.
    const mixed = [task, annex!];
    const list = composeAssignmentList(mixed, sampleUnits.yanjiu, mixed.map((n) => ({ progress: `http://127.0.0.1:9/a/${n.deliverable!.id}-progress` })), { mailDomain: 'xinfang.example', batchKey: 'b#3' });
    const sections = list.text.split('\n【').slice(1);
    expect(sections.map((s) => s.slice(0, s.indexOf('\u3000')))).toEqual([`第${annex!.deliverable!.number}项`, `工作任务第${annex!.deliverable!.number}项`]);
    expect(sections[0]).toContain(`/a/${annex!.deliverable!.id}-progress`);
    expect(sections[1]).toContain('/a/task-t04-progress');
  });

  it('carries one calendar with one event per item, each under the UID its single notice uses', () => {
    const ics = mail.icalEvent!.content.replace(/\r\n[ \t]/g, '');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    for (const n of notices) expect(ics).toContain(`UID:${n.workflowId.replace('/', '.')}.yanjiu.due@xinfang.example`);
    expect(ics).toContain('METHOD:REQUEST');
  });

  it('keeps its Message-ID for the same batch and changes it for another', () => {
    const again = composeAssignmentList(notices, sampleUnits.yanjiu, notices.map(() => undefined), { mailDomain: 'xinfang.example', batchKey: 'b#1' });
    const other = composeAssignmentList(notices, sampleUnits.yanjiu, notices.map(() => undefined), { mailDomain: 'xinfang.example', batchKey: 'b#2' });
    expect(again.messageId).toBe(mail.messageId);
    expect(other.messageId).not.toBe(mail.messageId);
  });
});
