/**
 * Bounded waiting on Temporal for the web pages: a call that is still running after a moment is checked with a
 * short probe, and when the server does not answer the page says so (503) within about 1.5 s — instead of the
 * client's own retries holding the request for 6–9 s.
 */
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';

/** The Temporal server cannot be reached; pages answer 503 with a Chinese message. */
export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
  constructor() {
    super('督办服务暂时无法连接，请稍后再试。');
  }
}

/** Runs a Temporal call, or fails with {@link TemporalUnavailableError} quickly when the server is away. */
export type TemporalGuard = <T>(work: () => Promise<T>) => Promise<T>;

/** Timings of the guard; the defaults answer a dead server in about 1.4 s. */
export interface TemporalGuardOptions {
  /** How long a call may run before the server is probed. */
  readonly probeAfterMs?: number;
  /** How long the probe may take before the server counts as away. */
  readonly probeTimeoutMs?: number;
  /** For this long after a failed probe, calls fail at once (a burst of requests does not pile up). */
  readonly rememberDownMs?: number;
}

/** A guard over the client's connection. */
export function createTemporalGuard(client: Client, { probeAfterMs = 400, probeTimeoutMs = 1_000, rememberDownMs = 1_000 }: TemporalGuardOptions = {}): TemporalGuard {
  let downUntil = 0;
  // The SDK's deadline does not cut its retry loop short, so the probe is raced against a timer here.
  const answers = async (): Promise<boolean> => {
    const probe = client.workflowService.getSystemInfo({}).then(() => true, () => false);
    return Promise.race([probe, delay(probeTimeoutMs, false)]);
  };
  return async (work) => {
    if (Date.now() < downUntil) throw new TemporalUnavailableError();
    const call = work();
    // The call may still fail after we gave up on it; that failure is already answered.
    call.catch(() => undefined);
    try {
      const first = await Promise.race([call.then(() => 'done' as const), delay(probeAfterMs, 'slow' as const)]);
      if (first === 'slow' && !(await answers())) {
        downUntil = Date.now() + rememberDownMs;
        throw new TemporalUnavailableError();
      }
      return await call;
    } catch (err) {
      if (isUnavailable(err)) {
        downUntil = Date.now() + rememberDownMs;
        throw new TemporalUnavailableError();
      }
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
