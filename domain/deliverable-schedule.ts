/** When a deliverable's automatic notices fall: reminders before the due date, overdue notices and escalations after it. */
import type { Policy } from '../config/plan-schema.ts';
import type { IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** A level of the escalation ladder with the working days overdue at which it starts. */
export interface LadderLevel {
  readonly level: number;
  readonly threshold: number;
  readonly recipientIds: readonly string[];
}

/** One automatic notice at its instant (plan-time epoch milliseconds, always a working day at the send hour). */
export type ScheduledNotice =
  | { readonly at: number; readonly kind: 'reminder'; readonly stage: '提醒' | '催办'; readonly workingDaysLeft: number }
  | { readonly at: number; readonly kind: 'overdue'; readonly workingDaysOverdue: number }
  | { readonly at: number; readonly kind: 'escalation'; readonly level: number; readonly workingDaysOverdue: number };

/**
 * The ladder as it applies to one deliverable: a level whose every recipient is itself responsible for the
 * item cannot supervise it, so it is skipped and its threshold passes to the next level (a 督查室-led item
 * goes straight to leadership).
 */
export function effectiveLadder(levels: readonly LadderLevel[], responsibleUnitIds: readonly string[]): LadderLevel[] {
  const ladder: LadderLevel[] = [];
  let carried: number | undefined;
  for (const level of levels) {
    if (level.recipientIds.every((id) => responsibleUnitIds.includes(id))) {
      carried ??= level.threshold;
      continue;
    }
    ladder.push({ ...level, threshold: Math.min(carried ?? level.threshold, level.threshold) });
    carried = undefined;
  }
  return ladder;
}

/** What the schedule depends on. */
export interface ScheduleParams {
  readonly calendar: WorkingDayCalendar;
  readonly due: IsoDate;
  readonly policy: Pick<Policy, 'reminderOffsets' | 'sendHour' | 'overdueRepeatEvery'>;
  readonly ladder: readonly LadderLevel[];
  /** Escalation level already reached; automatic escalation only goes higher. */
  readonly currentLevel: number;
  /** Automatic escalation waits until this instant (the lead's hold, 已签收·正在办理); absent: no hold. */
  readonly escalationNotBefore?: number;
}

/** The working day on which the item counts as overdue: the first working day after its (working-day) due date. */
export function firstOverdueDay(calendar: WorkingDayCalendar, due: IsoDate): IsoDate {
  return calendar.nextWorkingDay(calendar.onOrAfter(due));
}

/** Working days overdue on `day`: 1 on the first working day after the (working-day) due date, as a notice says. */
export function workingDaysOverdue(calendar: WorkingDayCalendar, due: IsoDate, day: IsoDate): number {
  return calendar.workingDaysBetween(calendar.onOrAfter(due), day);
}

/**
 * The earliest automatic notices strictly after `after`, all those sharing that instant (an overdue notice and
 * an escalation often coincide); empty when nothing more is scheduled.
 */
export function nextScheduledNotices(params: ScheduleParams, after: number): ScheduledNotice[] {
  const { calendar, policy } = params;
  const at = (date: IsoDate) => calendar.instantAt(date, policy.sendHour);
  const due = calendar.onOrAfter(params.due);
  const candidates: ScheduledNotice[] = [];

  policy.reminderOffsets.forEach((offset, i) => {
    const instant = at(calendar.addWorkingDays(due, -offset));
    if (instant > after) candidates.push({ at: instant, kind: 'reminder', stage: i === 0 ? '提醒' : '催办', workingDaysLeft: offset });
  });

  const overdueStart = firstOverdueDay(calendar, due);
  candidates.push(nextOverdueNotice(calendar, due, overdueStart, policy, after));

  // A level whose time passed without it being reached (the item started late, or an extension was undone)
  // is caught up at the next send slot rather than lost. Only the lowest pending level is offered.
  const pending = params.ladder.find((level) => level.level > params.currentLevel);
  if (pending) {
    const instant = Math.max(at(calendar.addWorkingDays(overdueStart, pending.threshold)), nextSendInstant(calendar, policy.sendHour, after), params.escalationNotBefore ?? 0);
    candidates.push({ at: instant, kind: 'escalation', level: pending.level, workingDaysOverdue: workingDaysOverdue(calendar, due, calendar.dateOf(instant)) });
  }

  const earliest = Math.min(...candidates.map((c) => c.at));
  return candidates.filter((c) => c.at === earliest);
}

/**
 * Overdue notices repeat until the item closes, but widen so a long-overdue item does not mail the same units every
 * week for months: the gap doubles after each repeat, up to four times the cadence (5 → 5, 10, 20, 20 … working
 * days). The digest lists every overdue item in between. Only the first one after `after` matters, and it is found
 * by arithmetic, not by walking the past repeats, so an item ten years overdue costs what an item a day overdue costs.
 */
function nextOverdueNotice(calendar: WorkingDayCalendar, due: IsoDate, overdueStart: IsoDate, policy: ScheduleParams['policy'], after: number): ScheduledNotice {
  const widest = policy.overdueRepeatEvery * 4;
  const afterDate = calendar.dateOf(after);
  // Working days from the first overdue day to the day of `after`: repeats up to there are passed over in one step.
  const reach = afterDate > overdueStart ? calendar.workingDaysBetween(overdueStart, afterDate) : 0;
  let offset = 0;
  let gap = policy.overdueRepeatEvery;
  const widen = () => {
    offset += gap;
    gap = Math.min(gap * 2, widest);
  };
  while (gap < widest && offset + gap <= reach) widen();
  if (gap === widest && offset + gap <= reach) offset += Math.floor((reach - offset) / gap) * gap;
  for (;;) {
    const day = calendar.addWorkingDays(overdueStart, offset);
    const instant = calendar.instantAt(day, policy.sendHour);
    if (instant > after) return { at: instant, kind: 'overdue', workingDaysOverdue: workingDaysOverdue(calendar, due, day) };
    widen();
  }
}

/** The first send slot (a working day at the send hour) strictly after the instant. */
export function nextSendInstant(calendar: WorkingDayCalendar, sendHour: number, after: number): number {
  let day = calendar.onOrAfter(calendar.dateOf(after));
  while (calendar.instantAt(day, sendHour) <= after) day = calendar.nextWorkingDay(day);
  return calendar.instantAt(day, sendHour);
}
