/** `base64url(claims).base64url(HMAC-SHA256)` tokens: the one signing scheme behind links, sessions and sign-in. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ZodType } from 'zod';
import { checkLinkKeys } from './link-keys.ts';

/** A signing key with the id that names it inside tokens, so keys can rotate. */
export interface LinkKey {
  readonly id: string;
  readonly secret: string;
}

/** Why a token could not be opened. */
export type UnsealFailure = 'malformed' | 'oversized' | 'unknown_key' | 'bad_signature';

/** Thrown by {@link SealedTokens.unseal}. */
export class UnsealError extends Error {
  override readonly name = 'UnsealError';
  constructor(readonly reason: UnsealFailure) {
    super(`token refused: ${reason}`);
  }
}

/**
 * Seals claims with the first key and opens tokens sealed with any key. Each purpose ("duban-session", …) signs
 * with its own derived key, so a token made for one purpose never opens as another.
 */
export class SealedTokens {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly signingKeyId: string;

  constructor(private readonly purpose: string, keys: readonly LinkKey[], options: { deriveKeys?: boolean } = {}) {
    checkLinkKeys(keys);
    const derive = (secret: string) => (options.deriveKeys === false ? Buffer.from(secret, 'utf8') : createHmac('sha256', secret).update(purpose).digest());
    this.keys = new Map(keys.map((key) => [key.id, derive(key.secret)]));
    this.signingKeyId = keys[0]!.id;
  }

  /** A token carrying the claims and the signing key's id as `k`. */
  seal(claims: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify({ ...claims, k: this.signingKeyId }), 'utf8').toString('base64url');
    return `${body}.${this.sign(this.signingKeyId, body)}`;
  }

  /** The claims of a well-formed token with a valid signature; throws {@link UnsealError} otherwise. */
  unseal<T extends { k: string }>(token: string, schema: ZodType<T>, maxLength = 600): T {
    if (token.length > maxLength) throw new UnsealError('oversized');
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) throw new UnsealError('malformed');
    const body = match[1]!;
    let claims: T;
    try {
      claims = schema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      throw new UnsealError('malformed');
    }
    if (!this.keys.has(claims.k)) throw new UnsealError('unknown_key');
    const expected = Buffer.from(this.sign(claims.k, body));
    const given = Buffer.from(match[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new UnsealError('bad_signature');
    return claims;
  }

  private sign(keyId: string, body: string): string {
    return createHmac('sha256', this.keys.get(keyId)!).update(`${this.purpose}.${body}`).digest('base64url');
  }
}
