/** Signed, expiring action-link tokens: which unit may do what on which deliverable, until when. */
import { z } from 'zod';
import type { LinkAction } from '../../activities/mail/action-links.ts';
import { SealedTokens, UnsealError, type LinkKey } from './sealed-tokens.ts';

export type { LinkKey } from './sealed-tokens.ts';
export { parseLinkKeys } from './link-keys.ts';

/** What a token grants: one unit, one action, on one workflow, until a time. */
export interface LinkClaims {
  readonly workflowId: string;
  readonly unitId: string;
  readonly action: LinkAction;
  /** The milestone a `milestone` link marks done. */
  readonly milestoneId?: string;
  /** Expiry, epoch milliseconds. */
  readonly expiresAt: number;
}

/** Why a token was refused; the web layer turns the reason into a 4xx page. */
export class InvalidLinkError extends Error {
  override readonly name = 'InvalidLinkError';
  constructor(readonly reason: UnsealError['reason'] | 'expired') {
    super(`invalid action link: ${reason}`);
  }
}

/** Longest token accepted; anything longer is refused before any work is done. */
export const maxTokenLength = 600;

const claimsSchema = z
  .object({
    v: z.literal(1),
    k: z.string().min(1).max(32),
    w: z.string().min(1).max(200),
    u: z.string().min(1).max(64),
    a: z.enum(['confirm', 'progress', 'extension', 'milestone', 'acknowledge', 'answer']),
    m: z.string().min(1).max(64).optional(),
    e: z.number().int().positive(),
  })
  .strict();

/** Mints and verifies action-link tokens; constructing it with bad keys fails at once, not per request. */
export class LinkSigner {
  private readonly tokens: SealedTokens;

  constructor(keys: readonly LinkKey[]) {
    // Link tokens are signed with the configured secrets themselves; other purposes derive their keys.
    this.tokens = new SealedTokens('duban-link', keys, { deriveKeys: false });
  }

  /** A token for the claims, signed with the first key. */
  mint(claims: LinkClaims): string {
    return this.tokens.seal({ v: 1, w: claims.workflowId, u: claims.unitId, a: claims.action, ...(claims.milestoneId ? { m: claims.milestoneId } : {}), e: Math.floor(claims.expiresAt / 1000) });
  }

  /** The claims of a valid, unexpired token; throws {@link InvalidLinkError} otherwise. */
  verify(token: string, now: number): LinkClaims {
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = this.tokens.unseal(token, claimsSchema, maxTokenLength);
    } catch (err) {
      if (err instanceof UnsealError) throw new InvalidLinkError(err.reason);
      throw err;
    }
    if (claims.e * 1000 <= now) throw new InvalidLinkError('expired');
    if ((claims.a === 'milestone') !== (claims.m !== undefined)) throw new InvalidLinkError('malformed');
    return { workflowId: claims.w, unitId: claims.u, action: claims.a, ...(claims.m ? { milestoneId: claims.m } : {}), expiresAt: claims.e * 1000 };
  }
}
