/**
 * `LINK_KEYS`: parsed once and checked before anything is signed — enough length and variety, no example value
 * copied from the docs, no key id twice. Messages name the key id and the problem, never the secret.
 */
import type { LinkKey } from './sealed-tokens.ts';

/** A `LINK_KEYS` value that must not be used; the message says which key and why. */
export class LinkKeysError extends RangeError {
  override readonly name = 'LinkKeysError';
}

/** Shortest secret accepted: 32 characters (e.g. `openssl rand -base64 32` gives 44). */
export const minSecretLength = 32;
const minDistinctCharacters = 12;
// Shannon estimate per character: random hex scores about 3.8 bits, random base64 about 4.7; prose and patterns score lower.
const minBitsPerCharacter = 3;

// Values from .env.example, README and common templates: public, so never a secret.
const exampleValues = ['change-me-to-a-long-random-secret', 'new-secret', 'old-secret', 'secret', 'changeme', 'password'];
const examplePhrases = ['change-me', 'changeme', 'change_me', 'replace-me', 'your-secret', 'example', 'placeholder'];

const hint = 'generate one with `openssl rand -base64 32`';

/** Parses `LINK_KEYS` (`kid:secret,kid2:secret2`; the first signs) and checks every key ({@link checkLinkKeys}). */
export function parseLinkKeys(text: string): LinkKey[] {
  const keys = text.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new LinkKeysError('LINK_KEYS: expected kid:secret pairs separated by commas');
    return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) };
  });
  checkLinkKeys(keys);
  return keys;
}

/** Throws {@link LinkKeysError} for no keys, a bad or repeated key id, or a secret that is short, patterned or an example. */
export function checkLinkKeys(keys: readonly LinkKey[]): void {
  if (keys.length === 0) throw new LinkKeysError('LINK_KEYS: at least one key is needed');
  const seen = new Set<string>();
  for (const key of keys) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(key.id)) throw new LinkKeysError(`LINK_KEYS: key id "${key.id}" must be 1–32 letters, digits, "_" or "-"`);
    // A repeated id would make verification pick one secret silently, and rotation would not do what it says.
    if (seen.has(key.id)) throw new LinkKeysError(`LINK_KEYS: key id "${key.id}" appears more than once; every key needs its own id`);
    seen.add(key.id);
    const weakness = secretWeakness(key.secret);
    if (weakness) throw new LinkKeysError(`LINK_KEYS: the secret of key "${key.id}" ${weakness}; ${hint}`);
  }
}

/** Why a secret is too weak to sign with, or undefined when it looks random enough. */
export function secretWeakness(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  if (exampleValues.includes(lower) || examplePhrases.some((phrase) => lower.includes(phrase))) return 'is an example value from the documentation';
  if (secret.length < minSecretLength) return `is shorter than ${minSecretLength} characters`;
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  if (counts.size < minDistinctCharacters) return `uses fewer than ${minDistinctCharacters} different characters`;
  if (Math.max(...counts.values()) > secret.length / 4) return 'repeats one character too often';
  const bits = [...counts.values()].reduce((sum, n) => sum - (n / secret.length) * Math.log2(n / secret.length), 0);
  if (bits < minBitsPerCharacter) return 'is too predictable (low character variety)';
  let steps = 0;
  for (let i = 1; i < secret.length; i++) if (Math.abs(secret.charCodeAt(i) - secret.charCodeAt(i - 1)) <= 1) steps += 1;
  // Runs like "abcdef…" or "123456…": random text rarely has neighbouring characters next to each other.
  if (steps > secret.length / 3) return 'is a run of neighbouring characters (e.g. "abcdef…")';
  return undefined;
}
