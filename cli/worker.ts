/** `duban worker`: runs duban's workflows and activities on the task queue until SIGINT or SIGTERM. */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { planSnapshotDir } from '../activities/plan-snapshots.ts';
import type { DubanEnvironment } from '../config/environment.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import { registerSearchAttributes, searchAttributeFlags } from '../worker/register-search-attributes.ts';
import { taskQueue } from '../workflows/definitions.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { connectTemporal } from './temporal.ts';
import { CommandError } from './usage-error.ts';

const command = 'worker';

/** Runs `duban worker` until the process is asked to stop (the SDK shuts the worker down on SIGINT/SIGTERM); returns the exit code. */
export async function worker(args: string[], env: DubanEnvironment, out = console.log, err = console.error): Promise<number> {
  positionals(command, parseCommandArgs(command, args, {}).positionals, []);
  let notices: ReturnType<typeof notificationSinkFor>;
  try {
    notices = notificationSinkFor(env);
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error), 2);
  }
  // The SDK's INFO output buries duban's own lines; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const session = await connectTemporal(env);
  try {
    try {
      await registerSearchAttributes(session.connection, session.namespace);
    } catch (error) {
      // A cluster or Temporal Cloud may not let a worker change the namespace: an operator adds them once.
      err(`duban worker: warning: could not register search attributes (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        `\`duban status\` needs them; an operator adds them once with: ${operatorCommand(session.namespace)}`);
    }
    const running = await createDubanWorker({ connection: session.connection, namespace: session.namespace, sink: notices.sink, snapshotDir: planSnapshotDir(env.dataDir), assignmentBatchMs: env.assignmentBatchMs, memory: env.workerMemory, log: (line) => out(`duban worker: ${line}`) });
    const done = running.run();
    out(`duban worker: polling task queue "${taskQueue}" on ${session.address} (namespace ${session.namespace}); ${notices.describe}`);
    await done;
    out('duban worker: stopped');
    return 0;
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** The Temporal CLI command that registers duban's search attributes, for an operator to run. */
function operatorCommand(namespace: string): string {
  const pairs = searchAttributeFlags().filter((flag) => flag !== '--search-attribute').map((pair) => pair.split('='));
  return `temporal operator search-attribute create --namespace ${namespace} ${pairs.map(([name, type]) => `--name ${name} --type ${type}`).join(' ')}`;
}
