import { Hono } from 'hono';
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { createConsoleAuth, sessionCookie, type ConsoleEnv } from '../web/auth/console-auth.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { SignInTokens } from '../web/auth/sign-in-tokens.ts';
import { createWebApp } from '../web/app.ts';
import { createBackgroundMailer } from '../web/auth/background-mailer.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { memorySignInLedger } from './helpers/memory-sign-in-ledger.ts';

const keys = [{ id: 'c1', secret: 'd2Uh_L-dmXcjKxTW2vnWf0xc1zOkDeOL1SRq2LDe' }];
const publicUrl = 'https://duban.example';
const chief = { email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' as const } };

/** An app whose console has one page and one form endpoint, behind the real sign-in. */
function setup(clock = { now: Date.parse('2026-11-28T08:00:00Z') }) {
  const sent: { to: string; link: string }[] = [];
  const ledger = memorySignInLedger(() => clock.now);
  const outbox = createBackgroundMailer();
  const auth = createConsoleAuth({
    sessions: new SessionCodec(keys), signIn: new SignInTokens(keys, ledger), users: [chief], ledger, outbox,
    mailer: { send: async (user, link) => void sent.push({ to: user.email, link }) }, publicUrl, now: () => clock.now,
  });
  const routes = new Hono<ConsoleEnv>();
  routes.get('/', (c) => c.html(html`<p>欢迎 ${c.var.session.user.name}</p><form method="post" action="/console/act"><input name="_csrf" value="${c.var.session.csrfToken}"></form>`));
  routes.post('/act', (c) => c.text('acted'));
  const signer = new LinkSigner(keys);
  const app = createWebApp({
    gateway: { status: async () => undefined, confirm: never, reportProgress: never, requestExtension: never, acknowledge: never, answerInstruction: never, completeMilestone: never },
    signer, publicUrl, now: () => clock.now, console: { auth, routes },
  });
  // Sign-in mail leaves after the answer: `request` waits for it, as a person waits for the mail.
  const request: typeof app.request = async (...args) => {
    const response = await app.request(...args);
    await outbox.idle();
    return response;
  };
  return { app: { request } as unknown as Hono, sent, clock, signer };
}

function never(): never {
  throw new Error('not used');
}

const form = (fields: Record<string, string>, extra: Record<string, string> = {}) => ({
  method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl, ...extra },
});

async function signIn(app: Hono, sent: { link: string }[]) {
  await app.request('/login', form({ email: chief.email }));
  const path = new URL(sent.at(-1)!.link).pathname;
  const response = await app.request(path, form({}));
  const cookie = response.headers.get('Set-Cookie')!;
  return { response, cookie: cookie.split(';')[0]!, path };
}

describe('signing in to the console', () => {
  it('sends everyone without a session to the sign-in page', async () => {
    const { app } = setup();
    const response = await app.request('/console');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
    expect((await app.request('/console/act', form({}))).status).toBe(403);
  });

  it('mails a single-use link to a known address, and the same answer to an unknown one', async () => {
    const { app, sent } = setup();
    const unknown = await app.request('/login', form({ email: 'someone@else.example' }));
    expect(unknown.headers.get('Location')).toBe('/login?sent=1');
    expect(sent).toHaveLength(0);
    const known = await app.request('/login', form({ email: 'DUCHASHI@xinfang.example' }));
    expect(known.headers.get('Location')).toBe('/login?sent=1');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.link.startsWith(`${publicUrl}/login/`)).toBe(true);
  });

  it('signs in only on POST, sets a protected cookie, and spends the link', async () => {
    const { app, sent } = setup();
    await app.request('/login', form({ email: chief.email }));
    const path = new URL(sent[0]!.link).pathname;
    const shown = await app.request(path);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('Set-Cookie')).toBeNull();
    const signedIn = await app.request(path, form({}));
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/console');
    const cookie = signedIn.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(new RegExp(`^${sessionCookie}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Secure');
    const page = await app.request('/console', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('欢迎 督查室');
    expect((await app.request(path, form({}))).status).toBe(403);
  });

  it('refuses an expired sign-in link and an expired session', async () => {
    const { app, sent, clock } = setup();
    await app.request('/login', form({ email: chief.email }));
    clock.now += 16 * 60 * 1000;
    expect((await app.request(new URL(sent[0]!.link).pathname, form({}))).status).toBe(403);
    const { cookie } = await signIn(app, sent);
    clock.now += 9 * 60 * 60 * 1000;
    expect((await app.request('/console', { headers: { Cookie: cookie } })).status).toBe(303);
  });

  it('refuses console POSTs without the form token or from another origin', async () => {
    const { app, sent } = setup();
    const { cookie } = await signIn(app, sent);
    const page = await (await app.request('/console', { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([0-9a-f]{32})"/.exec(page)![1]!;
    expect((await app.request('/console/act', form({}, { Cookie: cookie }))).status).toBe(403);
    expect((await app.request('/console/act', form({ _csrf: 'f'.repeat(32) }, { Cookie: cookie }))).status).toBe(403);
    expect((await app.request('/console/act', form({ _csrf: csrf }, { Cookie: cookie, Origin: 'https://evil.example' }))).status).toBe(403);
    const ok = await app.request('/console/act', form({ _csrf: csrf }, { Cookie: cookie }));
    expect(await ok.text()).toBe('acted');
    expect((await app.request('/login', form({ email: chief.email }, { Origin: 'https://evil.example' }))).status).toBe(403);
  });

  it('gives a unit’s action-link token no console access, neither as a session nor as a sign-in link', async () => {
    const { app, signer } = setup();
    const unitToken = signer.mint({ workflowId: 'xinfang-2015/d04', unitId: 'zonghe', action: 'confirm', expiresAt: Date.parse('2027-01-01T00:00:00Z') });
    expect((await app.request('/console', { headers: { Cookie: `${sessionCookie}=${unitToken}` } })).status).toBe(303);
    expect((await app.request(`/login/${unitToken}`, form({}))).status).toBe(403);
  });

  it('signs out: the cookie is cleared and the old session no longer works', async () => {
    const { app, sent } = setup();
    const { cookie } = await signIn(app, sent);
    const page = await (await app.request('/console', { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([0-9a-f]{32})"/.exec(page)![1]!;
    const out = await app.request('/logout', form({ _csrf: csrf }, { Cookie: cookie }));
    expect(out.status).toBe(303);
    expect(out.headers.get('Set-Cookie')).toMatch(new RegExp(`^${sessionCookie}=;`));
    // A copy of the old cookie no longer works either.
    expect((await app.request('/console', { headers: { Cookie: cookie } })).status).toBe(303);
  });
});
