/** The due-date calendar entry, written without a library: RFC 5545 text escaping and line folding. */
import { describe, expect, it } from 'vitest';
import { dueDateEvent, dueDateEvents } from '../activities/mail/calendar.ts';
import { sampleAssignmentBatch, sampleDeliverable, sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';

const options = { mailDomain: 'xinfang.example', organizer: { name: '督办系统', email: 'duban@xinfang.example' } };
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const valueOf = (ics: string, name: string) => unfold(ics).find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);

describe('the due-date calendar entry', () => {
  it('escapes a title\'s backslash, semicolon, comma and line break as TEXT, so no new property can start', () => {
    const title = '考核;统计,分析\\汇总\nATTENDEE:mailto:intruder@evil.example';
    const { content } = dueDateEvent(sampleNotification('assignment', { deliverable: { ...sampleDeliverable, title } }), sampleUnits.zonghe, { ...options, method: 'REQUEST' });
    expect(valueOf(content, 'SUMMARY')).toBe('【办理期限】考核\\;统计\\,分析\\\\汇总\\nATTENDEE:mailto:intruder@evil.example');
    expect(unfold(content).filter((l) => l.startsWith('ATTENDEE'))).toEqual(['ATTENDEE;RSVP=FALSE;ROLE=REQ-PARTICIPANT;CN="综合指导司":mailto:zonghe@xinfang.example']);
  });

  it('folds long lines at 75 octets without splitting a Chinese character, and unfolds to the whole text', () => {
    const title = '信访工作考核与积案化解'.repeat(8);
    const { content } = dueDateEvent(sampleNotification('assignment', { deliverable: { ...sampleDeliverable, title } }), sampleUnits.zonghe, { ...options, method: 'REQUEST' });
    const physical = content.slice(0, -2).split('\r\n');
    for (const line of physical) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(content).not.toContain('\uFFFD');
    expect(valueOf(content, 'SUMMARY')).toBe(`【办理期限】${title}`);
    expect(content.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('lists an attendee per well-formed address only, and stamps the notice\'s own time', () => {
    const recipient = { ...sampleUnits.zonghe, emails: ['zonghe@xinfang.example', 'not an address\r\nX:y'] };
    const { content } = dueDateEvent(sampleNotification('assignment'), recipient, { ...options, method: 'CANCEL' });
    expect(unfold(content).filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(valueOf(content, 'DTSTAMP')).toBe('20150105T010000Z');
    expect(valueOf(content, 'STATUS')).toBe('CANCELLED');
    expect(valueOf(content, 'METHOD')).toBe('CANCEL');
  });

  it('puts one event per notice of a combined 交办通知 in one calendar', () => {
    const batch = sampleAssignmentBatch();
    const { content } = dueDateEvents(batch, sampleUnits.yanjiu, options);
    expect(content.match(/BEGIN:VEVENT/g)).toHaveLength(batch.length);
    expect(content.match(/BEGIN:VCALENDAR/g)).toHaveLength(1);
  });
});
