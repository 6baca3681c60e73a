import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isWorkday } from 'chinese-days';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarOverride, parseCalendarText, resolveCalendarPath, sharedCalendarDir } from '../config/calendar/calendar-file.ts';
import { importNotice } from '../config/calendar/import-notice.ts';
import { formatIssue, loadPlanFile, parsePlanText } from '../config/load-plan.ts';
import { parseIsoDate, shiftIsoDate, type IsoDate } from '../domain/iso-date.ts';
import { WorkingDayCalendar, type CalendarYearOverride } from '../domain/working-days.ts';

const run = promisify(execFile);
const dubanBin = new URL('../bin/duban.js', import.meta.url).pathname;
const fixture = (name: string) => new URL(`./fixtures/calendars/${name}`, import.meta.url).pathname;
const notice2027 = readFileSync(fixture('2027-notice-TEST-FIXTURE.txt'), 'utf8');
const fixtureSource = 'TEST FIXTURE, NOT OFFICIAL DATA: invented 2027 arrangement (test/fixtures/calendars/2027-notice-TEST-FIXTURE.txt)';
const workDir = mkdtempSync(join(tmpdir(), 'duban-calendar-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function daysOf(year: number): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = `${year}-01-01`; day.startsWith(`${year}-`); day = shiftIsoDate(day, 1)) days.push(day);
  return days;
}

/** Working or not by the override alone (no package table underneath), for comparing an import with chinese-days. */
function workingByOverride(override: CalendarYearOverride, day: IsoDate): boolean {
  if (override.workdays.includes(day)) return true;
  return parseIsoDate(day).weekday <= 5 && !override.holidays.includes(day);
}

function imported(text: string, source?: string) {
  const result = importNotice(text, { source });
  if (!result.calendar) throw new Error(`the notice did not import:\n${result.report.join('\n')}`);
  return result;
}

describe('calendar import of the 2027 test-fixture notice', () => {
  const result = imported(notice2027, fixtureSource);
  const calendar = new WorkingDayCalendar('Asia/Shanghai', [calendarOverride(result.calendar!)]);

  it('reads every holiday range and make-up workday, with full-width digits, half-width punctuation and a wrapped line', () => {
    expect(result.calendar!.holidays.map((h) => `${h.name} ${h.from}–${h.to} ${h.days}`)).toEqual([
      '元旦 2027-01-01–2027-01-03 3', '春节 2027-02-06–2027-02-13 8', '清明节 2027-04-03–2027-04-05 3', '劳动节 2027-05-01–2027-05-05 5',
      '端午节 2027-06-09–2027-06-09 1', '中秋节 2027-09-15–2027-09-15 1', '国庆节 2027-09-30–2027-10-07 8',
    ]);
    expect(result.calendar!.workdays.map((w) => `${w.date} ${w.for}`)).toEqual([
      '2027-01-31 春节', '2027-02-20 春节', '2027-04-25 劳动节', '2027-05-08 劳动节', '2027-09-26 国庆节', '2027-10-09 国庆节',
    ]);
    expect(result.problems).toEqual([]);
  });

  it('reports each range with its days and weekdays, each workday, and the advisory sentence it did not turn into a day off', () => {
    expect(result.report).toContain('holiday: line 16: 国庆节 2027-09-30 – 2027-10-07, 8 days off: 9月30日周四、10月1日周五、10月2日周六、10月3日周日、10月4日周一、10月5日周二、10月6日周三、10月7日周四');
    expect(result.report).toContain('workday: line 11: 2月20日周六 上班 (春节)');
    expect(result.report.some((line) => line.startsWith('note: line 11: read, no day changed: 鼓励') && line.includes('除夕(2月5日)'))).toBe(true);
    expect(result.report.at(-1)).toBe('result: 2027 has 249 working days (Monday–Friday, less weekday holidays, plus make-up workdays)');
  });

  it('is the committed fixture calendar file, word for word', () => {
    expect(result.yaml).toBe(readFileSync(fixture('cn-2027-TEST-FIXTURE.yaml'), 'utf8'));
  });

  it('gives every day of 2027 its working status through the working-day calendar', () => {
    // Written out by hand from the fixture notice, independently of the importer.
    const weekdaysOff = new Set([
      '2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-04-05', '2027-05-03', '2027-05-04',
      '2027-05-05', '2027-06-09', '2027-09-15', '2027-09-30', '2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
    ]);
    const weekendsWorked = new Set(['2027-01-31', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09']);
    const days = daysOf(2027);
    expect(days).toHaveLength(365);
    for (const day of days) {
      const weekday = parseIsoDate(day).weekday;
      const expected = weekendsWorked.has(day) || (weekday <= 5 && !weekdaysOff.has(day));
      expect(calendar.isWorkingDay(day), day).toBe(expected);
    }
    expect(days.filter((d) => calendar.isWorkingDay(d))).toHaveLength(249);
    // Deadline arithmetic across the fixture's 春节 and 国庆节.
    expect(calendar.onOrAfter('2027-02-10')).toBe('2027-02-15');
    expect(calendar.nextWorkingDay('2027-02-05')).toBe('2027-02-15');
    expect(calendar.addWorkingDays('2027-09-29', 1)).toBe('2027-10-08');
    expect(calendar.workingDaysBetween('2027-09-24', '2027-10-11')).toBe(7); // 26 (a worked Sunday), 27–29, 8, 9 (a worked Saturday), 11
  });
});

describe('calendar import cross-checked with chinese-days, day by day', () => {
  it('2025: the published notice gives exactly the package’s working days', () => {
    const override = calendarOverride(imported(readFileSync(fixture('2025-notice.txt'), 'utf8')).calendar!);
    const differing = daysOf(2025).filter((day) => workingByOverride(override, day) !== isWorkday(day));
    expect(differing).toEqual([]);
  });

  it('2015: the same, except the three days of the separate 抗战胜利70周年 notice (3–4 September off, the 6th worked)', () => {
    const result = imported(readFileSync(fixture('2015-notice.txt'), 'utf8'));
    // 2015's notice words its days as 放假, 补休 and 与周末连休, with weekdays as 星期X.
    expect(result.calendar!.holidays.filter((h) => h.name === '清明节').map((h) => h.from)).toEqual(['2015-04-05', '2015-04-06']);
    const override = calendarOverride(result.calendar!);
    const differing = daysOf(2015).filter((day) => workingByOverride(override, day) !== isWorkday(day));
    expect(differing).toEqual(['2015-09-03', '2015-09-04', '2015-09-06']);
  });

  it('2012: the same, with a 放假公休 item, a workday list whose second day omits its month, and the make-up day of 31 December 2011', () => {
    const result = imported(readFileSync(fixture('2012-notice.txt'), 'utf8'));
    expect(result.report).toContain('workday: line 6: 2011年12月31日周六 上班 (元旦)');
    expect(result.report).toContain('workday: line 7: 1月29日周日 上班 (春节)');
    expect(result.problems).toEqual([{ severity: 'warning', line: 6, message: "元旦: 2011-12-31 lies outside 2012: it is kept in the file, but only 2011's calendar file changes that day" }]);
    const override = calendarOverride(result.calendar!);
    expect(override.workdays).not.toContain('2011-12-31');
    expect(daysOf(2012).filter((day) => workingByOverride(override, day) !== isWorkday(day))).toEqual([]);
  });

  it('the shipped 2025 calendar file is that import', () => {
    const shipped = parseCalendarText(readFileSync(join(sharedCalendarDir, 'cn-2025.yaml'), 'utf8'));
    expect(shipped.ok && calendarOverride(shipped.calendar)).toEqual(calendarOverride(imported(readFileSync(fixture('2025-notice.txt'), 'utf8')).calendar!));
  });
});

describe('calendar import of a notice with mistakes', () => {
  const notice = [
    '国务院办公厅关于2027年部分节假日安排的通知', // 1
    '一、元旦：1月1日（周六）放假。', // 2: 1 January 2027 is a Friday
    '二、春节：2月6日至13日放假调休，共9天。2月9日（周二）上班。', // 3: eight days; a Tuesday cannot be a make-up day
    '三、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月10日（周一）上班。', // 4: a make-up day on a weekday
    '四、清明节：4月3日放几天。', // 5: unreadable
    '', //
    '另：10月8日（周五）放假。', // 7: arranges a day outside any numbered item
  ].join('\n');
  const result = importNotice(notice);

  it('refuses it with an error per problem, each with its line, and writes no calendar', () => {
    expect(result.calendar).toBeUndefined();
    expect(result.problems).toEqual([
      { severity: 'error', line: 2, message: '元旦: 1月1日 is a 星期五, but the notice says 星期六' },
      { severity: 'error', line: 3, message: '春节: the notice says 共9天 but the dates give 8 days' },
      { severity: 'error', line: 3, message: '春节: 2027-02-09 is both a workday and a day off of 春节 (line 3)' },
      { severity: 'warning', line: 3, message: '春节: the make-up workday 2027-02-09 is a 星期二, a working day anyway; 调休上班 days fall on weekends' },
      { severity: 'warning', line: 4, message: '劳动节: the make-up workday 2027-05-10 is a 星期一, a working day anyway; 调休上班 days fall on weekends' },
      { severity: 'error', line: 5, message: '清明节: cannot read "4月3日放几天"' },
      { severity: 'error', line: 7, message: 'cannot read: a line that arranges days but is not a numbered item (一、节日：…): "另:10月8日(周五)放假。"' },
    ]);
    expect(result.report.filter((line) => line.startsWith('error: line '))).toHaveLength(5);
  });

  it('asks for the year when the title has none', () => {
    expect(importNotice('一、元旦：1月1日放假。').problems).toEqual([
      { severity: 'error', line: 1, message: 'no year: the title should read 国务院办公厅关于YYYY年部分节假日安排的通知 (or pass --year)' },
    ]);
    expect(importNotice('一、元旦：1月1日（周五）放假。', { year: 2027 }).calendar?.holidays).toEqual([{ name: '元旦', from: '2027-01-01', to: '2027-01-01', days: 1 }]);
  });
});

describe('duban calendar import', () => {
  it('writes the calendar file and reports every range, and refuses to replace it without --force', async () => {
    const out = join(workDir, 'cn-2027.yaml');
    const first = await run('node', [dubanBin, 'calendar', 'import', fixture('2027-notice-TEST-FIXTURE.txt'), '-o', out, '--source', fixtureSource]);
    expect(first.stderr.split('\n')[0]).toBe(`✓ ${fixture('2027-notice-TEST-FIXTURE.txt')} → ${out}`);
    expect(first.stderr).toContain('holiday: line 11: 春节 2027-02-06 – 2027-02-13, 8 days off');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(fixture('cn-2027-TEST-FIXTURE.yaml'), 'utf8'));
    const again = await run('node', [dubanBin, 'calendar', 'import', fixture('2027-notice-TEST-FIXTURE.txt'), '-o', out]).catch((err: { code: number; stderr: string }) => err);
    expect(again).toMatchObject({ code: 2, stderr: `duban: calendar import: ${out} exists; pass --force to replace it, or -o another file\n` });
  });

  it('exits 2 and writes nothing when the notice has errors', async () => {
    const notice = join(workDir, 'bad-notice.txt');
    writeFileSync(notice, '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周六）放假。\n');
    const out = join(workDir, 'bad.yaml');
    const result = await run('node', [dubanBin, 'calendar', 'import', notice, '-o', out]).catch((err: { code: number; stderr: string }) => err);
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain(`✗ ${notice}: 1 error, nothing written`);
    expect(result.stderr).toContain('error: line 2: 元旦: 1月1日 is a 星期五, but the notice says 星期六');
    expect(existsSync(out)).toBe(false);
  });
});

describe('a plan naming calendar files', () => {
  const planFile = new URL('./fixtures/plans/province-2027.yaml', import.meta.url).pathname;
  const planText = readFileSync(planFile, 'utf8');

  it('validates a 2027 plan with the fixture calendar, read relative to the plan, and moves a due date out of 春节', async () => {
    const loaded = await loadPlanFile(planFile);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.plan.calendar.overrides.map((o) => o.year)).toEqual([2027]);
    expect(new WorkingDayCalendar(loaded.plan.timezone, loaded.plan.calendar.overrides).onOrAfter(loaded.plan.deliverables[0]!.due)).toBe('2027-02-15');
  });

  it('finds a shipped calendar file by its bare name from any folder', () => {
    expect(resolveCalendarPath('cn-2025.yaml', workDir)).toBe(join(sharedCalendarDir, 'cn-2025.yaml'));
    expect(resolveCalendarPath('config/calendars/cn-2025.yaml', workDir)).toBe(join(sharedCalendarDir, 'cn-2025.yaml'));
  });

  it('fails a 2027 plan without the file as before: the year is not covered', () => {
    const result = parsePlanText(planText.replace('  files: [../calendars/cn-2027-TEST-FIXTURE.yaml]\n', ''), { planDir: workDir });
    expect(!result.ok && result.issues.map(formatIssue)[0]).toMatch(/^start: year 2027 is not covered by the working-day calendar/);
  });

  it('names a missing file, a broken file (with its own line) and a second file for one year by the plan path and line', () => {
    const broken = join(workDir, 'broken.yaml');
    writeFileSync(broken, 'year: 2027\nsource: test\nholidays:\n  - { name: 春节, from: 2027-02-13, to: 2027-02-06 }\n');
    const withFiles = (files: string) => planText.replace('[../calendars/cn-2027-TEST-FIXTURE.yaml]', files);
    const issues = (files: string) => {
      const result = parsePlanText(withFiles(files), { planDir: workDir });
      return result.ok ? [] : result.issues.map(formatIssue);
    };
    expect(issues('[cn-2099.yaml]')).toEqual(['calendar.files[0]: no calendar file "cn-2099.yaml" (looked beside the plan and in config/calendars/) (line 10, column 11)']);
    expect(issues(`[${broken}]`)[0]).toMatch(/^calendar\.files\[0\]: .*broken\.yaml \(holidays\[0\]\.to, line 4, column 39\): 2027-02-06 is before 2027-02-13 \(line 10, column 11\)$/);
    const fixtureFile = fixture('cn-2027-TEST-FIXTURE.yaml');
    expect(issues(`[${fixtureFile}, ${fixtureFile}]`)).toEqual([`calendar.files[1]: a second calendar file for 2027 (line 10, column ${13 + fixtureFile.length})`]);
  });
});
