/**
 * Calendar files (`config/calendars/cn-2027.yaml`): one year's official holidays and make-up workdays, shared by
 * every plan that names them, read and checked here and handed on as a {@link CalendarYearOverride}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isIsoDate, parseIsoDate, type IsoDate } from '../../domain/iso-date.ts';
import type { CalendarYearOverride } from '../../domain/working-days.ts';
import { fromZodIssue, readYamlSource, type LocatedProblem } from '../yaml-source.ts';
import { rangeDays } from './parse-notice.ts';

const isoDateInput = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z.string().refine(isIsoDate, { message: 'expected a real date written YYYY-MM-DD' }),
);

/** The schema of a calendar file. */
export const calendarFileSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    /** Where the arrangement comes from: the notice's title and number, or a note that it is test data. */
    source: z.string().min(1),
    /** Days off, one continuous range per entry (weekend days inside a range are listed too). */
    holidays: z
      .array(z.object({ name: z.string().min(1), from: isoDateInput, to: isoDateInput, days: z.number().int().min(1).optional() }).strict())
      .min(1),
    /** Make-up workdays (调休上班), each a weekend day worked for the holiday named in `for`. */
    workdays: z.array(z.object({ date: isoDateInput, for: z.string().min(1) }).strict()).default([]),
  })
  .strict();

/** A calendar file as parsed. */
export type CalendarFile = z.output<typeof calendarFileSchema>;

/** A calendar file, or every problem with its path and line. */
export type CalendarLoadResult = { ok: true; calendar: CalendarFile } | { ok: false; issues: LocatedProblem[] };

/** The folder of the calendar files shipped with duban (`config/calendars/`). */
export const sharedCalendarDir = fileURLToPath(new URL('../calendars/', import.meta.url));

/** Parses and checks a calendar file's text. */
export function parseCalendarText(text: string): CalendarLoadResult {
  const source = readYamlSource(text);
  if (!source.ok) return source;
  const parsed = calendarFileSchema.safeParse(source.data);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => source.locate(fromZodIssue(issue))) };
  const problems = checkCalendar(parsed.data);
  if (problems.length > 0) return { ok: false, issues: problems.map(source.locate) };
  return { ok: true, calendar: parsed.data };
}

/** Cross-field checks: ranges in order and near the year, stated day counts right, no day both off and worked. */
function checkCalendar(calendar: CalendarFile): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const near = (date: IsoDate) => Math.abs(parseIsoDate(date).year - calendar.year) <= 1;
  const off = new Map<IsoDate, number>();
  calendar.holidays.forEach((holiday, i) => {
    if (holiday.to < holiday.from) return problems.push({ path: ['holidays', i, 'to'], message: `${holiday.to} is before ${holiday.from}` });
    if (!near(holiday.from) || !near(holiday.to)) return problems.push({ path: ['holidays', i], message: `${holiday.from} – ${holiday.to} is not in or next to ${calendar.year}` });
    const days = rangeDays(holiday);
    if (days.length > 31) return problems.push({ path: ['holidays', i], message: `${days.length} days off in one range; a holiday is at most a few weeks` });
    if (holiday.days !== undefined && holiday.days !== days.length) problems.push({ path: ['holidays', i, 'days'], message: `says ${holiday.days} days, but ${holiday.from} – ${holiday.to} is ${days.length}` });
    for (const day of days) off.set(day, i);
    return undefined;
  });
  calendar.workdays.forEach((workday, i) => {
    if (!near(workday.date)) problems.push({ path: ['workdays', i, 'date'], message: `${workday.date} is not in or next to ${calendar.year}` });
    const holiday = off.get(workday.date);
    if (holiday !== undefined) problems.push({ path: ['workdays', i, 'date'], message: `${workday.date} is also a day off (holidays[${holiday}] ${calendar.holidays[holiday]!.name})` });
  });
  return problems;
}

/** The file as the override the working-day calendar takes: every day of every range off, the workdays worked. */
export function calendarOverride(calendar: CalendarFile): CalendarYearOverride & { holidays: IsoDate[]; workdays: IsoDate[] } {
  // A notice may name a day of the neighbouring year (a 31 December make-up day); an override speaks for its own
  // year only, so that day belongs in the neighbouring year's file.
  const own = (date: IsoDate) => date.startsWith(`${calendar.year}-`);
  return {
    year: calendar.year,
    holidays: [...new Set(calendar.holidays.flatMap(rangeDays))].filter(own).sort(),
    workdays: calendar.workdays.map((w) => w.date).filter(own).sort(),
  };
}

/**
 * Where a plan's calendar reference points: an absolute path; else relative to the plan's folder; else a file
 * shipped in `config/calendars/` (so `cn-2027.yaml` or `config/calendars/cn-2027.yaml` both work from any plan).
 */
export function resolveCalendarPath(ref: string, planDir: string): string | undefined {
  if (isAbsolute(ref)) return existsSync(ref) ? ref : undefined;
  const candidates = [resolve(planDir, ref), resolve(sharedCalendarDir, ref), resolve(sharedCalendarDir, '..', '..', ref)];
  return candidates.find((path) => existsSync(path));
}

/** Reads and checks a calendar file (synchronously: plans are read once, at start-up or by a command). */
export function loadCalendarFile(path: string): CalendarLoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, issues: [{ path: [], message: `cannot read ${path}: ${(err as Error).message}` }] };
  }
  return parseCalendarText(text);
}

/** The shipped calendar file for a year (`config/calendars/cn-YYYY.yaml`), when there is one. */
export function shippedCalendarPath(year: number): string | undefined {
  const path = resolve(sharedCalendarDir, `cn-${year}.yaml`);
  return existsSync(path) ? path : undefined;
}
