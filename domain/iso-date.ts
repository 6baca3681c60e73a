/** Calendar dates as `YYYY-MM-DD` strings, with arithmetic that never consults the host's time zone. */
import { DateTime } from 'luxon';

/** A calendar date written `YYYY-MM-DD`; it names a day, not an instant. */
export type IsoDate = string;

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Whether the text is a real calendar date in `YYYY-MM-DD` form (2015-02-29 is not). */
export function isIsoDate(text: string): boolean {
  return isoDatePattern.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid;
}

/** Year, month, day and ISO weekday (1 = Monday … 7 = Sunday) of a date. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number; weekday: number } {
  const parsed = isoDatePattern.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : undefined;
  if (!parsed?.isValid) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return { year: parsed.year, month: parsed.month, day: parsed.day, weekday: parsed.weekday };
}

/** The date `days` calendar days later (or earlier, when negative). */
export function shiftIsoDate(date: IsoDate, days: number): IsoDate {
  parseIsoDate(date);
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as IsoDate;
}
