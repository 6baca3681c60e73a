/**
 * Weak signing keys: LINK_KEYS signs every action link, session and sign-in link, so a guessable secret, the
 * public example value or a repeated key id must stop `duban web` and `duban worker` at start-up, with a message
 * that names the key and the problem and never prints the secret.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLinkKeys } from '../../web/links/link-keys.ts';
import { childEnvironment, closedPort, runDuban } from '../helpers/duban-cli.ts';

const strong = () => randomBytes(32).toString('base64url');
const exampleKeys = /^# LINK_KEYS=(.+)$/m.exec(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'))![1]!;

describe('LINK_KEYS', () => {
  it.each([
    ['the value from .env.example', exampleKeys, 'example value'],
    ['a repeated character', 'k1:aaaaaaaaaaaaaaaa', 'shorter than 32'],
    ['a long repeated character', `k1:${'a'.repeat(48)}`, 'fewer than 12 different characters'],
    ['a run of neighbouring characters', 'k1:abcdefghijklmnopqrstuvwxyz0123456789', 'neighbouring characters'],
    ['a short random secret', `k1:${randomBytes(12).toString('base64url')}`, 'shorter than 32'],
    ['a word repeated', `k1:${'duban-'.repeat(8)}`, 'fewer than 12 different characters'],
  ])('refuses %s', (_what, value, problem) => {
    expect(() => parseLinkKeys(value)).toThrow(problem);
    try {
      parseLinkKeys(value);
    } catch (err) {
      expect((err as Error).message).toContain('key "k1"');
      expect((err as Error).message).not.toContain(value.slice(3));
    }
  });

  it('refuses a key id given twice, even with two good secrets', () => {
    expect(() => parseLinkKeys(`k1:${strong()},k1:${strong()}`)).toThrow('key id "k1" appears more than once');
  });

  it('accepts random keys, the first signing', () => {
    expect(parseLinkKeys(`k2:${strong()}, k1:${randomBytes(32).toString('hex')}`).map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('stops `duban web` and `duban worker` at start-up, exit 2, naming the problem and not the secret', async () => {
    const port = await closedPort();
    const env = childEnvironment({
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`, PUBLIC_URL: 'http://127.0.0.1:8080', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'duban@xinfang.example',
      DUBAN_NOTIFY: 'email',
    });
    for (const command of ['web', 'worker']) {
      for (const [keys, problem] of [[exampleKeys, 'example value'], [`k1:${'a'.repeat(40)}`, 'fewer than 12'], [`k1:${strong()},k1:${strong()}`, 'more than once']] as const) {
        const result = await runDuban([command], { ...env, LINK_KEYS: keys });
        expect(result.code, `${command} ${problem}`).toBe(2);
        expect(result.stderr).toContain(problem);
        for (const secret of keys.split(',').map((pair) => pair.split(':')[1]!)) expect(result.stderr + result.stdout).not.toContain(secret);
      }
    }
  });
});
