import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebApp } from '../web/app.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { beijing, useDeliverableHarness, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });
const publicUrl = 'http://127.0.0.1:8080';
const signer = new LinkSigner([{ id: 'k2', secret: 'mLNNheOjXP_U9st1d2TMlGlGUCn2czSLVoP4KU5E' }, { id: 'k1', secret: 'VhsceW9L71EUfgmWIXRAZfbFp3H1qNB83I7XtWqL' }]);
const day = 86_400_000;

function app() {
  return createWebApp({ gateway: createTemporalGateway(harness().env.client), signer, publicUrl, now: () => Date.now() });
}

function token(run: DeliverableRun, unitId: string, action: 'confirm' | 'progress' | 'extension', expiresAt = Date.now() + 30 * day) {
  return signer.mint({ workflowId: run.handle.workflowId, unitId, action, expiresAt });
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return app().request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl, ...headers } });
}

async function started(id = 'd10') {
  const run = await harness().startDeliverable(id, beijing('2015-09-01 10:00'));
  await run.status();
  return run;
}

describe('an action link', () => {
  it('shows what will happen on GET and changes nothing', async () => {
    const run = await started();
    const before = await run.updateEventCount();
    const response = await app().request(`/a/${token(run, 'zonghe', 'confirm')}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('出台关于进一步加强和规范信访统计工作的意见');
    expect(page).toContain('综合指导司（牵头单位）');
    expect(page).toContain('2015年9月30日（星期三）');
    expect(page).toContain('<button type="submit">确认完成</button>');
    expect(await run.updateEventCount()).toBe(before);
    expect((await run.status()).units[0]!.confirmedAt).toBeUndefined();
  });

  it('confirms on POST, and answers a second click with "already confirmed"', async () => {
    const run = await started();
    const link = `/a/${token(run, 'zonghe', 'confirm')}`;
    const first = await post(link, { note: '意见已印发' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('已确认完成。');
    expect(await run.status()).toMatchObject({ status: 'awaiting_acceptance' });
    const second = await post(link, {});
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('already confirmed');
    const page = await (await app().request(link)).text();
    expect(page).toContain('本单位已确认完成（already confirmed）');
    expect(page).not.toContain('<button');
  });

  it('reports progress and requests an extension through the same kind of link', async () => {
    const run = await started();
    expect((await post(`/a/${token(run, 'bangongshi', 'progress')}`, { note: '初稿已完成' })).status).toBe(200);
    const extension = await post(`/a/${token(run, 'zonghe', 'extension')}`, { to: '2015-10-30', note: '需征求各地意见' });
    expect(extension.status).toBe(200);
    const status = await run.status();
    expect(status.units.find((u) => u.unitId === 'bangongshi')!.lastProgress).toBeDefined();
    expect(status.pendingExtension).toMatchObject({ unitId: 'zonghe', to: '2015-10-30', reason: '需征求各地意见' });
    expect((await post(`/a/${token(run, 'zonghe', 'extension')}`, { to: 'someday', note: 'x' })).status).toBe(400);
  });

  it('refuses bad tokens with a 4xx page in Chinese and leaves the history untouched', async () => {
    const run = await started();
    const good = token(run, 'zonghe', 'confirm');
    const [body, signature] = good.split('.') as [string, string];
    const forge = (payload: object, key = 'VhsceW9L71EUfgmWIXRAZfbFp3H1qNB83I7XtWqL') => {
      const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${encoded}.${createHmac('sha256', key).update(`duban-link.${encoded}`).digest('base64url')}`;
    };
    const claims = { v: 1, k: 'k1', w: run.handle.workflowId, u: 'zonghe', a: 'confirm', e: Math.floor(Date.now() / 1000) + 3600 };
    const cases: [string, string, number][] = [
      ['tampered signature', `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`, 403],
      ['tampered claims', `${forge({ ...claims, u: 'bangongshi' }, '5J2uteR7I3X3L7cNaiszaD_ifWGU9bZEK1uuJXgo').split('.')[0]}.${signature}`, 403],
      ['expired', token(run, 'zonghe', 'confirm', Date.now() - 1000), 410],
      ['another unit', token(run, 'renshisi', 'confirm'), 403],
      ['another workflow', signer.mint({ workflowId: 'xinfang-2015/d99', unitId: 'zonghe', action: 'confirm', expiresAt: Date.now() + day }), 404],
      ['unknown key id', forge({ ...claims, k: 'k9' }), 403],
      ['wrong action', forge({ ...claims, a: 'accept' }), 400],
      ['malformed', 'not-a-token', 400],
      ['oversized', 'a'.repeat(5000), 414],
    ];
    const before = await run.updateEventCount();
    for (const [name, bad, status] of cases) {
      const got = await post(`/a/${bad}`, { note: name });
      expect(got.status, name).toBe(status);
      expect(await got.text(), name).toMatch(/<html lang="zh-CN">[\s\S]*(链接|事项|单位)/);
      expect((await app().request(`/a/${bad}`)).status, `${name} (GET)`).toBe(status);
    }
    expect(await run.updateEventCount()).toBe(before);
    // A key that is not the signing key still verifies: rotation keeps old links working.
    expect((await app().request(`/a/${forge(claims)}`)).status).toBe(200);
  });

  it('turns 50 concurrent POSTs of one confirm link into exactly one transition', async () => {
    const run = await started();
    const link = `/a/${token(run, 'zonghe', 'confirm')}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(link, {})));
    const codes = responses.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect((await run.status()).events.filter((e) => e.what === 'confirm')).toHaveLength(1);
  }, 120_000);

  it('refuses a POST from another site and an oversized body', async () => {
    const run = await started();
    const link = `/a/${token(run, 'zonghe', 'confirm')}`;
    expect((await post(link, {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(link, { note: 'x'.repeat(40_000) })).status).toBe(413);
    expect((await run.status()).units[0]!.confirmedAt).toBeUndefined();
  });

  it('escapes what it shows and sends protective headers', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), (input) => ({ ...input, title: '<img src=x onerror=alert(1)>' }));
    const response = await app().request(`/a/${token(run, 'zonghe', 'progress')}`);
    const page = await response.text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(response.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await (await app().request('/healthz')).json()).toEqual({ ok: true });
  });
});
