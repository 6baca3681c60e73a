/**
 * Chinese working-day arithmetic on `YYYY-MM-DD` strings: pure, deterministic, safe inside workflows.
 * Every question is answered in O(1) from an index built once per calendar (time zone + overrides) and shared by
 * every workflow using that calendar (see calendar-index.ts).
 */
import { epochDayOf, isoDateOfEpochDay, yearOfEpochDay, type IsoDate } from './iso-date.ts';
import { calendarIndexFor, type CalendarIndex } from './calendar-index.ts';

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

/** A working-day calendar for one plan: the package's table, then the plan's overrides on top. */
export class WorkingDayCalendar {
  private readonly index: CalendarIndex;

  constructor(
    /** IANA zone in which dates and send hours are meant, e.g. `Asia/Shanghai`. */
    readonly timezone: string,
    overrides: readonly CalendarYearOverride[] = [],
  ) {
    this.index = calendarIndexFor(timezone, overrides);
  }

  /** Years this calendar can answer for, ascending. */
  coveredYears(): number[] {
    return [...this.index.coveredYears];
  }

  /** Whether the calendar can answer for this date's year. */
  covers(date: IsoDate): boolean {
    return this.index.coversYear(yearOfEpochDay(epochDayOf(date)));
  }

  /** True on a working day: a weekday that is not a holiday, or a make-up workday. */
  isWorkingDay(date: IsoDate): boolean {
    const day = epochDayOf(date);
    this.requireCovered(day, day);
    return this.index.isWorking(day);
  }

  /** The date itself when it is a working day, else the next working day (a due date on a day off moves forward). */
  onOrAfter(date: IsoDate): IsoDate {
    return isoDateOfEpochDay(this.onOrAfterDay(epochDayOf(date)));
  }

  /** The first working day strictly after the date. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return isoDateOfEpochDay(this.onOrAfterDay(epochDayOf(date) + 1));
  }

  /**
   * The working day `count` working days after (positive) or before (negative) the date; the date itself is
   * never counted, so `addWorkingDays(d, -1)` is the last working day before `d`.
   */
  addWorkingDays(date: IsoDate, count: number): IsoDate {
    if (!Number.isInteger(count)) throw new RangeError(`working-day count must be an integer, got ${count}`);
    if (count === 0) return date;
    const day = epochDayOf(date);
    const target = count > 0 ? this.index.nthWorkingDayAfter(day, count) : this.index.nthWorkingDayBefore(day, -count);
    // Walking day by day would meet every day between; the first uncovered one among them is the error.
    this.requireCovered(day + Math.sign(count), target ?? (count > 0 ? Infinity : -Infinity));
    return isoDateOfEpochDay(target!);
  }

  /** Working days after `from` up to and including `to`; negative when `to` is earlier. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    if (from === to) return 0;
    const fromDay = epochDayOf(from);
    const toDay = epochDayOf(to);
    if (toDay < fromDay) return -this.workingDaysBetween(to, from);
    this.requireCovered(fromDay + 1, toDay);
    return this.index.workingDaysThrough(toDay) - this.index.workingDaysThrough(fromDay);
  }

  /** Epoch milliseconds of `hour`:00 local time on the date, in the calendar's zone. */
  instantAt(date: IsoDate, hour: number): number {
    return this.index.instantAt(date, hour);
  }

  /** The local date (in the calendar's zone) of an instant. */
  dateOf(epochMillis: number): IsoDate {
    return this.index.dateOf(epochMillis);
  }

  private onOrAfterDay(day: number): number {
    const target = this.index.nthWorkingDayAfter(day - 1, 1);
    this.requireCovered(day, target ?? Infinity);
    return target!;
  }

  /** Throws for the first uncovered year met walking from `first` towards `last` (epoch days, either direction). */
  private requireCovered(first: number, last: number): void {
    const year = this.index.firstUncoveredYear(first, last);
    if (year !== undefined) throw new UncoveredYearError(year, this.coveredYears());
  }
}
