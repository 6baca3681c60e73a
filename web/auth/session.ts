/**
 * Console sessions: a signed cookie naming the signed-in person, with its own anti-forgery token. Signed with a
 * key derived for this purpose only, so an action-link token can never pass for a session.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ConsoleRole } from '../../domain/console-roles.ts';
import { SealedTokens, type LinkKey } from '../links/sealed-tokens.ts';

/** Who is signed in to the console. */
export interface ConsoleUser {
  readonly email: string;
  readonly name: string;
  /** The person's console role in each plan they may see, by plan id (from the plan; carried in the session). */
  readonly roles: Readonly<Record<string, ConsoleRole>>;
}

/** A verified session. */
export interface Session {
  readonly user: ConsoleUser;
  /** Per-session anti-forgery token every console form must send back as `_csrf`. */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

// Roles by plan id, one letter each: s(upervisor), l(eadership), r(eader). A cookie issued before roles existed
// lacks `r` and is refused (the person signs in again), never read as full access.
const roleCodes = { supervisor: 's', leadership: 'l', reader: 'r' } as const satisfies Record<ConsoleRole, string>;
const roleOfCode = { s: 'supervisor', l: 'leadership', r: 'reader' } as const satisfies Record<string, ConsoleRole>;
const claimsSchema = z.object({
  p: z.literal('session'), k: z.string(), m: z.email(), n: z.string().max(100), c: z.string().length(32), e: z.number().int(),
  r: z.record(z.string().max(64), z.enum(['s', 'l', 'r'])),
}).strict();
/** Longest session cookie value accepted (a person in many plans carries a role per plan). */
const maxSessionLength = 2500;

/** Issues and verifies session cookie values. */
export class SessionCodec {
  private readonly tokens: SealedTokens;

  constructor(keys: readonly LinkKey[], readonly lifetimeMs = 8 * 60 * 60 * 1000) {
    this.tokens = new SealedTokens('duban-session', keys);
  }

  /** A cookie value for the user, valid for the session lifetime from `now`. */
  issue(user: ConsoleUser, now: number): { value: string; session: Session } {
    const session: Session = { user, csrfToken: randomBytes(16).toString('hex'), expiresAt: now + this.lifetimeMs };
    const r = Object.fromEntries(Object.entries(user.roles).map(([plan, role]) => [plan, roleCodes[role]]));
    return { value: this.tokens.seal({ p: 'session', m: user.email, n: user.name, c: session.csrfToken, e: session.expiresAt, r }), session };
  }

  /** The session of a cookie value, or undefined when it is missing, forged, foreign or expired. */
  verify(value: string | undefined, now: number): Session | undefined {
    if (!value) return undefined;
    try {
      const claims = this.tokens.unseal(value, claimsSchema, maxSessionLength);
      const roles = Object.fromEntries(Object.entries(claims.r).map(([plan, code]) => [plan, roleOfCode[code]]));
      return claims.e > now ? { user: { email: claims.m, name: claims.n, roles }, csrfToken: claims.c, expiresAt: claims.e } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Constant-time comparison of an anti-forgery token from a form with the session's. */
export function csrfMatches(session: Session, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== session.csrfToken.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(session.csrfToken));
}
