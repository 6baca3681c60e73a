/**
 * Calendar dates as `YYYY-MM-DD` strings, with arithmetic on epoch-day integers (days since 1970-01-01) that never
 * consults the host's time zone and needs no date library, so it is cheap enough for every schedule computation.
 */

/** A calendar date written `YYYY-MM-DD`; it names a day, not an instant. */
export type IsoDate = string;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month of a year (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic on integers.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Whether the text is a real calendar date in `YYYY-MM-DD` form (2015-02-29 is not). */
export function isIsoDate(text: string): boolean {
  const match = isoDatePattern.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(match[1]), month);
}

/** Days since 1970-01-01 of a date; throws a RangeError naming a malformed or impossible date. */
export function epochDayOf(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** The date of an epoch day (days since 1970-01-01). */
export function isoDateOfEpochDay(epochDay: number): IsoDate {
  const { year, month, day } = civilFromDays(epochDay);
  return isoDateOf(year, month, day);
}

/** `YYYY-MM-DD` of a year, month and day, as given (not checked: see {@link isIsoDate}). */
export function isoDateOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar year of an epoch day. */
export function yearOfEpochDay(epochDay: number): number {
  return civilFromDays(epochDay).year;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an epoch day; 1970-01-01 was a Thursday. */
export function weekdayOfEpochDay(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** Year, month, day and ISO weekday (1 = Monday … 7 = Sunday) of a date. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number; weekday: number } {
  const epochDay = epochDayOf(date);
  return { ...civilFromDays(epochDay), weekday: weekdayOfEpochDay(epochDay) };
}

/** The date `days` calendar days later (or earlier, when negative). */
export function shiftIsoDate(date: IsoDate, days: number): IsoDate {
  return isoDateOfEpochDay(epochDayOf(date) + days);
}
