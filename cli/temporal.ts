/** The CLI's way to Temporal: one connection from the environment, and the errors every command explains the same way. */
import { Client, isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { DubanEnvironment } from '../config/environment.ts';
import { CommandError } from './usage-error.ts';

/** An open client and what is needed to name and close it. */
export interface TemporalSession {
  readonly client: Client;
  readonly connection: NativeConnection;
  /** `host:port` the session talks to, for messages. */
  readonly address: string;
  readonly namespace: string;
  close(): Promise<void>;
}

/** Connects to the Temporal server the environment names; an unreachable server is a {@link CommandError} naming its address (exit 1). */
export async function connectTemporal(env: DubanEnvironment): Promise<TemporalSession> {
  const address = env.temporal.connectionOptions.address ?? 'localhost:7233';
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(env.temporal.connectionOptions);
  } catch (err) {
    throw unreachable(address, err);
  }
  const client = new Client({ connection, namespace: env.temporal.namespace });
  return { client, connection, address, namespace: env.temporal.namespace, close: () => connection.close() };
}

/** Runs `work` with a session that is closed afterwards, whatever happens. */
export async function withTemporal<T>(env: DubanEnvironment, work: (session: TemporalSession) => Promise<T>): Promise<T> {
  const session = await connectTemporal(env);
  try {
    return await work(session);
  } catch (err) {
    throw explainTemporalError(err, session);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Turns the Temporal errors a person can act on into one-line {@link CommandError}s: a workflow that does not exist
 * or a refused update (exit 2), a server that went away (exit 1). Anything else is returned unchanged.
 */
export function explainTemporalError(err: unknown, { address, namespace }: Pick<TemporalSession, 'address' | 'namespace'>): unknown {
  if (err instanceof CommandError) return err;
  if (err instanceof WorkflowNotFoundError) {
    const detail = firstLine(err.message);
    return new CommandError(`no running workflow "${err.workflowId}" in namespace ${namespace} on ${address}${detail ? ` (${detail})` : ''}`, 2);
  }
  if (err instanceof WorkflowUpdateFailedError) {
    // The validator's message (Chinese, with an English gloss) is the useful part; the wrapper only says "update failed".
    return new CommandError(`refused: ${firstLine(err.cause?.message ?? err.message)}`, 2);
  }
  if (isUnavailable(err)) return unreachable(address, err);
  return err;
}

function isUnavailable(err: unknown): boolean {
  const grpcUnavailable = 14;
  if (isGrpcServiceError(err)) return err.code === grpcUnavailable;
  if (err instanceof ServiceError) return isUnavailable(err.cause);
  return err instanceof Error && err.name === 'TransportError';
}

function unreachable(address: string, err: unknown): CommandError {
  const reason = err instanceof Error ? /message: "([^"]+)"/.exec(err.message)?.[1] ?? firstLine(err.message) : String(err);
  return new CommandError(`cannot reach the Temporal server at ${address}: ${reason}`, 1);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
