/**
 * What one workflow start costs the server, by what the start carries: nothing (the start-rate floor), a plan item's
 * search attributes, its round publication in the memo, its input, and all of them as the plan's start activity sends
 * them. Each variant starts 500 workflows (no worker: only the start is measured) at the plan's start concurrency, the
 * variants interleaved over three rounds, on a fresh dev server. Run: `npm run bench:start`.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { WorkflowStartOptions } from '@temporalio/client';
import { startLanes } from '../../activities/plan-activities.ts';
import { eachLimited } from '../../activities/temporal-reads.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { startDevServer } from '../../test/helpers/temporal-servers.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { dueFromToday } from './synthetic-plan.ts';
import { itemStartRequests } from './item-start-request.ts';

const starts = 500;
const concurrency = startLanes; // the plan's starts in flight at most: its worker's start lanes
const rounds = 3;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  // Due in a month whatever the day, so an item publishes its first 提醒 ahead as a plan in rounds does.
  const plan = dueFromToday(loaded.plan, () => 30);
  const requestFor = itemStartRequests(plan, { noticeRounds: true });
  const opening = (i: number) => requestFor(plan.deliverables[i % plan.deliverables.length]!.id, Date.now());
  const variants: Record<string, (i: number) => Partial<WorkflowStartOptions>> = {
    'bare (the floor)': () => ({}),
    'search attributes': (i) => ({ typedSearchAttributes: opening(i).typedSearchAttributes }),
    'memo (round publication)': (i) => ({ memo: opening(i).memo }),
    'input': (i) => ({ args: opening(i).args }),
    'all, as the plan starts items': (i) => opening(i),
  };
  if (!opening(0).memo) console.log('note: no 提醒 lies ahead of today, so the starts carry no round publication (run before mid-December)');
  const server = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  try {
    const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, make] of Object.entries(variants)) {
        const began = performance.now();
        await eachLimited(Array.from({ length: starts }, (_, i) => i), concurrency, async (i) => {
          await server.client.workflow.start('notRun', { taskQueue: 'start-cost', workflowId: `${name}/${round}/${i}`, ...make(i) });
        });
        times.get(name)!.push((performance.now() - began) / starts);
        process.stdout.write('.');
      }
    }
    console.log(`\n${starts} starts per variant and round, ${concurrency} in flight, ${rounds} rounds interleaved:\n`);
    console.log('| start carries | ms per start, each round | mean vs bare |\n|---|---|---|');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bare = mean(times.get('bare (the floor)')!);
    for (const [name, ms] of times) console.log(`| ${name} | ${ms.map((m) => m.toFixed(2)).join(' / ')} | ${(mean(ms) / bare).toFixed(2)}× |`);
  } finally {
    await server.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
