/**
 * Messages of the sign-in ledger (the console's durable sign-in state), declared once and imported by the
 * workflow, the web server and tests. Only digests of ids travel here: nothing that could sign anyone in.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** One ledger per namespace (one office): every `duban web` process shares it. */
export const signInLedgerWorkflowId = 'duban-sign-in-ledger';

/** An entry: a digest of a sign-in link or session id, kept until the link or session expires anyway. */
export interface LedgerEntry {
  /** 32 lowercase hex characters (a SHA-256 prefix of the id; never the token). */
  readonly id: string;
  /** Epoch milliseconds; after this the token is refused for its own expiry and the entry is dropped. */
  readonly expiresAt: number;
}

/** What the ledger carries over on continue-as-new (plain JSON; expired entries already dropped). */
export interface SignInLedgerState {
  /** Spent sign-in links: id → expiry. */
  readonly redeemed: Record<string, number>;
  /** Sessions signed out before their expiry: id → expiry. */
  readonly revoked: Record<string, number>;
}

/** Spends a sign-in link: true for the first call with this id, false for every later one (or an expired link). */
export const redeemSignInLinkUpdate = defineUpdate<boolean, [LedgerEntry]>('redeemSignInLink');
/** Records a session as signed out until its expiry. */
export const revokeSessionUpdate = defineUpdate<void, [LedgerEntry]>('revokeSession');
/** Whether a session (by id digest) was signed out. */
export const sessionRevokedQuery = defineQuery<boolean, [string]>('isSessionRevoked');

/** Refuses a malformed entry before it enters history. */
export function checkLedgerEntry(entry: LedgerEntry): void {
  if (typeof entry?.id !== 'string' || !/^[0-9a-f]{32}$/.test(entry.id)) throw new TypeError('ledger entry id must be 32 hex characters');
  if (!Number.isSafeInteger(entry.expiresAt)) throw new TypeError('ledger entry expiresAt must be epoch milliseconds');
}
