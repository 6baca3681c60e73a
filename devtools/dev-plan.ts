/** The rehearsal plan `duban dev` runs: the shipped plan moved to start today, with the calendar of every year it spans. */
import { stringify } from 'yaml';
import { calendarOverride, loadCalendarFile, shippedCalendarPath } from '../config/calendar/calendar-file.ts';
import { rebasePlan } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { WorkingDayCalendar, type CalendarYearOverride } from '../domain/working-days.ts';

/** A shipped calendar for a year (`config/calendars/cn-YYYY.yaml`), when there is one that reads cleanly. */
export type CalendarFinder = (year: number) => { readonly path: string; readonly override: CalendarYearOverride } | undefined;

const shippedCalendar: CalendarFinder = (year) => {
  const path = shippedCalendarPath(year);
  const loaded = path ? loadCalendarFile(path) : undefined;
  return path && loaded?.ok && loaded.calendar.year === year ? { path, override: calendarOverride(loaded.calendar) } : undefined;
};

/** What the rehearsal took from where: shipped calendar files used, and years still assumed (weekends off, no holidays). */
export interface RehearsalPlan {
  readonly plan: Plan;
  readonly calendarFiles: string[];
  readonly assumedYears: number[];
}

/**
 * The rebased plan. A year neither the package nor the plan covers takes the shipped calendar file for it; only a
 * year with no file is assumed to have weekends off and no holidays (and the caller says so).
 */
export function rehearsalPlan(plan: Plan, start: IsoDate, findCalendar: CalendarFinder = shippedCalendar): RehearsalPlan {
  const rebased = rebasePlan(plan, start);
  const calendar = new WorkingDayCalendar(rebased.timezone, rebased.calendar.overrides);
  const added: CalendarYearOverride[] = [];
  const calendarFiles: string[] = [];
  const assumedYears: number[] = [];
  for (let year = Number(rebased.start.slice(0, 4)); year <= Number(rebased.end.slice(0, 4)); year++) {
    if (calendar.covers(`${year}-01-01`)) continue;
    const found = findCalendar(year);
    if (found) {
      added.push(found.override);
      calendarFiles.push(found.path);
    } else {
      assumedYears.push(year);
      added.push({ year, holidays: [], workdays: [] });
    }
  }
  const overrides = [...added, ...rebased.calendar.overrides].map((o) => ({ year: o.year, holidays: [...o.holidays], workdays: [...o.workdays] }));
  // The files' days are copied in, so the rehearsal copy stands alone wherever it is written.
  return { plan: { ...rebased, calendar: { ...rebased.calendar, files: [], overrides } }, calendarFiles, assumedYears };
}

/** The plan as a YAML file with a header saying what was changed and why. */
export function rehearsalPlanYaml(plan: Plan, originalStart: IsoDate, assumedYears: readonly number[], calendarFiles: readonly string[] = []): string {
  const header = [
    `# Rehearsal copy written by \`duban dev\`: every date of the shipped plan moved so that it starts ${plan.start}`,
    `# (originally ${originalStart}).`,
    ...(calendarFiles.length ? [`# Calendar files copied into calendar.overrides: ${calendarFiles.join(', ')}.`] : []),
    ...(assumedYears.length ? [`# ASSUMED: no holiday calendar is known for ${assumedYears.join(', ')}; those years count weekends only.`] : []),
    '',
  ];
  return `${header.join('\n')}${stringify(plan, { lineWidth: 0 })}`;
}
