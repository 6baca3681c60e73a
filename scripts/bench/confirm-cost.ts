/**
 * What one confirmation costs beside a no-op update, with every workflow in its worker's cache (no replay): through
 * the link (the web app's POST, served here as `npm run bench` serves it) and as the update alone, its latency, and
 * where its workflow tasks' time goes (waiting for a worker to take them, then in the worker) and what they write.
 * Both workers run as child processes, as in `npm run bench`: `duban worker` (mailing to a counting SMTP sink) and
 * the no-op floor worker, whose workflows answer a no-op update, one that also starts a no-op activity (as a
 * confirmation mailed 督查室 at once), one that also upserts a search attribute (as a confirmation shows the item's
 * new state), and one that upserts without the activity (a confirmation whose 完成确认 waits for its plan's round, as
 * these items' do). The six are called side by side in six rounds, 8 at a time (which goes first rotating), and
 * each process's CPU time in each one's passes is read from /proc.
 * Run: `npm run bench:confirm [-- --items 300]` (a minute or two, on a fresh dev server).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type proto from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { eachLimited } from '../../activities/temporal-reads.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import { readEnvironment } from '../../config/environment.ts';
import { freePorts } from '../../test/helpers/duban-cli.ts';
import { startDevServer } from '../../test/helpers/temporal-servers.ts';
import { buildWebApp } from '../../web/build-app.ts';
import { LinkSigner, parseLinkKeys } from '../../web/links/link-token.ts';
import { startWebServer } from '../../web/server.ts';
import { identityAttributes, openingStart } from '../../workflows/deliverable-attributes.ts';
import { confirmUpdate, deliverableWorkflowId, statusQuery } from '../../workflows/definitions.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { dueFromToday } from './synthetic-plan.ts';
import { pingAndNotifyUpdate, pingAndShowUpdate, pingNotifyAndShowUpdate, pingUpdate } from './bench-workflows.ts';
import { startChild, stopChild } from './child-processes.ts';
import { interleaved, interleavedRounds, pct, type Timed } from './interleaved-calls.ts';
import { childPidNamed, cpuProbe } from './process-cpu.ts';
import { startCountingSmtp } from './counting-smtp.ts';
import { eventMs } from './start-timeline.ts';

const root = new URL('../../', import.meta.url).pathname;
const concurrency = 8; // as the scale bench's link confirmations
const sampled = 60;

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '300' } } });
  const items = Number(values.items);
  if (!Number.isInteger(items) || items < interleavedRounds || items > 5_000) throw new Error(`--items must be a whole number from ${interleavedRounds} to 5000, not "${values.items}"`);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const loaded = await loadPlanFile(join(root, 'config/plans/xinfang-2015.yaml'));
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  // Due in a month whatever the day, in notice rounds, as the items of a plan of thousands are.
  const plan = dueFromToday(loaded.plan, () => 30);
  const server = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  const smtp = await startCountingSmtp();
  const dataDir = await mkdtemp(join(tmpdir(), 'duban-confirm-cost-'));
  const children: ChildProcess[] = [];
  const webPort = (await freePorts(1))[0]!;
  let web: Awaited<ReturnType<typeof startWebServer>> | undefined;
  try {
    const env = {
      ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir, SMTP_URL: smtp.url,
      MAIL_FROM: '督办系统 <duban@bench.example>', PUBLIC_URL: `http://127.0.0.1:${webPort}`, LINK_KEYS: `bench:${randomBytes(32).toString('hex')}`,
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      // Room for every item (duban's default of 500 would evict the first of 600 and replay them on confirmation).
      WORKER_CACHED_WORKFLOWS: String(Math.max(500, 2 * items + 100)),
    };
    // BENCH_WORKER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles duban's worker, as in `npm run bench`.
    const workerNodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    await startChild(children, [...workerNodeArgs, join(root, 'bin/duban.js'), 'worker'], env, /polling task queue/);
    await startChild(children, ['--import', 'tsx', join(root, 'scripts/bench/noop-worker.ts'), server.address, 'bench-noop'], env, /polling/);
    const { client } = server;
    web = await startWebServer(buildWebApp({ client, env: readEnvironment(env), plans: [plan], now: Date.now }).app, '127.0.0.1', webPort);
    const item = (i: number) => plan.deliverables[i % plan.deliverables.length]!;
    // Each deliverable's lead unit, worked out once: a timed call only looks it up.
    const leads = new Map(plan.deliverables.map((d) => [d.id, deliverableInput(plan, d.id).units[0]!.unitId]));
    const unitOf = (i: number) => leads.get(item(i).id)!;
    // Items 0 … items-1 are confirmed through their link, items … 2·items-1 by the update alone.
    await eachLimited(range(2 * items), 16, async (i) => {
      const workflowId = `confirm-cost/${i}`;
      const { input, attributes, memo } = openingStart(workflowId, { ...deliverableInput(plan, item(i).id), noticeRounds: true }, Date.now());
      await client.workflow.start('deliverableWorkflow', {
        taskQueue: 'duban', workflowId, args: [input], ...(memo ? { memo } : {}),
        typedSearchAttributes: [...identityAttributes(input), ...attributes],
      });
    });
    // Four ways of no-op workflows, items each.
    await eachLimited(range(4 * items), 16, async (i) => {
      await client.workflow.start('noopWorkflow', { taskQueue: 'bench-noop', workflowId: `confirm-cost-noop/${i}` });
    });
    // Each has run its first task and sits in its worker's cache.
    await eachLimited(range(4 * items), concurrency, async (i) => {
      if (i < 2 * items) await client.workflow.getHandle(`confirm-cost/${i}`).query(statusQuery);
      await client.workflow.getHandle(`confirm-cost-noop/${i}`).executeUpdate(pingUpdate, { args: ['warm'] });
    });

    const signer = new LinkSigner(parseLinkKeys(env.LINK_KEYS));
    const link = async (i: number) => {
      const token = signer.mint({ workflowId: deliverableWorkflowId('confirm-cost', String(i)), unitId: unitOf(i), action: 'confirm', expiresAt: Date.now() + 3_600_000 });
      const response = await fetch(`http://127.0.0.1:${webPort}/a/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'note=bench' });
      await response.text();
      if (response.status !== 200) throw new Error(`the link of item ${i} answered ${response.status}`);
    };
    const noopUpdate = (update: UpdateDefinition<string, [string]>, offset: number) => (i: number) =>
      client.workflow.getHandle(`confirm-cost-noop/${offset + i}`).executeUpdate(update, { args: [`x${i}`] });
    // Each way's call for item i, and the workflow it lands on (whose history tells its tasks).
    const ways = [
      { name: 'confirm via link (duban)', call: link, workflowId: (i: number) => `confirm-cost/${i}` },
      {
        name: 'confirm update alone (duban)', workflowId: (i: number) => `confirm-cost/${items + i}`,
        call: (i: number) => client.workflow.getHandle(`confirm-cost/${items + i}`).executeUpdate(confirmUpdate, { args: [{ unitId: unitOf(items + i) }] }),
      },
      { name: 'ping update (no-op)', call: noopUpdate(pingUpdate, 0), workflowId: (i: number) => `confirm-cost-noop/${i}` },
      { name: 'ping update starting one no-op activity', call: noopUpdate(pingAndNotifyUpdate, items), workflowId: (i: number) => `confirm-cost-noop/${items + i}` },
      // A confirmation also shows the item's new state in visibility, where the traffic lights read it.
      {
        name: 'ping update starting one no-op activity and upserting one search attribute', call: noopUpdate(pingNotifyAndShowUpdate, 2 * items),
        workflowId: (i: number) => `confirm-cost-noop/${2 * items + i}`,
      },
      // Held for its plan's round, a confirmation starts no mail: one task and one upsert.
      { name: 'ping update upserting one search attribute (no activity)', call: noopUpdate(pingAndShowUpdate, 3 * items), workflowId: (i: number) => `confirm-cost-noop/${3 * items + i}` },
    ];
    // Each process's CPU in each way's passes: the two workers, the dev server, and this bench.
    const probe = cpuProbe({ worker: children[0]?.pid, floorWorker: children[1]?.pid, server: childPidNamed('temporal'), bench: process.pid });
    const timed = await interleaved(0, items, ways.map((w) => w.call), concurrency, probe);

    // Spread over every round, so no phase's place in the order weighs on its sample.
    const sample = range(Math.min(sampled, items)).map((k) => Math.floor((k * items) / Math.min(sampled, items)));
    const tasks: Awaited<ReturnType<typeof updateTasks>>[] = [];
    for (const way of ways) tasks.push(await updateTasks(client, sample.map(way.workflowId)));
    console.log(`\n${items} cached items and no-op workflows per way, ${concurrency} at a time, ${interleavedRounds} rounds interleaved; tasks from ${sample.length} histories each:\n`);
    console.log('| call | p50 / p90 / p99 | workflow tasks from the update on | waiting for a worker (mean) | in the worker (mean) | events written |');
    console.log('|---|---|---|---|---|---|');
    ways.forEach((way, k) => console.log(`| ${way.name} | ${percentiles(timed[k]!.times)} | ${tasks[k]!.summary} |`));
    console.log(`\nconfirm's events, from its workflow task on (most common): ${tasks[1]!.commonEvents}`);
    printCpu(ways.map((w) => w.name), timed);
  } finally {
    await web?.close();
    // Stopped as a worker is (a profile asked for is written then).
    await Promise.all(children.map(stopChild));
    await smtp.close();
    await server.teardown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** CPU per call by process, when /proc could be read all through. */
function printCpu(names: readonly string[], timed: readonly Timed[]): void {
  if (timed.some((t) => t.counted === undefined)) return console.log('\n(no CPU figures: /proc could not be read)');
  console.log('\nCPU per call (ms; a pass also carries what the pass before it left running: its last activities and tasks):\n');
  console.log('| call | both workers | dev server | bench (clients, web app, SMTP sink) |');
  console.log('|---|---|---|---|');
  timed.forEach(({ counted, times }, k) => {
    const per = (ms: number) => (ms / times.length).toFixed(1);
    console.log(`| ${names[k]} | ${per(counted!.worker! + counted!.floorWorker!)} | ${per(counted!.server!)} | ${per(counted!.bench!)} |`);
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function percentiles(times: readonly number[]): string {
  return `${[50, 90, 99].map((p) => pct(times, p).toFixed(0)).join(' / ')} ms`;
}

/**
 * The workflow tasks from each history's last update on (the update's own, then any its commands caused, e.g. an
 * activity's completion): how many, how long each waited to be taken and ran, and the events written.
 */
async function updateTasks(client: Client, workflowIds: readonly string[]) {
  let tasks = 0;
  let waited = 0;
  let ran = 0;
  let events = 0;
  const sequences = new Map<string, number>();
  for (const workflowId of workflowIds) {
    const history = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const accepted = history.map((e) => Boolean(e.workflowExecutionUpdateAcceptedEventAttributes)).lastIndexOf(true);
    // The update's task: scheduled, started, completed just before its acceptance.
    const from = accepted - 3;
    if (from < 0) continue;
    const tail = history.slice(from);
    events += tail.length;
    const name = (e: HistoryEvent) => Object.keys(e).find((k) => k.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '') ?? '?';
    const sequence = tail.map(name).join(' ');
    sequences.set(sequence, (sequences.get(sequence) ?? 0) + 1);
    for (let i = 0; i < tail.length; i++) {
      if (!tail[i]!.workflowTaskScheduledEventAttributes) continue;
      const started = tail.findIndex((e, k) => k > i && e.workflowTaskStartedEventAttributes);
      const completed = tail.findIndex((e, k) => k > started && e.workflowTaskCompletedEventAttributes);
      if (started < 0 || completed < 0) continue;
      tasks += 1;
      waited += eventMs(tail[started]!) - eventMs(tail[i]!);
      ran += eventMs(tail[completed]!) - eventMs(tail[started]!);
    }
  }
  const n = workflowIds.length;
  const commonEvents = [...sequences].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '—';
  return { summary: `${(tasks / n).toFixed(1)} | ${(waited / tasks).toFixed(1)} ms | ${(ran / tasks).toFixed(1)} ms | ${(events / n).toFixed(1)}`, commonEvents };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
