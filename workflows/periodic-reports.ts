/**
 * 定期报送 as a small pure sub-machine the DeliverableMachine calls: when the lead's next report is due, what a
 * missed one does (催报, 报送滞后) and what a report does (restarts the count, clears the lag). It keeps its own slice
 * of the deliverable's state; with no report policy it does nothing, as before reports existed.
 */
import { nextReportDeadline, reportCadenceText, reportMissing, reportsRequired, type ReportPolicy } from '../domain/report-schedule.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';

/** The report slice of a deliverable's state (plain JSON). */
export interface ReportingState {
  /** The instant the current report period began: the item's start or the previous deadline. */
  periodStart: number;
  /** The lead's last report (plan time). */
  lastReport?: number;
  /** True from a missed deadline until the next report (报送滞后). */
  lagging: boolean;
  /** Deadlines missed in a row. */
  missed: number;
}

/** A report deadline in the deliverable's schedule. */
export interface ReportDue {
  readonly at: number;
  readonly kind: 'report_due';
}

/** What a deadline did: nothing (the report came), or a 催报 to send with these facts. */
export type ReportDeadlineOutcome = { readonly remind: false } | { readonly remind: true; readonly missed: number; readonly lastReport?: number };

/** The periodic-report rules for one deliverable. */
export class PeriodicReports {
  constructor(private readonly calendar: WorkingDayCalendar, private readonly policy: ReportPolicy, private readonly leadUnitId: string) {}

  /** Whether this item reports periodically at all. */
  get active(): boolean {
    return reportsRequired(this.policy);
  }

  /** `每10个工作日`. */
  get cadence(): string {
    return reportCadenceText(this.policy);
  }

  /** The next deadline, or undefined when none (no policy, or no slice). May throw UncoveredYearError. */
  next(state: ReportingState | undefined): ReportDue | undefined {
    if (!state || !this.active) return undefined;
    const at = nextReportDeadline(this.calendar, this.policy, state.periodStart, state.lastReport);
    return at === undefined ? undefined : { at, kind: 'report_due' };
  }

  /** The deadline at `at` passed: a new period begins there; a missing report makes the item lag and asks for a 催报. */
  deadline(state: ReportingState, at: number): ReportDeadlineOutcome {
    const missing = reportMissing(this.policy, state.periodStart, state.lastReport);
    state.periodStart = Math.max(state.periodStart, at);
    if (!missing) {
      state.missed = 0;
      return { remind: false };
    }
    state.lagging = true;
    state.missed += 1;
    return { remind: true, missed: state.missed, lastReport: state.lastReport };
  }

  /** The item is open again after waiting for acceptance: periods missed meanwhile are not chased, the count starts now. */
  resume(state: ReportingState | undefined, now: number): void {
    if (state) state.periodStart = Math.max(state.periodStart, now);
  }

  /** A unit reported: the lead's report counts for the period (others' are recorded by the machine, not counted). */
  reported(state: ReportingState | undefined, unitId: string, now: number): void {
    if (!state || unitId !== this.leadUnitId) return;
    state.lastReport = now;
    state.lagging = false;
    state.missed = 0;
  }
}
