/**
 * The floor worker of the scale bench: runs the no-op workflows on its task queue until SIGINT, with the SDK's
 * defaults or, given CACHED, at most that many workflows in its cache. Usage: noop-worker.ts ADDRESS TASK_QUEUE [CACHED]
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const [address, taskQueue, cached] = process.argv.slice(2);
  if (!address || !taskQueue || (cached !== undefined && !(Number(cached) > 0))) throw new Error('usage: noop-worker.ts ADDRESS TASK_QUEUE [CACHED]');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection, taskQueue, workflowsPath: new URL('./bench-workflows.ts', import.meta.url).pathname,
    activities: { noop: async () => undefined }, ...(cached ? { maxCachedWorkflows: Number(cached) } : {}),
  });
  const running = worker.run();
  console.log('noop worker: polling');
  await running;
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
