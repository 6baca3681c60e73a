/**
 * Temporal's floor for the start request duban sends: no-op workflows started with an item's very input, memo and
 * search attributes, in chunks that alternate with bare no-op starts (bare, full, full, bare, …) so both meet the
 * same server and the same minute of the box. What the request alone costs on this server, apart from what duban's
 * workflows and activities then do.
 */
import type { Client } from '@temporalio/client';
import { eachLimited } from '../../activities/temporal-reads.ts';
import type { Plan } from '../../config/plan-schema.ts';
import { itemStartRequests } from './item-start-request.ts';

const chunk = 250;

/** Starts/s of bare and of full-request no-op starts, `count` of each, `concurrency` in flight, on `taskQueue`. */
export async function requestFloor(client: Client, plan: Plan, taskQueue: string, count: number, concurrency: number): Promise<{ bare: number; full: number }> {
  // Under a plan id of their own, so no count or listing of the plan's items finds them.
  const floorPlan = { ...plan, id: `${plan.id}-request-floor` };
  const requestFor = itemStartRequests(floorPlan);
  const seconds = { bare: 0, full: 0 };
  const chunks = Math.ceil((2 * count) / chunk);
  for (let c = 0; c < chunks; c++) {
    const kind = c % 4 === 0 || c % 4 === 3 ? 'bare' : 'full';
    const first = Math.floor(c / 2) * chunk;
    const ids = Array.from({ length: Math.min(chunk, count - first) }, (_, k) => first + k);
    const began = performance.now();
    await eachLimited(ids, concurrency, async (i) => {
      const request = kind === 'full' ? requestFor(floorPlan.deliverables[i % floorPlan.deliverables.length]!.id, Date.now()) : {};
      await client.workflow.start('noopWorkflow', { taskQueue, workflowId: `request-floor-${kind}-${i}`, ...request });
    });
    seconds[kind] += (performance.now() - began) / 1000;
  }
  return { bare: count / seconds.bare, full: count / seconds.full };
}
