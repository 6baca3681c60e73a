/**
 * The web side of the sign-in ledger workflow: spends sign-in links and signs sessions out in Temporal, so
 * every web process — and the same one after a restart — refuses them. A "revoked" answer is kept locally
 * (it never changes back); "not revoked" is always asked again.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { taskQueue as defaultTaskQueue } from '../../workflows/definitions.ts';
import {
  redeemSignInLinkUpdate, revokeSessionUpdate, sessionRevokedQuery, signInLedgerWorkflowId, type LedgerEntry,
} from '../../workflows/sign-in-definitions.ts';
import type { signInLedgerWorkflow } from '../../workflows/sign-in-ledger.ts';
import { createTemporalGuard, TemporalUnavailableError, type TemporalGuard } from '../temporal-guard.ts';

/** Durable, shared sign-in state. Ids are the tokens' own random ids; the ledger stores digests of them. */
export interface SignInLedger {
  /** True the first time a link id is redeemed (before `expiresAt`), false ever after. */
  redeemLink(linkId: string, expiresAt: number): Promise<boolean>;
  /** Signs a session out until its expiry. */
  revokeSession(sessionId: string, expiresAt: number): Promise<void>;
  /** Whether the session was signed out; `expiresAt` bounds how long a "yes" is remembered here. */
  isSessionRevoked(sessionId: string, expiresAt: number): Promise<boolean>;
}

/** Where the ledger runs; the defaults are the worker's task queue and the one ledger of the namespace. */
export interface TemporalSignInLedgerOptions {
  readonly taskQueue?: string;
  readonly workflowId?: string;
  readonly guard?: TemporalGuard;
  readonly now?: () => number;
  /** How long the ledger may take to answer before the page says the service is unavailable. */
  readonly answerWithinMs?: number;
}

/** A ledger kept by the sign-in ledger workflow, started on first use. */
export function createTemporalSignInLedger(client: Client, options: TemporalSignInLedgerOptions = {}): SignInLedger {
  const { taskQueue = defaultTaskQueue, workflowId = signInLedgerWorkflowId, guard = createTemporalGuard(client), now = Date.now, answerWithinMs = 5_000 } = options;
  const revokedHere = new Map<string, number>();
  const handle = () => client.workflow.getHandle(workflowId);

  // The ledger answers through a worker: with none running an update would wait for ever, so give up and say so.
  const bounded: TemporalGuard = (work) => guard(() => withTimeout(work(), answerWithinMs));
  const update = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await bounded(run);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // First use in this namespace (or the ledger was terminated): start it, unless another process just did.
    await guard(() => client.workflow.start<typeof signInLedgerWorkflow>('signInLedgerWorkflow', { workflowId, taskQueue, args: [], workflowIdConflictPolicy: 'USE_EXISTING' }));
    return bounded(run);
  };

  return {
    async redeemLink(linkId, expiresAt) {
      const entry = entryOf('link', linkId, expiresAt);
      try {
        return await update(() => handle().executeUpdate(redeemSignInLinkUpdate, { args: [entry] }));
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return false;
        throw err;
      }
    },
    async revokeSession(sessionId, expiresAt) {
      const entry = entryOf('session', sessionId, expiresAt);
      revokedHere.set(entry.id, expiresAt);
      await update(() => handle().executeUpdate(revokeSessionUpdate, { args: [entry] }));
    },
    async isSessionRevoked(sessionId, expiresAt) {
      const id = digest('session', sessionId);
      for (const [key, expiresAt] of revokedHere) if (expiresAt <= now()) revokedHere.delete(key);
      if (revokedHere.has(id)) return true;
      try {
        const revoked = await bounded(() => handle().query(sessionRevokedQuery, id));
        if (revoked) revokedHere.set(id, expiresAt);
        return revoked;
      } catch (err) {
        // No ledger yet: nobody has signed out in this namespace.
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
  };
}

function entryOf(kind: string, id: string, expiresAt: number): LedgerEntry {
  return { id: digest(kind, id), expiresAt };
}

/** A one-way digest, so history never holds a session's anti-forgery token or a link id as such. */
function digest(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}:${id}`).digest('hex').slice(0, 32);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TemporalUnavailableError()), ms)));
  work.catch(() => undefined);
  return Promise.race([work, giveUp]).finally(() => clearTimeout(timer));
}
