/**
 * Sign-in for the console: a single-use link mailed to a known person of 督查室 or leadership, a signed session
 * cookie, an anti-forgery token on every POST, and sign-out.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { getConnInfo } from '@hono/node-server/conninfo';
import { layout } from '../pages/layout.ts';
import { RequestRefusedError } from '../request-guards.ts';
import { createBackgroundMailer, type BackgroundMailer } from './background-mailer.ts';
import { RateLimiter, type RateLimit } from './rate-limit.ts';
import { csrfMatches, type ConsoleUser, type Session, type SessionCodec } from './session.ts';
import type { SignInLedger } from './sign-in-ledger.ts';
import type { SignInTokens } from './sign-in-tokens.ts';

/** Hono variables of a request that passed {@link ConsoleAuth.requireSession}. */
export type ConsoleEnv = { Variables: { session: Session } };

/** Sends a sign-in link by mail. */
export interface SignInMailer {
  send(user: ConsoleUser, link: string): Promise<void>;
}

/** What console sign-in is built from. */
export interface ConsoleAuthOptions {
  readonly sessions: SessionCodec;
  readonly signIn: SignInTokens;
  /** The only people who may sign in (by email, case-insensitive). */
  readonly users: readonly ConsoleUser[];
  readonly mailer: SignInMailer;
  /** Where sessions are signed out, durably and for every web process. */
  readonly ledger: SignInLedger;
  /** Sign-in requests allowed per address and per client; defaults {@link defaultSignInLimits}. */
  readonly limits?: SignInLimits;
  /** The queue sign-in mail waits in; default one created here. */
  readonly outbox?: BackgroundMailer;
  /** PUBLIC_URL: base of sign-in links, the only origin POSTs are accepted from, and whether cookies are Secure. */
  readonly publicUrl: string;
  readonly now: () => number;
  /** Who the console is for, in the plans' own names (e.g. `督查处及秘书长、分管副秘书长`), for the sign-in hint. */
  readonly audience?: string;
}

/** Sign-in routes and the two middlewares that guard the console. */
export interface ConsoleAuth {
  readonly routes: Hono;
  readonly requireSession: MiddlewareHandler<ConsoleEnv>;
  readonly requireCsrf: MiddlewareHandler<ConsoleEnv>;
}

/** How often one address, and one client, may ask for a sign-in link. */
export interface SignInLimits {
  readonly perAddress: RateLimit;
  readonly perClient: RateLimit;
}

/** 5 links per address and 20 requests per client in 15 minutes: plenty for a person, useless for a flood. */
export const defaultSignInLimits: SignInLimits = {
  perAddress: { limit: 5, windowMs: 15 * 60 * 1000 },
  perClient: { limit: 20, windowMs: 15 * 60 * 1000 },
};

/** The session cookie's name. */
export const sessionCookie = 'duban_session';

const emailForm = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });

export function createConsoleAuth(options: ConsoleAuthOptions): ConsoleAuth {
  const { sessions, signIn, users, mailer, ledger, publicUrl, now, audience, limits = defaultSignInLimits, outbox = createBackgroundMailer() } = options;
  const base = publicUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const secure = base.startsWith('https:');
  const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user]));
  const sameOrigin = (header: string | undefined) => header === undefined || header === origin;
  const perAddress = new RateLimiter(limits.perAddress);
  const perClient = new RateLimiter(limits.perClient);
  const routes = new Hono();

  routes.get('/login', (c) => c.html(signInPage(c.req.query('sent') === '1', audience)));

  routes.post('/login', async (c) => {
    // Before there is a session there is no form token: the Origin check stops cross-site posts.
    if (!sameOrigin(c.req.header('Origin'))) throw new HTTPException(403, { message: '请求来源不被接受。' });
    const client = clientOf(c);
    if (!perClient.take(client, now())) {
      throw new RequestRefusedError(429, `登录请求过于频繁，请 ${Math.ceil(perClient.retryAfterSeconds(client, now()) / 60)} 分钟后再试。`);
    }
    const parsed = emailForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400, { message: '请输入有效的邮箱地址。' });
    const email = parsed.data.email;
    // Counted for every address, known or not, so the limit itself reveals nothing.
    const allowed = perAddress.take(email, now());
    const user = byEmail.get(email);
    // The same answer, at once, whether or not the address may sign in (or is over its limit): the mail is
    // minted and sent after the response, so neither the page nor its timing reveals anybody's access.
    if (user && allowed) outbox.enqueue(() => mailer.send(user, `${base}/login/${signIn.mint(user.email, now())}`), user.email);
    return c.redirect('/login?sent=1', 303);
  });

  // Mail scanners open links: GET only shows a button, the POST signs in and spends the link.
  routes.get('/login/:token', (c) => c.html(confirmSignInPage()));

  routes.post('/login/:token', async (c) => {
    if (!sameOrigin(c.req.header('Origin'))) throw new HTTPException(403, { message: '请求来源不被接受。' });
    const email = await signIn.redeem(c.req.param('token'), now());
    const user = email ? byEmail.get(email.toLowerCase()) : undefined;
    if (!user) throw new HTTPException(403, { message: '登录链接无效、已使用或已过期，请重新获取登录链接。' });
    const { value, session } = sessions.issue(user, now());
    setCookie(c, sessionCookie, value, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: new Date(session.expiresAt) });
    return c.redirect('/console', 303);
  });

  const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const found = sessions.verify(getCookie(c, sessionCookie), now());
    // Signed out anywhere (another web process, before a restart) means signed out here: the ledger decides.
    const session = found && !(await ledger.isSessionRevoked(found.csrfToken, found.expiresAt)) ? found : undefined;
    if (!session) {
      if (c.req.method === 'GET') return c.redirect('/login', 303);
      throw new HTTPException(403, { message: '请先登录。' });
    }
    c.set('session', session);
    await next();
    c.header('Cache-Control', 'no-store');
  };

  const requireCsrf: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = await c.req.parseBody();
      if (!sameOrigin(c.req.header('Origin')) || !csrfMatches(c.var.session, form._csrf)) {
        throw new HTTPException(403, { message: '页面已失效或请求来源不被接受，请刷新页面后重试。' });
      }
    }
    await next();
  };

  routes.post('/logout', requireSession, requireCsrf, async (c) => {
    await ledger.revokeSession(c.var.session.csrfToken, c.var.session.expiresAt);
    deleteCookie(c, sessionCookie, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
    return c.redirect('/login', 303);
  });

  return { routes, requireSession, requireCsrf };
}

/** The client's address as the socket gives it; behind a proxy that is the proxy (one limit for all behind it). */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by node (in-process requests in tests): one shared client.
    return 'local';
  }
}

function signInPage(sent: boolean, audience = '督查督办工作人员') {
  return layout('督查督办系统登录', html`${sent ? html`<p class="notice ok">如该邮箱有登录权限，登录链接已发送，请查收邮件（15 分钟内有效，仅可使用一次）。</p>` : ''}
<form method="post" action="/login">
<label for="email">工作邮箱</label>
<input type="email" id="email" name="email" required autocomplete="email">
<button type="submit">发送登录链接</button>
<p class="hint">仅限${audience}使用。责任单位请通过通知邮件中的链接办理。</p>
</form>`);
}

function confirmSignInPage() {
  return layout('确认登录', html`<form method="post">
<p>点击下方按钮登录督查督办系统。</p>
<button type="submit">登录</button>
</form>`);
}
