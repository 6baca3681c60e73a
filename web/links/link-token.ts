/** Signed, expiring action-link tokens: HMAC-SHA256 over the claims, several keys verify, the first signs. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { LinkAction } from '../../activities/mail/action-links.ts';

/** What a token grants: one unit, one action, on one workflow, until a time. */
export interface LinkClaims {
  readonly workflowId: string;
  readonly unitId: string;
  readonly action: LinkAction;
  /** Expiry, epoch milliseconds. */
  readonly expiresAt: number;
}

/** A signing key with the id that names it inside tokens, so keys can rotate. */
export interface LinkKey {
  readonly id: string;
  readonly secret: string;
}

/** Why a token was refused; the web layer turns the reason into a 4xx page. */
export class InvalidLinkError extends Error {
  override readonly name = 'InvalidLinkError';
  constructor(readonly reason: 'malformed' | 'oversized' | 'unknown_key' | 'bad_signature' | 'expired') {
    super(`invalid action link: ${reason}`);
  }
}

/** Longest token accepted; anything longer is refused before any work is done. */
export const maxTokenLength = 600;

const payloadSchema = z
  .object({
    v: z.literal(1),
    k: z.string().min(1).max(32),
    w: z.string().min(1).max(200),
    u: z.string().min(1).max(64),
    a: z.enum(['confirm', 'progress', 'extension']),
    e: z.number().int().positive(),
  })
  .strict();

/** Mints and verifies tokens with a key ring; constructing it with bad keys fails at once, not per request. */
export class LinkSigner {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly signingKeyId: string;

  constructor(keys: readonly LinkKey[]) {
    if (keys.length === 0) throw new RangeError('LINK_KEYS: at least one key is needed');
    for (const key of keys) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(key.id)) throw new RangeError(`LINK_KEYS: key id "${key.id}" must be 1–32 letters, digits, "_" or "-"`);
      if (key.secret.length < 16) throw new RangeError(`LINK_KEYS: the secret of key "${key.id}" is shorter than 16 characters`);
    }
    this.keys = new Map(keys.map((key) => [key.id, Buffer.from(key.secret, 'utf8')]));
    this.signingKeyId = keys[0]!.id;
  }

  /** A token for the claims, signed with the first key. */
  mint(claims: LinkClaims): string {
    const payload = { v: 1, k: this.signingKeyId, w: claims.workflowId, u: claims.unitId, a: claims.action, e: Math.floor(claims.expiresAt / 1000) };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.sign(this.signingKeyId, body)}`;
  }

  /** The claims of a valid, unexpired token; throws {@link InvalidLinkError} otherwise. */
  verify(token: string, now: number): LinkClaims {
    if (token.length > maxTokenLength) throw new InvalidLinkError('oversized');
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) throw new InvalidLinkError('malformed');
    const [, body, signature] = match as unknown as [string, string, string];
    let payload: z.infer<typeof payloadSchema>;
    try {
      payload = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      throw new InvalidLinkError('malformed');
    }
    if (!this.keys.has(payload.k)) throw new InvalidLinkError('unknown_key');
    const expected = Buffer.from(this.sign(payload.k, body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidLinkError('bad_signature');
    if (payload.e * 1000 <= now) throw new InvalidLinkError('expired');
    return { workflowId: payload.w, unitId: payload.u, action: payload.a, expiresAt: payload.e * 1000 };
  }

  private sign(keyId: string, body: string): string {
    return createHmac('sha256', this.keys.get(keyId)!).update(`duban-link.${body}`).digest('base64url');
  }
}

/** Parses `LINK_KEYS` (`kid:secret,kid2:secret2`; the first signs). */
export function parseLinkKeys(text: string): LinkKey[] {
  return text.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new RangeError('LINK_KEYS: expected kid:secret pairs separated by commas');
    return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) };
  });
}
