/** The one place that reads the environment: parsed once, checked, handed to whoever needs it. */
import { join, resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';

/** Settings every duban process shares. */
export interface DubanEnvironment {
  /** Temporal connection in the SDK's own conventions: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*. */
  readonly temporal: { readonly connectionOptions: ClientConnectConfig['connectionOptions']; readonly namespace: string };
  /** DATA_DIR: where the dev stack keeps its files (SQLite, outbox); defaults to `.data/` in the working directory. */
  readonly dataDir: string;
  /** Where the recording sink writes delivered notices (JSON lines). */
  readonly outboxFile: string;
}

/** A variable that is present but wrong, named with what is expected of it. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** Parses the environment; unset Temporal settings fall back to the local dev server (localhost:7233, namespace default). */
export function readEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): DubanEnvironment {
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  let config: ClientConnectConfig;
  try {
    config = loadClientConnectConfig({ overrideEnvVars: defined });
  } catch (err) {
    throw new EnvironmentError(`Temporal connection settings: ${(err as Error).message}`);
  }
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  return {
    temporal: {
      connectionOptions: { ...config.connectionOptions, address: config.connectionOptions.address ?? 'localhost:7233' },
      namespace: config.namespace ?? 'default',
    },
    dataDir,
    outboxFile: join(dataDir, 'outbox.jsonl'),
  };
}
