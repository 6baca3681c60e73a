/** `calendar import` without the I/O: a 节假日安排 notice's text in, a checked calendar file's YAML and a report out. */
import { daysInMonth, isoDateOf, parseIsoDate, type IsoDate } from '../../domain/iso-date.ts';
import { calendarFileSchema, parseCalendarText, type CalendarFile } from './calendar-file.ts';
import { parseNotice, rangeDays, weekdayName, type NoticeProblem } from './parse-notice.ts';

/** What an import produced: a calendar when the notice had no error, and the report either way. */
export interface NoticeImport {
  readonly calendar?: CalendarFile;
  readonly yaml?: string;
  readonly problems: NoticeProblem[];
  /** Report lines for a person: every range with its days, every workday, notes, warnings and errors by line. */
  readonly report: string[];
}

/** Options: the year when the title lacks one, and the `source` recorded in the file (default: the notice's title). */
export interface NoticeImportOptions {
  readonly year?: number;
  readonly source?: string;
}

/** Imports a notice's text. */
export function importNotice(text: string, options: NoticeImportOptions = {}): NoticeImport {
  const notice = parseNotice(text, { year: options.year });
  const report: string[] = [];
  const errors = notice.problems.filter((p) => p.severity === 'error');
  const year = notice.year;
  if (year !== undefined) {
    report.push(`read: ${notice.title ?? `a notice for ${year}`}: ${notice.holidays.length} holiday range${notice.holidays.length === 1 ? '' : 's'}, ${notice.workdays.length} make-up workday${notice.workdays.length === 1 ? '' : 's'}`);
  }
  for (const holiday of notice.holidays) {
    const days = rangeDays(holiday);
    report.push(`holiday: line ${holiday.line}: ${holiday.name} ${holiday.from} – ${holiday.to}, ${days.length} day${days.length === 1 ? '' : 's'} off: ${days.map((day) => short(day, year)).join('、')}`);
  }
  for (const workday of notice.workdays) report.push(`workday: line ${workday.line}: ${short(workday.date, year)} 上班 (${workday.holiday})`);
  for (const note of notice.notes) report.push(`note: line ${note.line}: read, no day changed: ${note.text}`);
  for (const problem of notice.problems) report.push(`${problem.severity}: line ${problem.line}: ${problem.message}`);
  if (errors.length > 0 || year === undefined) return { problems: notice.problems, report };

  const calendar = calendarFileSchema.parse({
    year, source: options.source ?? notice.title ?? `${year}年部分节假日安排`,
    holidays: notice.holidays.map((h) => ({ name: h.name, from: h.from, to: h.to, days: rangeDays(h).length })),
    workdays: notice.workdays.map((w) => ({ date: w.date, for: w.holiday })),
  });
  const yaml = renderCalendarYaml(calendar);
  // The file must read back as what was imported: the same checks a plan's calendar file gets.
  const reread = parseCalendarText(yaml);
  if (!reread.ok) {
    const problems = reread.issues.map((issue) => ({ severity: 'error' as const, line: 0, message: `calendar file check: ${issue.message}` }));
    return { problems: [...notice.problems, ...problems], report: [...report, ...problems.map((p) => `error: ${p.message}`)] };
  }
  report.push(`result: ${year} has ${workingDayCount(calendar)} working days (Monday–Friday, less weekday holidays, plus make-up workdays)`);
  return { calendar, yaml, problems: notice.problems, report };
}

/** The calendar file's text: a header saying where it came from, then one line per range and per workday. */
export function renderCalendarYaml(calendar: CalendarFile): string {
  const q = (text: string) => JSON.stringify(text);
  return [
    `# ${calendar.year} 年节假日安排: the days off and make-up workdays (调休上班) of the source below, for duban's working-day calendar.`,
    '# Written by `duban calendar import`; plans name it under `calendar.files`. Check it against the published notice.',
    `year: ${calendar.year}`,
    `source: ${q(calendar.source)}`,
    'holidays:',
    ...calendar.holidays.map((h) => `  - { name: ${q(h.name)}, from: ${h.from}, to: ${h.to}${h.days === undefined ? '' : `, days: ${h.days}`} }`),
    `workdays:${calendar.workdays.length === 0 ? ' []' : ''}`,
    ...calendar.workdays.map((w) => `  - { date: ${w.date}, for: ${q(w.for)} }  # ${weekdayName(w.date)}`),
    '',
  ].join('\n');
}

function workingDayCount(calendar: CalendarFile): number {
  const off = new Set(calendar.holidays.flatMap(rangeDays));
  const worked = new Set(calendar.workdays.map((w) => w.date));
  let count = 0;
  for (let month = 1; month <= 12; month++) {
    for (let day = 1; day <= daysInMonth(calendar.year, month); day++) {
      const date = isoDateOf(calendar.year, month, day);
      const { weekday } = parseIsoDate(date);
      if (worked.has(date) || (weekday <= 5 && !off.has(date))) count += 1;
    }
  }
  return count;
}

/** `1月4日周日`, with the year when the day lies outside the notice's year (`2011年12月31日周六`). */
function short(date: IsoDate, year?: number): string {
  const parsed = parseIsoDate(date);
  return `${year !== undefined && parsed.year !== year ? `${parsed.year}年` : ''}${parsed.month}月${parsed.day}日${weekdayName(date).replace('星期', '周')}`;
}
