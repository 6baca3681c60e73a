/**
 * Threat: a unit name (from the plan file) carrying `"`, `;`, `,`, `:` or a line break breaks the `.ics` entry's
 * `ATTENDEE;CN="…"` parameter — the library wrote `\"`, which RFC 5545 does not know, and a line break would start a
 * new property. The entry must parse as RFC 5545 content lines with the name intact except for what cannot be said.
 */
import { describe, expect, it } from 'vitest';
import { dueDateEvent } from '../../activities/mail/calendar.ts';
import { sampleNotification } from '../../devtools/sample-notifications.ts';

const hostileName = '综合"指导;司,一处:二处\nATTENDEE:mailto:intruder@evil.example';
const recipient = { unitId: 'zonghe', name: hostileName, emails: ['zonghe@xinfang.example', 'zonghe2@xinfang.example'] };

interface ContentLine { readonly name: string; readonly params: Record<string, string[]>; readonly value: string }

/** Parses unfolded content lines strictly after RFC 5545 §3.1: a quoted value holds no DQUOTE and no control character. */
function parseContentLines(ics: string): ContentLine[] {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  expect(unfolded.endsWith('\r\n')).toBe(true);
  return unfolded.slice(0, -2).split('\r\n').map((line) => {
    // eslint-disable-next-line no-control-regex
    const grammar = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"\u0000-\u0008\u000a-\u001f\u007f]*"|[^";:,\u0000-\u0008\u000a-\u001f\u007f]*)(?:,(?:"[^"\u0000-\u0008\u000a-\u001f\u007f]*"|[^";:,\u0000-\u0008\u000a-\u001f\u007f]*))*)*):(.*)$/u;
    const match = grammar.exec(line);
    if (!match) throw new Error(`not an RFC 5545 content line: ${JSON.stringify(line)}`);
    const params: Record<string, string[]> = {};
    for (const param of match[2]!.matchAll(/;([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)/g)) {
      params[param[1]!] = [...param[2]!.matchAll(/"([^"]*)"|([^",]+)/g)].map((v) => v[1] ?? v[2]!);
    }
    return { name: match[1]!.toUpperCase(), params, value: match[3]! };
  });
}

describe('the calendar entry of a unit with a hostile name', () => {
  it('parses as RFC 5545, one ATTENDEE per address, the name kept but for the quote and the line break', () => {
    const { content } = dueDateEvent(sampleNotification('assignment'), recipient, {
      mailDomain: 'xinfang.example', method: 'REQUEST', organizer: { name: '督办"系统', email: 'duban@xinfang.example' },
    });
    const lines = parseContentLines(content);
    const attendees = lines.filter((l) => l.name === 'ATTENDEE');
    expect(attendees.map((a) => a.value)).toEqual(['mailto:zonghe@xinfang.example', 'mailto:zonghe2@xinfang.example']);
    for (const attendee of attendees) expect(attendee.params.CN).toEqual(["综合'指导;司,一处:二处 ATTENDEE:mailto:intruder@evil.example"]);
    expect(lines.find((l) => l.name === 'ORGANIZER')!.params.CN).toEqual(["督办'系统"]);
    expect(content).not.toContain('\\"');
    expect(lines.filter((l) => l.value.includes('intruder@evil.example') && l.name === 'ATTENDEE' && l.value.startsWith('mailto:intruder'))).toHaveLength(0);
  });
});
