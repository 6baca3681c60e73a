/**
 * When a periodic progress report (定期报送) falls due: every N working days after the last report, or on a day of
 * each month moved to the next working day when it is a day off. Pure: the calendar and instants are passed in.
 */
import type { Policy } from '../config/plan-schema.ts';
import { daysInMonth, isoDateOf, parseIsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** The policy fields the report schedule reads. */
export type ReportPolicy = Pick<Policy, 'sendHour' | 'reportEvery' | 'reportDayOfMonth'>;

/** Whether the policy asks for periodic reports at all (absent fields: no reports, as before they existed). */
export function reportsRequired(policy: ReportPolicy): boolean {
  return policy.reportEvery !== undefined || policy.reportDayOfMonth !== undefined;
}

/** `每10个工作日` or `每月25日（遇节假日顺延）`, for mails and pages. */
export function reportCadenceText(policy: ReportPolicy): string {
  if (policy.reportEvery !== undefined) return `每${policy.reportEvery}个工作日`;
  if (policy.reportDayOfMonth !== undefined) return `每月${policy.reportDayOfMonth}日（遇节假日顺延）`;
  return '';
}

/**
 * The instant (a working day at the send hour) at which the report of the current period is due. The period began
 * at `periodStart` (the item's start or the previous deadline); `lastReport` is the lead's last report, if any.
 * Under `reportEvery` a report restarts the count; under `reportDayOfMonth` the deadlines stay on their day.
 */
export function nextReportDeadline(calendar: WorkingDayCalendar, policy: ReportPolicy, periodStart: number, lastReport?: number): number | undefined {
  if (policy.reportEvery !== undefined) {
    const anchor = Math.max(periodStart, lastReport ?? periodStart);
    return calendar.instantAt(calendar.addWorkingDays(calendar.dateOf(anchor), policy.reportEvery), policy.sendHour);
  }
  if (policy.reportDayOfMonth !== undefined) {
    const { year, month } = parseIsoDate(calendar.dateOf(periodStart));
    // At most two months on: the deadline of this month may have passed already, next month's cannot.
    for (let step = 0; step < 3; step++) {
      const y = year + Math.floor((month - 1 + step) / 12);
      const m = ((month - 1 + step) % 12) + 1;
      const day = Math.min(policy.reportDayOfMonth, daysInMonth(y, m));
      const instant = calendar.instantAt(calendar.onOrAfter(isoDateOf(y, m, day)), policy.sendHour);
      if (instant > periodStart) return instant;
    }
  }
  return undefined;
}

/**
 * Whether the report of the period that ended at a deadline is missing. Under `reportEvery` the deadline was counted
 * from the last report, so reaching it means none came since; under `reportDayOfMonth` any report of the lead after
 * the period began counts.
 */
export function reportMissing(policy: ReportPolicy, periodStart: number, lastReport?: number): boolean {
  if (policy.reportEvery !== undefined) return true;
  return lastReport === undefined || lastReport <= periodStart;
}
