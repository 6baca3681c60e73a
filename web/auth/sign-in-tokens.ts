/** Single-use, short-lived sign-in links mailed to the people of 督查室 and leadership. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SealedTokens, type LinkKey } from '../links/sealed-tokens.ts';

const claimsSchema = z.object({ p: z.literal('sign-in'), k: z.string(), m: z.email(), j: z.string().length(24), e: z.number().int() }).strict();

/** Mints sign-in tokens and redeems each at most once before it expires. */
export class SignInTokens {
  private readonly tokens: SealedTokens;
  // Redeemed token ids until their expiry. In memory: a restart forgets them, but they expire within minutes.
  private readonly redeemed = new Map<string, number>();

  constructor(keys: readonly LinkKey[], readonly lifetimeMs = 15 * 60 * 1000) {
    this.tokens = new SealedTokens('duban-sign-in', keys);
  }

  mint(email: string, now: number): string {
    return this.tokens.seal({ p: 'sign-in', m: email, j: randomBytes(12).toString('hex'), e: now + this.lifetimeMs });
  }

  /** The email a valid, unused, unexpired token was minted for (and marks it used); undefined otherwise. */
  redeem(token: string, now: number): string | undefined {
    for (const [id, expiresAt] of this.redeemed) if (expiresAt <= now) this.redeemed.delete(id);
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = this.tokens.unseal(token, claimsSchema);
    } catch {
      return undefined;
    }
    if (claims.e <= now || this.redeemed.has(claims.j)) return undefined;
    this.redeemed.set(claims.j, claims.e);
    return claims.m;
  }
}
