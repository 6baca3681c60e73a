/**
 * Benchmark: history size and wall time of one deliverable over the 2015 plan year on the time-skipping server,
 * confirmed on time versus never confirmed (full escalation). Run: `npm run bench:history`.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { createActivities } from '../../activities/index.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import { registerSearchAttributes } from '../../worker/register-search-attributes.ts';
import { loadWorkflowBundle } from '../../worker/workflow-bundle.ts';
import { acceptUpdate, cancelUpdate, confirmUpdate } from '../../workflows/definitions.ts';
import { deliverableWorkflow } from '../../workflows/deliverable.ts';
import { startTimeSkippingServer } from '../../test/helpers/temporal-servers.ts';

const beijing = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' }).toMillis();

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('shipped plan invalid');
  const env = await startTimeSkippingServer();
  await registerSearchAttributes(env.connection, 'default');
  let notices = 0;
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowBundle: await loadWorkflowBundle(),
    activities: createActivities({ sink: { deliver: async () => void (notices += 1) } }),
  });
  const running = worker.run();

  const scenario = async (name: string, confirmAt?: string) => {
    notices = 0;
    const started = performance.now();
    const clockOffsetMs = beijing('2015-01-05T08:30') - (await env.currentTimeMs());
    const now = async () => (await env.currentTimeMs()) + clockOffsetMs;
    const input = { ...deliverableInput(loaded.plan, 'd04', { clockOffsetMs }), planWorkflowId: undefined };
    const handle = await env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue, workflowId: `bench/${randomUUID()}` });
    if (confirmAt) {
      await env.sleep(beijing(confirmAt) - (await now()));
      await handle.executeUpdate(confirmUpdate, { args: [{ unitId: 'zonghe' }] });
      await handle.executeUpdate(acceptUpdate, { args: [{ by: '督查室' }] });
    } else {
      await env.sleep(beijing('2015-12-31T18:00') - (await now()));
      await handle.executeUpdate(cancelUpdate, { args: [{ by: 'bench', reason: 'year over' }] });
    }
    await handle.result();
    const events = (await handle.fetchHistory()).events?.length ?? 0;
    const seconds = (performance.now() - started) / 1000;
    console.log(`${name.padEnd(52)} ${String(events).padStart(6)} events ${String(notices).padStart(4)} notices ${seconds.toFixed(1).padStart(6)} s`);
  };

  console.log('d04 组织实施 2014 年信访工作考核 (due 2015-03-31, 7 units), plan time 2015-01-05 → end');
  await scenario('confirmed 2015-03-20 and accepted', '2015-03-20T10:00');
  await scenario('never confirmed: full escalation until 2015-12-31');
  worker.shutdown();
  await running;
  await env.teardown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
