/**
 * The reports of large plans, built in the background and kept. A report needs every item's status (titles, last
 * remarks, completion times): built on request, a 10,000-item plan's took 115 s and 88 s of the worker's CPU, longer
 * than a browser or a proxy waits, and again on every click. Now the first request starts a build and is told to come
 * back; later ones get the kept report with its time, and one older than {@link reportTtlMs} is rebuilt behind it.
 */
import { errorSummary } from '../error-summary.ts';
import type { PlanReport } from './report-stats.ts';

/** How long a kept report is served before a request starts building the next. */
export const reportTtlMs = 10 * 60_000;

/** A report and when its build started (epoch ms): it shows the items as they were from then on. */
export interface KeptReport {
  readonly report: PlanReport;
  readonly at: number;
}

/** What a plan's report page can show now. */
export interface ReportState {
  readonly kept?: KeptReport;
  /** A newer report is being built. */
  readonly building: boolean;
}

export interface ReportCache {
  /** The plan's kept report; starts building one when there is none or it is old (never two at once). */
  state(planId: string): ReportState;
  /** Resolves once the build in progress (if any) has ended, built or failed. */
  settled(planId: string): Promise<void>;
}

export function createReportCache(build: (planId: string) => Promise<PlanReport>, now: () => number, ttlMs = reportTtlMs): ReportCache {
  const kept = new Map<string, KeptReport>();
  const building = new Map<string, Promise<void>>();
  const start = (planId: string) => {
    const at = now();
    const done = build(planId)
      .then((report) => void kept.set(planId, { report, at }))
      // The next request tries again; until then the kept report (if any) is served.
      .catch((err: unknown) => console.error(`console: the report of plan ${planId} failed`, errorSummary(err)))
      .finally(() => building.delete(planId));
    building.set(planId, done);
  };
  return {
    state(planId) {
      const report = kept.get(planId);
      if ((!report || now() - report.at >= ttlMs) && !building.has(planId)) start(planId);
      return { ...(report ? { kept: report } : {}), building: building.has(planId) };
    },
    settled: (planId) => building.get(planId) ?? Promise.resolve(),
  };
}
