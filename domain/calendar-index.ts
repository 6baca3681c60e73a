/**
 * The precomputed index behind WorkingDayCalendar: for every day of the covered years, whether it is a working day
 * and how many working days precede it, so working-day arithmetic is a pair of array lookups. One index per
 * (time zone, overrides), memoised at module level: every workflow of a plan shares it (the worker preloads this
 * module into its shared V8 context), and it is a pure function of its key, so sharing it cannot leak state.
 */
import { IANAZone, DateTime } from 'luxon';
import { rememberingZone } from './remembering-zone.ts';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { epochDayOf, isoDateOfEpochDay, weekdayOfEpochDay, yearOfEpochDay, type IsoDate } from './iso-date.ts';
import type { CalendarYearOverride } from './working-days.ts';

/** Answers for one calendar; epoch days throughout (days since 1970-01-01). */
export interface CalendarIndex {
  readonly coveredYears: readonly number[];
  coversYear(year: number): boolean;
  /** Whether a day of a covered year is a working day. */
  isWorking(day: number): boolean;
  /** Working days on or before the day (0 before the first covered year, all of them after the last). */
  workingDaysThrough(day: number): number;
  /** The n-th working day strictly after the day (n ≥ 1), or undefined past the last covered year. */
  nthWorkingDayAfter(day: number, n: number): number | undefined;
  /** The n-th working day strictly before the day (n ≥ 1), or undefined before the first covered year. */
  nthWorkingDayBefore(day: number, n: number): number | undefined;
  /** The first uncovered year met walking from day `first` to day `last` (either direction; ±Infinity: past the end). */
  firstUncoveredYear(first: number, last: number): number | undefined;
  instantAt(date: IsoDate, hour: number): number;
  dateOf(epochMillis: number): IsoDate;
}

// The package's own lookup functions read `Date` objects in the host's time zone and silently fall back to
// Monday–Friday past their last year; its data table has neither trap, so we read the table.
const packageHolidays = Object.keys(chineseDays.holidays);
const packageWorkdays = Object.keys(chineseDays.workdays);
const packageYears = [...new Set(packageHolidays.map((date) => Number(date.slice(0, 4))))];

const indexes = new Map<string, CalendarIndex>();
const maxIndexes = 32;

/** The shared index of a calendar; throws a RangeError for an unknown time zone. */
export function calendarIndexFor(timezone: string, overrides: readonly CalendarYearOverride[]): CalendarIndex {
  const key = `${timezone}\n${JSON.stringify(overrides)}`;
  let index = indexes.get(key);
  if (!index) {
    if (!IANAZone.isValidZone(timezone)) throw new RangeError(`unknown time zone "${timezone}"`);
    index = buildIndex(timezone, overrides);
    if (indexes.size >= maxIndexes) indexes.delete(indexes.keys().next().value!);
    indexes.set(key, index);
  }
  return index;
}

function buildIndex(timezone: string, overrides: readonly CalendarYearOverride[]): CalendarIndex {
  const holidays = new Set(packageHolidays);
  const workdays = new Set(packageWorkdays);
  const years = new Set(packageYears);
  for (const override of overrides) {
    years.add(override.year);
    for (const date of override.holidays) {
      holidays.add(date);
      workdays.delete(date);
    }
    for (const date of override.workdays) {
      workdays.add(date);
      holidays.delete(date);
    }
  }
  const coveredYears = [...years].sort((a, b) => a - b);
  const firstYear = coveredYears[0]!;
  const lastYear = coveredYears.at(-1)!;
  const base = epochDayOf(`${String(firstYear).padStart(4, '0')}-01-01`);
  const end = epochDayOf(`${String(lastYear + 1).padStart(4, '0')}-01-01`);
  const length = end - base;

  const working = new Uint8Array(length);
  const through = new Int32Array(length);
  const workingList: number[] = [];
  for (let i = 0; i < length; i++) {
    const day = base + i;
    const date = isoDateOfEpochDay(day);
    // Days of a gap year (between covered ones) count as off; reaching one is an error anyway.
    const isWorking = years.has(Number(date.slice(0, 4))) && (workdays.has(date) || (!holidays.has(date) && weekdayOfEpochDay(day) <= 5));
    if (isWorking) {
      working[i] = 1;
      workingList.push(day);
    }
    through[i] = workingList.length;
  }
  const workingDays = Int32Array.from(workingList);
  const total = workingDays.length;

  const workingDaysThrough = (day: number) => (day < base ? 0 : day >= end ? total : through[day - base]!);
  const coversYear = (year: number) => years.has(year);
  return {
    coveredYears,
    coversYear,
    isWorking: (day) => working[day - base] === 1,
    workingDaysThrough,
    nthWorkingDayAfter(day, n) {
      const k = workingDaysThrough(day) + n - 1;
      return k < total ? workingDays[k] : undefined;
    },
    nthWorkingDayBefore(day, n) {
      const k = workingDaysThrough(day - 1) - n;
      return k >= 0 ? workingDays[k] : undefined;
    },
    firstUncoveredYear(first, last) {
      const from = yearOfEpochDay(first);
      const ascending = last >= first;
      const to = last === Infinity ? Math.max(from, lastYear + 1) : last === -Infinity ? Math.min(from, firstYear - 1) : yearOfEpochDay(last);
      for (let year = from; ; year += ascending ? 1 : -1) {
        if (!years.has(year)) return year;
        if (year === to) return undefined;
      }
    },
    ...zoneClock(timezone),
  };
}

/** Local send instants and local dates in the zone, memoised (zone rules make them the slow part). */
function zoneClock(timezone: string): Pick<CalendarIndex, 'instantAt' | 'dateOf'> {
  const instants = new Map<string, number>();
  const zone = rememberingZone(timezone);
  return {
    instantAt(date, hour) {
      const key = `${date}@${hour}`;
      const known = instants.get(key);
      if (known !== undefined) return known;
      const day = epochDayOf(date);
      const { year, month, day: dayOfMonth } = { year: yearOfEpochDay(day), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
      if (instants.size >= 100_000) instants.clear();
      const instant = DateTime.fromObject({ year, month, day: dayOfMonth, hour }, { zone }).toMillis();
      instants.set(key, instant);
      return instant;
    },
    dateOf(epochMillis) {
      return isoDateOfEpochDay(Math.floor((epochMillis + zone.offset(epochMillis) * 60_000) / 86_400_000));
    },
  };
}
