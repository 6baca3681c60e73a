/** Single-use, short-lived sign-in links mailed to the people of 督查室 and leadership. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SealedTokens, type LinkKey } from '../links/sealed-tokens.ts';
import type { SignInLedger } from './sign-in-ledger.ts';

const claimsSchema = z.object({ p: z.literal('sign-in'), k: z.string(), m: z.email(), j: z.string().length(24), e: z.number().int() }).strict();

/** Mints sign-in tokens and redeems each at most once before it expires, across processes and restarts. */
export class SignInTokens {
  private readonly tokens: SealedTokens;

  constructor(keys: readonly LinkKey[], private readonly ledger: SignInLedger, readonly lifetimeMs = 15 * 60 * 1000) {
    this.tokens = new SealedTokens('duban-sign-in', keys);
  }

  mint(email: string, now: number): string {
    return this.tokens.seal({ p: 'sign-in', m: email, j: randomBytes(12).toString('hex'), e: now + this.lifetimeMs });
  }

  /** The email a valid, unused, unexpired token was minted for (and marks it used in the ledger); undefined otherwise. */
  async redeem(token: string, now: number): Promise<string | undefined> {
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = this.tokens.unseal(token, claimsSchema);
    } catch {
      return undefined;
    }
    if (claims.e <= now) return undefined;
    // The ledger decides: the first redemption anywhere wins, a second one (here, elsewhere, after a restart) loses.
    return (await this.ledger.redeemLink(claims.j, claims.e)) ? claims.m : undefined;
  }
}
