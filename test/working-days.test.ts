import { isWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { shiftIsoDate } from '../domain/iso-date.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';

const calendar = new WorkingDayCalendar('Asia/Shanghai');

describe('the Chinese working-day calendar', () => {
  it('knows the 2015 victory-day holiday and its make-up Sunday', () => {
    expect(calendar.isWorkingDay('2015-09-03')).toBe(false);
    expect(calendar.isWorkingDay('2015-09-04')).toBe(false);
    expect(calendar.isWorkingDay('2015-09-06')).toBe(true);
  });

  it('knows the National Day make-up Saturday and ordinary weekends', () => {
    expect(calendar.isWorkingDay('2015-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2015-10-11')).toBe(false);
    expect(calendar.isWorkingDay('2015-10-09')).toBe(true);
  });

  it('moves a due date on a holiday to the next working day', () => {
    expect(calendar.onOrAfter('2015-10-01')).toBe('2015-10-08');
    expect(calendar.onOrAfter('2015-10-08')).toBe('2015-10-08');
    expect(calendar.nextWorkingDay('2015-09-30')).toBe('2015-10-08');
  });

  it('counts working days backwards over the holiday and weekend', () => {
    expect(calendar.addWorkingDays('2015-10-08', -1)).toBe('2015-09-30');
    expect(calendar.addWorkingDays('2015-10-08', -3)).toBe('2015-09-28');
    expect(calendar.addWorkingDays('2015-09-30', 1)).toBe('2015-10-08');
    expect(calendar.addWorkingDays('2015-09-30', 0)).toBe('2015-09-30');
    expect(calendar.workingDaysBetween('2015-09-28', '2015-10-08')).toBe(3);
    expect(calendar.workingDaysBetween('2015-10-08', '2015-09-28')).toBe(-3);
  });

  it('gives 09:00 Beijing time as 01:00 UTC', () => {
    expect(new Date(calendar.instantAt('2015-10-08', 9)).toISOString()).toBe('2015-10-08T01:00:00.000Z');
    expect(calendar.dateOf(Date.parse('2015-10-07T16:30:00Z'))).toBe('2015-10-08');
  });

  it('agrees with the chinese-days package on every day of 2015', () => {
    const disagreements: string[] = [];
    for (let day = '2015-01-01'; day <= '2015-12-31'; day = shiftIsoDate(day, 1)) {
      if (calendar.isWorkingDay(day) !== isWorkday(day)) disagreements.push(day);
    }
    expect(disagreements).toEqual([]);
  });

  it('refuses a year the package does not cover instead of guessing Monday to Friday', () => {
    expect(() => calendar.isWorkingDay('2027-01-04')).toThrow(UncoveredYearError);
    expect(() => calendar.addWorkingDays('2026-12-30', 5)).toThrow(/year 2027 is not covered/);
  });

  it('answers for a year the plan overrides, with its holidays and make-up days', () => {
    const withOverride = new WorkingDayCalendar('Asia/Shanghai', [
      { year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-09'] },
    ]);
    expect(withOverride.isWorkingDay('2027-01-01')).toBe(false);
    expect(withOverride.isWorkingDay('2027-01-04')).toBe(true);
    expect(withOverride.isWorkingDay('2027-01-09')).toBe(true);
    expect(withOverride.isWorkingDay('2027-01-10')).toBe(false);
    expect(withOverride.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('rejects malformed dates and unknown time zones', () => {
    expect(() => calendar.isWorkingDay('2015-02-29')).toThrow(/not a YYYY-MM-DD date/);
    expect(() => calendar.isWorkingDay('2015/10/08')).toThrow(/not a YYYY-MM-DD date/);
    expect(() => new WorkingDayCalendar('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
