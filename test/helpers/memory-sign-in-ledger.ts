/**
 * A sign-in ledger in this process's memory, for in-process route tests of the console sign-in. It behaves as
 * the ledger workflow does for one process; durability and sharing are tested against the real workflow in
 * test/security/web-sign-in-state.test.ts.
 */
import type { SignInLedger } from '../../web/auth/sign-in-ledger.ts';

export function memorySignInLedger(now: () => number): SignInLedger {
  const redeemed = new Map<string, number>();
  const revoked = new Map<string, number>();
  return {
    async redeemLink(linkId, expiresAt) {
      if (expiresAt <= now() || redeemed.has(linkId)) return false;
      redeemed.set(linkId, expiresAt);
      return true;
    },
    async revokeSession(sessionId, expiresAt) {
      revoked.set(sessionId, expiresAt);
    },
    async isSessionRevoked(sessionId) {
      return (revoked.get(sessionId) ?? 0) > now();
    },
  };
}
