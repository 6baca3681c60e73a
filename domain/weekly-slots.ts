/** The weekly digest's slot: the first working day of each week, at the send hour. */
import { parseIsoDate, shiftIsoDate, type IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** Whether no working day precedes this one in its Monday-to-Sunday week. */
export function isFirstWorkingDayOfWeek(calendar: WorkingDayCalendar, date: IsoDate): boolean {
  if (!calendar.isWorkingDay(date)) return false;
  const weekday = parseIsoDate(date).weekday;
  for (let back = 1; back < weekday; back++) {
    if (calendar.isWorkingDay(shiftIsoDate(date, -back))) return false;
  }
  return true;
}

/** The first weekly slot strictly after the instant (plan-time epoch milliseconds). */
export function nextWeeklySlot(calendar: WorkingDayCalendar, sendHour: number, after: number): number {
  for (let day = calendar.dateOf(after); ; day = shiftIsoDate(day, 1)) {
    if (isFirstWorkingDayOfWeek(calendar, day) && calendar.instantAt(day, sendHour) > after) return calendar.instantAt(day, sendHour);
  }
}
