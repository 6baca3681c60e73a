/** The indexed working-day arithmetic gives exactly what walking day by day gives, errors included. */
import { describe, expect, it } from 'vitest';
import { shiftIsoDate, type IsoDate } from '../domain/iso-date.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';

/** The original algorithm: one day at a time, asking only whether each day is a working day. */
const walking = (calendar: WorkingDayCalendar) => ({
  onOrAfter(date: IsoDate): IsoDate {
    let day = date;
    while (!calendar.isWorkingDay(day)) day = shiftIsoDate(day, 1);
    return day;
  },
  addWorkingDays(date: IsoDate, count: number): IsoDate {
    const step = count < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(count); left > 0; ) {
      day = shiftIsoDate(day, step);
      if (calendar.isWorkingDay(day)) left -= 1;
    }
    return day;
  },
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const forward = (a: IsoDate, b: IsoDate) => {
      let count = 0;
      for (let day = a; day < b; ) {
        day = shiftIsoDate(day, 1);
        if (calendar.isWorkingDay(day)) count += 1;
      }
      return count;
    };
    return to < from ? -forward(to, from) : forward(from, to);
  },
});

/** The answer, or the uncovered year it failed on. */
function outcome<T>(run: () => T): T | string {
  try {
    return run();
  } catch (err) {
    if (err instanceof UncoveredYearError) return `uncovered ${err.year}`;
    throw err;
  }
}

function daysOf(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = from; day <= to; day = shiftIsoDate(day, 1)) days.push(day);
  return days;
}

// 2028 is covered by an override while 2027 is not: a gap year inside the index.
const calendars = {
  'the package alone': new WorkingDayCalendar('Asia/Shanghai'),
  'with overrides and a gap year': new WorkingDayCalendar('Asia/Shanghai', [
    { year: 2015, holidays: ['2015-06-01'], workdays: ['2015-06-06'] },
    { year: 2028, holidays: ['2028-01-03'], workdays: ['2028-01-08'] },
  ]),
};
const offsets = [-40, -23, -11, -6, -5, -3, -2, -1, 0, 1, 2, 3, 5, 6, 11, 23, 40];

describe('the working-day index', () => {
  for (const [name, calendar] of Object.entries(calendars)) {
    const reference = walking(calendar);
    for (const [from, to] of [['2004-01-01', '2004-03-31'], ['2014-10-01', '2016-03-31'], ['2020-01-01', '2020-12-31'], ['2026-06-01', '2026-12-31'], ['2027-12-01', '2028-12-31']] as const) {
      it(`agrees with walking day by day on every day from ${from} to ${to}, ${name}`, () => {
        const disagreements: string[] = [];
        for (const day of daysOf(from, to)) {
          const check = (what: string, fast: () => unknown, slow: () => unknown) => {
            const [a, b] = [outcome(fast), outcome(slow)];
            if (a !== b) disagreements.push(`${what}: index ${String(a)}, walking ${String(b)}`);
          };
          check(`onOrAfter(${day})`, () => calendar.onOrAfter(day), () => reference.onOrAfter(day));
          check(`nextWorkingDay(${day})`, () => calendar.nextWorkingDay(day), () => reference.onOrAfter(shiftIsoDate(day, 1)));
          for (const offset of offsets) {
            check(`addWorkingDays(${day}, ${offset})`, () => calendar.addWorkingDays(day, offset), () => reference.addWorkingDays(day, offset));
            const other = shiftIsoDate(day, offset * 3);
            check(`workingDaysBetween(${day}, ${other})`, () => calendar.workingDaysBetween(day, other), () => reference.workingDaysBetween(day, other));
          }
        }
        expect(disagreements.slice(0, 10)).toEqual([]);
      });
    }
  }

  it('counts across years in one step, as far as the calendar reaches', () => {
    const calendar = calendars['the package alone'];
    expect(calendar.workingDaysBetween('2004-01-01', '2026-12-31')).toBe(walking(calendar).workingDaysBetween('2004-01-01', '2026-12-31'));
    const tenYearsOn = calendar.addWorkingDays('2015-01-05', 2500);
    expect(calendar.workingDaysBetween('2015-01-05', tenYearsOn)).toBe(2500);
    expect(() => calendar.addWorkingDays('2015-01-05', 10_000)).toThrow(UncoveredYearError);
    expect(() => calendar.addWorkingDays('2004-01-05', -10)).toThrow(/year 2003 is not covered/);
  });

  it('shares one index between calendars of the same zone and overrides', () => {
    const a = new WorkingDayCalendar('Asia/Shanghai', [{ year: 2027, holidays: [], workdays: [] }]);
    const b = new WorkingDayCalendar('Asia/Shanghai', [{ year: 2027, holidays: [], workdays: [] }]);
    expect((a as unknown as { index: unknown }).index).toBe((b as unknown as { index: unknown }).index);
    expect(a.isWorkingDay('2027-01-04')).toBe(true);
  });
});
