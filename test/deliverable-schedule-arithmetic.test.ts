/** The next overdue repeat is found by arithmetic and matches walking every repeat since the item fell overdue. */
import { describe, expect, it } from 'vitest';
import { firstOverdueDay, nextScheduledNotices, workingDaysOverdue, type ScheduleParams } from '../domain/deliverable-schedule.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';

const calendar = new WorkingDayCalendar('Asia/Shanghai');
const hour = 3_600_000;

/** The first overdue notice after `after`, by walking every repeat from the first overdue day (gaps widening to 4×). */
function walkedOverdue(params: ScheduleParams, after: number) {
  const { policy } = params;
  const widest = policy.overdueRepeatEvery * 4;
  for (let day = firstOverdueDay(calendar, params.due), gap = policy.overdueRepeatEvery; ; gap = Math.min(gap * 2, widest)) {
    if (calendar.instantAt(day, policy.sendHour) > after) return { at: calendar.instantAt(day, policy.sendHour), workingDaysOverdue: workingDaysOverdue(calendar, params.due, day) };
    day = calendar.addWorkingDays(day, gap);
  }
}

function overdueOf(params: ScheduleParams, after: number) {
  // With no reminders and no ladder left, the overdue notice is the only candidate.
  const [notice] = nextScheduledNotices(params, after);
  return notice?.kind === 'overdue' ? { at: notice.at, workingDaysOverdue: notice.workingDaysOverdue } : notice;
}

describe('the overdue repeat', () => {
  for (const every of [1, 3, 5, 7]) {
    it(`matches walking every repeat, every ${every} working days, at every send slot of two years`, () => {
      const params: ScheduleParams = { calendar, due: '2015-03-31', policy: { reminderOffsets: [], sendHour: 9, overdueRepeatEvery: every }, ladder: [], currentLevel: 0 };
      const mismatches: string[] = [];
      for (let at = calendar.instantAt('2015-03-20', 0); at < calendar.instantAt('2017-03-31', 0); at += 5 * hour) {
        const [fast, slow] = [overdueOf(params, at), walkedOverdue(params, at)];
        if (JSON.stringify(fast) !== JSON.stringify(slow)) mismatches.push(`${new Date(at).toISOString()}: ${JSON.stringify(fast)} vs ${JSON.stringify(slow)}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  }

  it('places the next repeat of an item ten years overdue exactly', () => {
    const params: ScheduleParams = { calendar, due: '2015-06-30', policy: { reminderOffsets: [10, 5, 1], sendHour: 9, overdueRepeatEvery: 5 }, ladder: [], currentLevel: 0 };
    const after = calendar.instantAt('2025-07-01', 12);
    expect(overdueOf(params, after)).toEqual(walkedOverdue(params, after));
  });
});
