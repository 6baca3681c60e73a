/**
 * Sign-in for the console: a single-use link mailed to a known person of 督查室 or leadership, a signed session
 * cookie, an anti-forgery token on every POST, and sign-out.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { layout } from '../pages/layout.ts';
import { csrfMatches, type ConsoleUser, type Session, type SessionCodec } from './session.ts';
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

/** The session cookie's name. */
export const sessionCookie = 'duban_session';

const emailForm = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });

export function createConsoleAuth({ sessions, signIn, users, mailer, publicUrl, now, audience }: ConsoleAuthOptions): ConsoleAuth {
  const base = publicUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const secure = base.startsWith('https:');
  const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user]));
  const sameOrigin = (header: string | undefined) => header === undefined || header === origin;
  // Sessions signed out before they expire (by their unique form token). In memory: a restart forgets them.
  const signedOut = new Map<string, number>();
  const routes = new Hono();

  routes.get('/login', (c) => c.html(signInPage(c.req.query('sent') === '1', audience)));

  routes.post('/login', async (c) => {
    // Before there is a session there is no form token: the Origin check stops cross-site posts.
    if (!sameOrigin(c.req.header('Origin'))) throw new HTTPException(403, { message: '请求来源不被接受。' });
    const parsed = emailForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400, { message: '请输入有效的邮箱地址。' });
    const user = byEmail.get(parsed.data.email);
    // The same answer whether or not the address may sign in, so the page reveals nobody's access.
    if (user) await mailer.send(user, `${base}/login/${signIn.mint(user.email, now())}`);
    return c.redirect('/login?sent=1', 303);
  });

  // Mail scanners open links: GET only shows a button, the POST signs in and spends the link.
  routes.get('/login/:token', (c) => c.html(confirmSignInPage()));

  routes.post('/login/:token', (c) => {
    if (!sameOrigin(c.req.header('Origin'))) throw new HTTPException(403, { message: '请求来源不被接受。' });
    const email = signIn.redeem(c.req.param('token'), now());
    const user = email ? byEmail.get(email.toLowerCase()) : undefined;
    if (!user) throw new HTTPException(403, { message: '登录链接无效、已使用或已过期，请重新获取登录链接。' });
    const { value, session } = sessions.issue(user, now());
    setCookie(c, sessionCookie, value, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: new Date(session.expiresAt) });
    return c.redirect('/console', 303);
  });

  const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    for (const [token, expiresAt] of signedOut) if (expiresAt <= now()) signedOut.delete(token);
    const found = sessions.verify(getCookie(c, sessionCookie), now());
    const session = found && !signedOut.has(found.csrfToken) ? found : undefined;
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

  routes.post('/logout', requireSession, requireCsrf, (c) => {
    signedOut.set(c.var.session.csrfToken, c.var.session.expiresAt);
    deleteCookie(c, sessionCookie, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
    return c.redirect('/login', 303);
  });

  return { routes, requireSession, requireCsrf };
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
