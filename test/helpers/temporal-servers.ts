/** Starts the real Temporal servers for tests, from the project's provisioned binaries (or the SDK download as a last resort). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DevServerConfig } from '@temporalio/testing';
import { devServerSettings } from '../../devtools/dev-server-settings.ts';
import { findCachedServer, provisionServer, ServerUnavailableError, type ServerKind } from '../../scripts/temporal-binaries.ts';

async function executableFor(kind: ServerKind) {
  const options = { env: process.env };
  const binary = findCachedServer(kind, options) ?? (await provisionServer(kind, options).catch(() => undefined));
  // On a machine with internet the SDK's own download is the last fallback.
  return binary ? { type: 'existing-path' as const, path: binary.path } : { type: 'cached-download' as const };
}

async function withClearFailure<T>(kind: ServerKind, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    throw new ServerUnavailableError(kind, [`starting the server failed: ${err instanceof Error ? err.message : String(err)}`]);
  }
}

/** The time-skipping test server: timers jump ahead whenever every workflow is waiting. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const executable = await executableFor('test-server');
  return withClearFailure('test-server', () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }));
}

/** The `temporal` CLI dev server on 127.0.0.1 as `duban dev` runs it (`devServerSettings`), optionally persisting to a SQLite file. */
export async function startDevServer(config: Omit<DevServerConfig, 'type' | 'executable'> = {}): Promise<TestWorkflowEnvironment> {
  const executable = await executableFor('dev-server');
  const extraArgs = [...devServerSettings({ onFile: config.dbFilename !== undefined }), ...(config.extraArgs ?? [])];
  return withClearFailure('dev-server', () =>
    TestWorkflowEnvironment.createLocal({ server: { ip: '127.0.0.1', ...config, extraArgs, executable } }),
  );
}
