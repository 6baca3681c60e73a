/** Large plans' reports, built in the background: one build at a time, the kept one served while young and while the next is built, a failure tried again. */
import { describe, expect, it, vi } from 'vitest';
import { createReportCache } from '../web/console/report-cache.ts';
import type { PlanReport } from '../web/console/report-stats.ts';

const reportNumbered = (n: number) => ({ total: { onTime: n } }) as unknown as PlanReport;

function builds() {
  const pending: { resolve: (r: PlanReport) => void; reject: (e: Error) => void }[] = [];
  const build = vi.fn((_planId: string) => new Promise<PlanReport>((resolve, reject) => pending.push({ resolve, reject })));
  return { build, pending };
}

describe('the report cache', () => {
  it('builds once for requests made meanwhile, then serves the report until it is old, and builds the next behind it', async () => {
    let clock = 1_000;
    const { build, pending } = builds();
    const cache = createReportCache(build, () => clock, 10_000);
    expect(cache.state('a')).toEqual({ building: true });
    expect(cache.state('a')).toEqual({ building: true });
    expect(build).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(reportNumbered(1));
    await cache.settled('a');
    clock = 10_999;
    expect(cache.state('a')).toEqual({ kept: { report: reportNumbered(1), at: 1_000 }, building: false });
    clock = 11_000;
    expect(cache.state('a')).toEqual({ kept: { report: reportNumbered(1), at: 1_000 }, building: true });
    expect(build).toHaveBeenCalledTimes(2);
    pending[1]!.resolve(reportNumbered(2));
    await cache.settled('a');
    expect(cache.state('a')).toEqual({ kept: { report: reportNumbered(2), at: 11_000 }, building: false });
  });

  it('keeps the last report through a failed build and tries again on the next request', async () => {
    let clock = 0;
    const { build, pending } = builds();
    const cache = createReportCache(build, () => clock, 10_000);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    cache.state('a');
    pending[0]!.reject(new Error('visibility unavailable'));
    await cache.settled('a');
    expect(logged).toHaveBeenCalledOnce();
    expect(cache.state('a')).toEqual({ building: true });
    pending[1]!.resolve(reportNumbered(1));
    await cache.settled('a');
    clock = 20_000;
    cache.state('a');
    pending[2]!.reject(new Error('again'));
    await cache.settled('a');
    expect(cache.state('a').kept?.report).toEqual(reportNumbered(1));
    logged.mockRestore();
  });
});
