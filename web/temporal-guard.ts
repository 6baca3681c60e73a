/**
 * Bounded waiting on Temporal for the web pages: a call that is still running after a moment is checked, and when
 * the server is away the page says so (503) within about 0.4–1.4 s — instead of the client's own retries holding the
 * request for 6–9 s. A server that is only slow (it still accepts connections) is waited on, up to a bound.
 */
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import { acceptsConnections, parseHostAndPort } from './accepts-connections.ts';

/** The Temporal server cannot be reached, or did not answer in time; pages answer 503 with a Chinese message. */
export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
  /**
   * `busy`: the server is reachable but gave no answer in time. `mayHaveLanded`: a change was sent before we gave
   * up on it, so it may still be recorded, and the person is told how to find out rather than that it failed.
   */
  constructor({ busy = false, mayHaveLanded = false }: { busy?: boolean; mayHaveLanded?: boolean } = {}) {
    super(`${busy ? '督办服务繁忙，暂时没有答复' : '督办服务暂时无法连接'}，请稍后再试。${mayHaveLanded ? '刚才的提交可能已经送达：稍后重新打开本页，即可看到是否已记录。' : ''}`);
  }
}

/** What a guarded call does: `changes` when it changes something (an update), so a lost answer is worded as such. */
export interface GuardedCall {
  readonly changes?: boolean;
}

/** Runs a Temporal call, or fails with {@link TemporalUnavailableError} quickly when the server is away. */
export type TemporalGuard = <T>(work: () => Promise<T>, call?: GuardedCall) => Promise<T>;

/** Timings of the guard; the defaults answer a stopped server in about 0.4 s given its address, 1.4 s without. */
export interface TemporalGuardOptions {
  /** How long a call may run before the server is checked. */
  readonly probeAfterMs?: number;
  /** How long the check may take before the server counts as away. */
  readonly probeTimeoutMs?: number;
  /** For this long after the server was found away, calls fail at once (a burst of requests does not pile up). */
  readonly rememberDownMs?: number;
  /**
   * The server's `host:port`. With it, the check is whether the server accepts a connection: an overloaded server
   * does (and is waited on), a stopped one does not. Without it the check is a `getSystemInfo` call, which an
   * overloaded server may answer too slowly and so be taken for away.
   */
  readonly address?: string;
  /** How long a call to a reachable server is waited on, from its start, before the page says the server is busy. */
  readonly busyAfterMs?: number;
}

/** A guard over the client's connection. */
export function createTemporalGuard(client: Client, options: TemporalGuardOptions = {}): TemporalGuard {
  const { probeAfterMs = 400, probeTimeoutMs = 1_000, rememberDownMs = 1_000, address, busyAfterMs = 20_000 } = options;
  const server = address === undefined ? undefined : parseHostAndPort(address);
  let downUntil = 0;
  // The SDK's deadline does not cut its retry loop short, so the probe is raced against a timer here.
  const check = async (): Promise<boolean> => {
    if (server) return acceptsConnections(server, probeTimeoutMs);
    const probe = client.workflowService.getSystemInfo({}).then(() => true, () => false);
    return Promise.race([probe, delay(probeTimeoutMs, false)]);
  };
  // Slow calls at the same moment share one check: a loaded server is not sent a connection per waiting page.
  let checking: Promise<boolean> | undefined;
  const reachable = (): Promise<boolean> => (checking ??= check().finally(() => (checking = undefined)));
  return async (work, { changes = false } = {}) => {
    if (Date.now() < downUntil) throw new TemporalUnavailableError();
    const startedAt = Date.now();
    const call = work();
    // The call may still fail after we gave up on it; that failure is already answered.
    call.catch(() => undefined);
    const away = () => {
      downUntil = Date.now() + rememberDownMs;
      return new TemporalUnavailableError({ mayHaveLanded: changes });
    };
    try {
      const first = await Promise.race([call.then(() => 'done' as const), delay(probeAfterMs, 'slow' as const)]);
      if (first === 'slow') {
        if (!(await reachable())) throw away();
        const waited = Date.now() - startedAt;
        const settled = await Promise.race([call.then(() => 'done' as const), delay(Math.max(0, busyAfterMs - waited), 'late' as const)]);
        // Busy is not away: later calls still try.
        if (settled === 'late') throw new TemporalUnavailableError({ busy: true, mayHaveLanded: changes });
      }
      return await call;
    } catch (err) {
      if (err instanceof TemporalUnavailableError) throw err;
      if (isUnavailable(err)) throw away();
      throw err;
    }
  };
}

/** Whether an error means the server (not the workflow) could not be reached. */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof TemporalUnavailableError) return true;
  const grpcUnavailable = 14;
  if (isGrpcServiceError(err)) return err.code === grpcUnavailable;
  if (err instanceof ServiceError) return err.cause !== undefined && isUnavailable(err.cause);
  return err instanceof Error && err.name === 'TransportError';
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value).unref());
}
