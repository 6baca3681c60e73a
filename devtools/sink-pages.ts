/** The SMTP sink's pages: an inbox, a message with its HTML in a sandboxed frame, and the JSON the tests read. */
import { escapeHtml as e } from '../activities/mail/html.ts';
import { addressesOf, referencesOf, type ParsedMessage } from './mail-store.ts';

/** A message as `/api/messages` returns it. */
export interface MessageJson {
  readonly id: string;
  readonly receivedAt: string;
  readonly from: string;
  readonly to: string[];
  readonly cc: string[];
  readonly envelopeTo: readonly string[];
  readonly subject: string;
  readonly date?: string;
  readonly text: string;
  readonly html: string;
  readonly headers: { readonly messageId?: string; readonly inReplyTo?: string; readonly references: string[] };
  readonly attachments: { readonly filename?: string; readonly contentType: string; readonly size: number }[];
}

/** The JSON view of one message. */
export function messageJson(m: ParsedMessage): MessageJson {
  return {
    id: m.id,
    receivedAt: m.receivedAt.toISOString(),
    from: m.mail.from?.text ?? '',
    to: addressesOf(m.mail.to),
    cc: addressesOf(m.mail.cc),
    envelopeTo: m.envelope.to,
    subject: m.mail.subject ?? '',
    date: m.mail.date?.toISOString(),
    text: m.mail.text ?? '',
    html: m.mail.html || '',
    headers: { messageId: m.mail.messageId, inReplyTo: m.mail.inReplyTo, references: referencesOf(m.mail) },
    attachments: m.mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
  };
}

const style = `body{font-family:'Microsoft YaHei','PingFang SC',sans-serif;margin:16px 24px;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}a{color:#0b57d0}pre{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:12px}
iframe{width:100%;height:640px;border:1px solid #ccc}.muted{color:#777;font-size:13px}`;

function page(title: string, body: string, refresh = false): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="5">' : ''}<title>${e(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

function time(d: Date): string {
  return d.toLocaleString('zh-CN', { hour12: false });
}

/** `/`: every message, newest first. */
export function inboxPage(messages: readonly ParsedMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map((m) => `<tr><td>${e(time(m.receivedAt))}</td><td>${e(m.mail.to ? addressesOf(m.mail.to).join(', ') : m.envelope.to.join(', '))}</td><td><a href="/messages/${e(m.id)}">${e(m.mail.subject || '（无主题）')}</a></td></tr>`)
    .join('\n');
  const table = messages.length
    ? `<table><thead><tr><th>时间</th><th>收件人</th><th>主题</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="muted">暂无邮件。</p>';
  return page(`收件箱（${messages.length}）`, `<h1>收件箱（${messages.length}）</h1><p class="muted">本地 SMTP 收件箱，仅供开发调试；每 5 秒刷新。</p>${table}`, true);
}

// Text parts carry the action links: make them clickable, every piece escaped.
function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"'）]+)/g)
    .map((part, i) => (i % 2 === 1 ? `<a href="${e(part)}" target="_blank" rel="noopener noreferrer">${e(part)}</a>` : e(part)))
    .join('');
}

// Links in the framed mail open in a new tab (the action pages), not inside the sandbox.
function withBaseTarget(html: string): string {
  const base = '<base target="_blank">';
  return /<head(\s[^>]*)?>/i.test(html) ? html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}${base}`) : `${base}${html}`;
}

/** `/messages/:id`: headers, the HTML part in a sandboxed frame (no scripts, links open in a new tab), the text part. */
export function messagePage(m: ParsedMessage): string {
  const json = messageJson(m);
  const headerRows: [string, string][] = [
    ['发件人', json.from],
    ['收件人', m.mail.to ? (Array.isArray(m.mail.to) ? m.mail.to.map((t) => t.text).join(', ') : m.mail.to.text) : ''],
    ['抄送', json.cc.join(', ')],
    ['信封收件人', json.envelopeTo.join(', ')],
    ['时间', time(m.receivedAt)],
    ['Message-ID', json.headers.messageId ?? ''],
    ['In-Reply-To', json.headers.inReplyTo ?? ''],
    ['References', json.headers.references.join(' ')],
  ];
  const headers = headerRows.filter(([, v]) => v).map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  const attachments = json.attachments.length
    ? `<h2>附件</h2><ul>${json.attachments.map((a, i) => `<li><a href="/messages/${e(m.id)}/attachments/${i}">${e(a.filename ?? `附件 ${i + 1}`)}</a> <span class="muted">${e(a.contentType)}，${a.size} 字节</span></li>`).join('')}</ul>`
    : '';
  // srcdoc is an attribute: the whole document is escaped once more; the sandbox has no allow-scripts.
  const html = json.html
    ? `<h2>正文</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${e(withBaseTarget(json.html))}"></iframe>`
    : '';
  return page(
    json.subject || '（无主题）',
    `<p><a href="/">← 收件箱</a> · <a href="/messages/${e(m.id)}.eml">原始邮件</a></p><h1>${e(json.subject || '（无主题）')}</h1><table>${headers}</table>${attachments}${html}<h2>纯文本</h2><pre>${linkify(json.text)}</pre>`,
  );
}

/** The page for an unknown address or message. */
export function notFoundPage(): string {
  return page('未找到', '<h1>未找到</h1><p><a href="/">← 收件箱</a></p>');
}
