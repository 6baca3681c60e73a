/** Chinese working-day arithmetic on `YYYY-MM-DD` strings: pure, deterministic, safe inside workflows. */
import { DateTime } from 'luxon';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { parseIsoDate, shiftIsoDate, type IsoDate } from './iso-date.ts';

/** One year's official arrangement that the calendar package lacks or gets wrong (e.g. a year it does not cover yet). */
export interface CalendarYearOverride {
  readonly year: number;
  /** Statutory days off that fall on weekdays (weekend days are off anyway). */
  readonly holidays: readonly IsoDate[];
  /** Make-up workdays (调休) that fall on weekends. */
  readonly workdays: readonly IsoDate[];
}

/** Thrown when a date falls in a year that neither the calendar package nor the plan's overrides describe. */
export class UncoveredYearError extends Error {
  override readonly name = 'UncoveredYearError';
  constructor(readonly year: number, readonly coveredYears: readonly number[]) {
    super(`year ${year} is not covered by the working-day calendar (chinese-days covers ${coveredYears[0]}–${coveredYears.at(-1)}); add a calendar override for ${year} to the plan`);
  }
}

interface DayTable {
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
  readonly years: ReadonlySet<number>;
}

// The package's own lookup functions read `Date` objects in the host's time zone and silently fall back to
// Monday–Friday past their last year; its data table has neither trap, so we read the table.
const packageTable: DayTable = {
  holidays: new Set(Object.keys(chineseDays.holidays)),
  workdays: new Set(Object.keys(chineseDays.workdays)),
  years: new Set(Object.keys(chineseDays.holidays).map((date) => Number(date.slice(0, 4)))),
};

/** A working-day calendar for one plan: the package's table, then the plan's overrides on top. */
export class WorkingDayCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;
  private readonly years: Set<number>;

  constructor(
    /** IANA zone in which dates and send hours are meant, e.g. `Asia/Shanghai`. */
    readonly timezone: string,
    overrides: readonly CalendarYearOverride[] = [],
  ) {
    if (!DateTime.local().setZone(timezone).isValid) throw new RangeError(`unknown time zone "${timezone}"`);
    this.holidays = new Set(packageTable.holidays);
    this.workdays = new Set(packageTable.workdays);
    this.years = new Set(packageTable.years);
    for (const override of overrides) {
      this.years.add(override.year);
      for (const date of override.holidays) {
        this.holidays.add(date);
        this.workdays.delete(date);
      }
      for (const date of override.workdays) {
        this.workdays.add(date);
        this.holidays.delete(date);
      }
    }
  }

  /** Years this calendar can answer for, ascending. */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Whether the calendar can answer for this date's year. */
  covers(date: IsoDate): boolean {
    return this.years.has(parseIsoDate(date).year);
  }

  /** True on a working day: a weekday that is not a holiday, or a make-up workday. */
  isWorkingDay(date: IsoDate): boolean {
    const day = parseIsoDate(date);
    if (!this.years.has(day.year)) throw new UncoveredYearError(day.year, this.coveredYears());
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return day.weekday <= 5;
  }

  /** The date itself when it is a working day, else the next working day (a due date on a day off moves forward). */
  onOrAfter(date: IsoDate): IsoDate {
    let day = date;
    while (!this.isWorkingDay(day)) day = shiftIsoDate(day, 1);
    return day;
  }

  /** The first working day strictly after the date. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.onOrAfter(shiftIsoDate(date, 1));
  }

  /**
   * The working day `count` working days after (positive) or before (negative) the date; the date itself is
   * never counted, so `addWorkingDays(d, -1)` is the last working day before `d`.
   */
  addWorkingDays(date: IsoDate, count: number): IsoDate {
    if (!Number.isInteger(count)) throw new RangeError(`working-day count must be an integer, got ${count}`);
    const step = count < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(count); left > 0; ) {
      day = shiftIsoDate(day, step);
      if (this.isWorkingDay(day)) left -= 1;
    }
    return day;
  }

  /** Working days after `from` up to and including `to`; negative when `to` is earlier. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let day = from; day < to; ) {
      day = shiftIsoDate(day, 1);
      if (this.isWorkingDay(day)) count += 1;
    }
    return count;
  }

  /** Epoch milliseconds of `hour`:00 local time on the date, in the calendar's zone. */
  instantAt(date: IsoDate, hour: number): number {
    const { year, month, day } = parseIsoDate(date);
    return DateTime.fromObject({ year, month, day, hour }, { zone: this.timezone }).toMillis();
  }

  /** The local date (in the calendar's zone) of an instant. */
  dateOf(epochMillis: number): IsoDate {
    return DateTime.fromMillis(epochMillis, { zone: this.timezone }).toISODate() as IsoDate;
  }
}
