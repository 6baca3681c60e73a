/** The 节点完成 token: it names its milestone, and a token whose action and milestone disagree is refused as malformed. */
import { describe, expect, it } from 'vitest';
import { InvalidLinkError, LinkSigner } from '../web/links/link-token.ts';
import { SealedTokens } from '../web/links/sealed-tokens.ts';

const keys = [{ id: 'm1', secret: 'Qk3vN8rT2xLp7ZsW9yHc4JdF6gBn5MaE' }];
const signer = new LinkSigner(keys);
// The same sealing the signer uses, to forge well-signed tokens with inconsistent claims.
const raw = new SealedTokens('duban-link', keys, { deriveKeys: false });
const now = Date.parse('2015-04-01T00:00:00Z');
const e = Math.floor(now / 1000) + 3600;

describe('the 节点完成 link token', () => {
  it('carries the milestone it marks, signed with the rest', () => {
    const token = signer.mint({ workflowId: 'xinfang-2015/d12', unitId: 'yanjiushi', action: 'milestone', milestoneId: 'fangan', expiresAt: now + 3_600_000 });
    expect(signer.verify(token, now)).toMatchObject({ action: 'milestone', milestoneId: 'fangan', unitId: 'yanjiushi' });
    const plain = signer.mint({ workflowId: 'xinfang-2015/d12', unitId: 'yanjiushi', action: 'confirm', expiresAt: now + 3_600_000 });
    expect(signer.verify(plain, now)).not.toHaveProperty('milestoneId');
  });

  it('refuses a milestone link without a milestone, and any other link with one', () => {
    const without = raw.seal({ v: 1, w: 'xinfang-2015/d12', u: 'yanjiushi', a: 'milestone', e });
    const confirmWith = raw.seal({ v: 1, w: 'xinfang-2015/d12', u: 'yanjiushi', a: 'confirm', m: 'fangan', e });
    for (const token of [without, confirmWith]) {
      expect(() => signer.verify(token, now)).toThrow(InvalidLinkError);
      expect(() => signer.verify(token, now)).toThrow(/malformed/);
    }
  });

  it('cannot be moved to another milestone: changing the milestone breaks the signature', () => {
    const token = signer.mint({ workflowId: 'xinfang-2015/d12', unitId: 'yanjiushi', action: 'milestone', milestoneId: 'fangan', expiresAt: now + 3_600_000 });
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const moved = `${Buffer.from(JSON.stringify({ ...claims, m: 'yinfa' })).toString('base64url')}.${signature}`;
    expect(() => signer.verify(moved, now)).toThrow(/bad_signature/);
  });
});
