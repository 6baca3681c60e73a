/**
 * Checks every request passes before any route reads it: the Host it was sent to (DNS rebinding), and for
 * anything but GET/HEAD a form body of bounded size in the one encoding our pages send.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** Largest form body any page sends (a 2,000-character note is about 18 kB URL-encoded, three bytes a character). */
export const maxFormBytes = 32 * 1024;

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An error the app's handler turns into a Chinese page with this status; `close` also ends the connection. */
export class RequestRefusedError extends HTTPException {
  constructor(status: 400 | 413 | 415 | 421 | 429, message: string, readonly close = false) {
    super(status, { message });
  }
}

/**
 * Accepts a request only when its Host is PUBLIC_URL's host or a loopback name. A page fetched through a
 * rebound DNS name carries that name as Host and is refused; a loopback Host can only come from this machine
 * (or a proxy the operator set up), so it carries no such risk and keeps `duban dev` and health checks working.
 */
export function hostGuard(publicUrl: string): MiddlewareHandler {
  const publicHost = new URL(publicUrl).host.toLowerCase();
  return async (c, next) => {
    // Health checks come with whatever Host the orchestrator uses (often a pod IP); the answer reveals nothing.
    if (c.req.path === '/healthz') return next();
    const host = (c.req.header('Host') ?? new URL(c.req.url).host).toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (host !== publicHost && !loopbackNames.has(name)) throw new RequestRefusedError(421, '请求的主机名不被接受，请使用系统的正式地址访问。');
    await next();
  };
}

/**
 * Refuses a body before reading it when it says it is too large, caps it while reading when it does not say,
 * and accepts only `application/x-www-form-urlencoded` — so a JSON or multipart body can never be read as an
 * empty form (and, say, confirm while dropping its note). The one exception: `multipartCap` may allow a
 * `multipart/form-data` body on a route (the confirm link's upload) by returning its byte cap; such a body is
 * left unread for the route, which streams it under its own caps.
 */
export function formBodyGuard(maxBytes = maxFormBytes, multipartCap?: (c: Context) => number | undefined): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return next();
    const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    const uploadCap = type === 'multipart/form-data' ? multipartCap?.(c) : undefined;
    const length = request.headers.get('Content-Length');
    if (length !== null && !request.headers.has('Transfer-Encoding')) {
      if (!/^\d+$/.test(length)) throw new RequestRefusedError(400, '请求格式不正确。', true);
      if (Number(length) > (uploadCap ?? maxBytes)) throw new RequestRefusedError(413, '提交内容过长。', true);
    }
    if (request.body && uploadCap !== undefined) return next();
    if (request.body) {
      if (type !== 'application/x-www-form-urlencoded') throw new RequestRefusedError(415, '提交格式不被接受，请通过系统页面上的表单提交。', true);
      c.req.raw = new Request(request, { body: await readCapped(request.body, maxBytes) });
    }
    await next();
  };
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RequestRefusedError(413, '提交内容过长。', true);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
