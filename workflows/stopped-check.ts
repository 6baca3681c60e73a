/** The plan's look at deliverables Temporal stopped (terminated, failed): marks them and says which are new. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { DeliverableSummary, StoppedDeliverable } from './definitions.ts';

// A failed look is only a missed look: the next one comes a day later, so no long retries.
const { findStoppedDeliverables } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

/**
 * How often the plan looks, in plan time, unless its input says otherwise: weekly, like the digest. (Daily looks
 * stalled the time-skipping year simulation; the console and `duban status` show a stop at once regardless.)
 */
export const stoppedCheckEveryMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Looks once and updates the summaries in place (status 已终止/失败, red light); returns the summaries that changed,
 * so 督查室 is alerted once per stop, not every day.
 */
export async function markStoppedDeliverables(planId: string, summaries: Record<string, DeliverableSummary>): Promise<DeliverableSummary[]> {
  let found: StoppedDeliverable[];
  try {
    found = await findStoppedDeliverables(planId);
  } catch {
    return [];
  }
  const fresh: DeliverableSummary[] = [];
  for (const { deliverableId, status } of found) {
    const summary = summaries[deliverableId];
    if (!summary || summary.status === status) continue;
    summaries[deliverableId] = { ...summary, status, light: 'red' };
    fresh.push(summaries[deliverableId]);
  }
  return fresh;
}
