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
  /** Where 办结材料 (files sent with confirmations) are kept, one file per SHA-256: `DATA_DIR/attachments`. */
  readonly attachmentsDir: string;
  /** SMTP_URL, e.g. `smtp://127.0.0.1:1025` or `smtps://user:pass@mail.example:465`. */
  readonly smtpUrl?: string;
  /** MAIL_FROM, e.g. `督办系统 <duban@xinfang.example>`. */
  readonly mailFrom?: string;
  /** PUBLIC_URL: the base of every action link and console URL. */
  readonly publicUrl?: string;
  /** WEB_HOST and WEB_PORT the web server listens on (default 127.0.0.1:8080). */
  readonly webHost: string;
  readonly webPort: number;
  /** LINK_KEYS: `kid:secret,…`, the first signs. Kept as text; the link signer checks it. */
  readonly linkKeys?: string;
  /**
   * ASSIGNMENT_BATCH_SECONDS: how long (workflow time) a unit's 交办通知 wait for more before going out as one mail;
   * unset leaves the choice to the caller (a worker waits 120 s, `duban dev` 10 s); 0 mails each at once.
   */
  readonly assignmentBatchMs?: number;
  /**
   * REMINDER_COALESCE_MS: how long (real time, in the worker) a unit's 提醒/催办 and 超期通知 of one instant wait for
   * each other before going out as one mail; unset: 300 ms; 0 mails each on its own.
   */
  readonly reminderCoalesceMs?: number;
  /** DUBAN_NOTIFY=outbox records notices in the outbox file instead of mailing them (tests, rehearsals). */
  readonly notify: 'email' | 'outbox';
  /**
   * WORKER_CACHED_WORKFLOWS and WORKER_WORKFLOW_HEAP_MB: how many workflows a worker keeps in memory between tasks,
   * and the heap of the thread that runs them; unset: the measured defaults in `worker/create-worker.ts`.
   */
  readonly workerMemory: { readonly cachedWorkflows?: number; readonly workflowHeapMb?: number };
}

/** Variables a command cannot do without. */
export type RequiredVariable = 'SMTP_URL' | 'MAIL_FROM' | 'PUBLIC_URL' | 'LINK_KEYS';

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
    attachmentsDir: join(dataDir, 'attachments'),
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: nonEmpty(env.MAIL_FROM),
    publicUrl: env.PUBLIC_URL ? checkedUrl('PUBLIC_URL', env.PUBLIC_URL) : undefined,
    webHost: nonEmpty(env.WEB_HOST) ?? '127.0.0.1',
    webPort: env.WEB_PORT ? checkedPort('WEB_PORT', env.WEB_PORT) : 8080,
    linkKeys: nonEmpty(env.LINK_KEYS),
    notify: env.DUBAN_NOTIFY === 'outbox' ? 'outbox' : 'email',
    assignmentBatchMs: env.ASSIGNMENT_BATCH_SECONDS ? checkedSeconds('ASSIGNMENT_BATCH_SECONDS', env.ASSIGNMENT_BATCH_SECONDS) * 1000 : undefined,
    reminderCoalesceMs: env.REMINDER_COALESCE_MS ? checkedWhole('REMINDER_COALESCE_MS', env.REMINDER_COALESCE_MS, 0, 60_000, ' of milliseconds') : undefined,
    workerMemory: {
      cachedWorkflows: env.WORKER_CACHED_WORKFLOWS ? checkedWhole('WORKER_CACHED_WORKFLOWS', env.WORKER_CACHED_WORKFLOWS, 1, 100_000) : undefined,
      workflowHeapMb: env.WORKER_WORKFLOW_HEAP_MB ? checkedWhole('WORKER_WORKFLOW_HEAP_MB', env.WORKER_WORKFLOW_HEAP_MB, 64, 16_384) : undefined,
    },
  };
}

/** Fails naming every variable of `names` that is missing, so a production start stops before doing anything. */
export function requireVariables(env: DubanEnvironment, names: readonly RequiredVariable[]): void {
  const values: Record<RequiredVariable, unknown> = { SMTP_URL: env.smtpUrl, MAIL_FROM: env.mailFrom, PUBLIC_URL: env.publicUrl, LINK_KEYS: env.linkKeys };
  const missing = names.filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new EnvironmentError(`missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (see .env.example)`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function checkedUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return value.replace(/\/+$/, '');
  } catch {
    throw new EnvironmentError(`${name} must be an http(s) URL, got "${value}"`);
  }
}

function checkedPort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EnvironmentError(`${name} must be a port number 0–65535, got "${value}"`);
  return port;
}

function checkedSeconds(name: string, value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || seconds > 86_400) throw new EnvironmentError(`${name} must be a number of seconds from 0 to 86400, got "${value}"`);
  return seconds;
}

function checkedWhole(name: string, value: string, min: number, max: number, unit = ''): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new EnvironmentError(`${name} must be a whole number${unit} from ${min} to ${max}, got "${value}"`);
  return n;
}
