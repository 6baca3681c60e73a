/** The floor worker of the scale bench: runs the no-op workflows on its task queue until SIGINT. Usage: noop-worker.ts ADDRESS TASK_QUEUE */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const [address, taskQueue] = process.argv.slice(2);
  if (!address || !taskQueue) throw new Error('usage: noop-worker.ts ADDRESS TASK_QUEUE');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection, taskQueue, workflowsPath: new URL('./bench-workflows.ts', import.meta.url).pathname,
    activities: { noop: async () => undefined },
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
