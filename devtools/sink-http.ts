/** The SMTP sink's HTTP routes, on plain node:http: read-only views of the mailbox. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MailStore } from './mail-store.ts';
import { inboxPage, messageJson, messagePage, notFoundPage } from './sink-pages.ts';

// Pages may show a message's own styles, nothing else: no scripts, no remote images, no framing of this page.
const pageHeaders = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...pageHeaders, 'content-type': type, ...extra });
  res.end(body);
}

// The mailbox holds sign-in links: a page on another site must not read it through a DNS name rebound to
// 127.0.0.1, and such a request carries that name as Host. Only loopback names are served.
const loopbackHost = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** Builds the request handler over a store. */
export function sinkHandler(store: MailStore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!loopbackHost.test(req.headers.host ?? '')) return send(res, 421, 'text/plain; charset=utf-8', 'misdirected request: the mailbox answers only to localhost / 127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed', { allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', 'http://sink').pathname;
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', inboxPage(store.all()));
    if (path === '/api/messages') {
      return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(store.all().reverse().map(messageJson)));
    }
    const message = /^\/messages\/([0-9]+-[0-9]+)(\.eml)?$/.exec(path);
    if (message) {
      const m = store.get(message[1]!);
      if (!m) return send(res, 404, 'text/html; charset=utf-8', notFoundPage());
      return message[2] ? send(res, 200, 'text/plain; charset=utf-8', m.raw) : send(res, 200, 'text/html; charset=utf-8', messagePage(m));
    }
    const attachment = /^\/messages\/([0-9]+-[0-9]+)\/attachments\/([0-9]+)$/.exec(path);
    const a = attachment ? store.get(attachment[1]!)?.mail.attachments[Number(attachment[2])] : undefined;
    if (a) {
      const name = encodeURIComponent(a.filename ?? 'attachment');
      // Downloaded, never rendered here: an attachment is whatever the sender put in it.
      return send(res, 200, a.contentType || 'application/octet-stream', a.content, {
        'content-disposition': `attachment; filename*=UTF-8''${name}`,
        'content-security-policy': 'sandbox',
      });
    }
    return send(res, 404, 'text/html; charset=utf-8', notFoundPage());
  };
}
