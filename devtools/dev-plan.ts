/** The rehearsal plan `duban dev` runs: the shipped plan moved to start today, with any year the calendar lacks made explicit. */
import { stringify } from 'yaml';
import { rebasePlan } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';

/** The rebased plan, and the years it had to assume (weekends off, no holidays) because no calendar lists them. */
export function rehearsalPlan(plan: Plan, start: IsoDate): { plan: Plan; assumedYears: number[] } {
  const rebased = rebasePlan(plan, start);
  const calendar = new WorkingDayCalendar(rebased.timezone, rebased.calendar.overrides);
  const assumedYears: number[] = [];
  for (let year = Number(rebased.start.slice(0, 4)); year <= Number(rebased.end.slice(0, 4)); year++) {
    if (!calendar.covers(`${year}-01-01`)) assumedYears.push(year);
  }
  const overrides = [...rebased.calendar.overrides, ...assumedYears.map((year) => ({ year, holidays: [], workdays: [] }))];
  return { plan: { ...rebased, calendar: { ...rebased.calendar, overrides } }, assumedYears };
}

/** The plan as a YAML file with a header saying what was changed and why. */
export function rehearsalPlanYaml(plan: Plan, originalStart: IsoDate, assumedYears: readonly number[]): string {
  const header = [
    `# Rehearsal copy written by \`duban dev\`: every date of the shipped plan moved so that it starts ${plan.start}`,
    `# (originally ${originalStart}).`,
    ...(assumedYears.length ? [`# ASSUMED: no holiday calendar is known for ${assumedYears.join(', ')}; those years count weekends only.`] : []),
    '',
  ];
  return `${header.join('\n')}${stringify(plan, { lineWidth: 0 })}`;
}
