/** The page frame every duban page shares: Chinese, readable on a phone, no external assets. */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** The document start and `<head>` every page shares: Chinese, phone-sized, our own stylesheets only. */
export function documentHead(title: string, extraStylesheets: readonly string[] = []) {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<link rel="stylesheet" href="/assets/duban.css">
${extraStylesheets.map((href) => html`<link rel="stylesheet" href="${href}">
`)}</head>`;
}

/** A page; `title` and every interpolated value are escaped by hono's `html` template. */
export function layout(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`${documentHead(`${title} · 督办系统`)}
<body>
<header><span class="brand">督办系统</span></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** The stylesheet, served by the app itself (closed networks have no CDN). */
export const stylesheet = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 "PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f7f9}
header{background:#a4161a;color:#fff;padding:.6rem 1rem}
.brand{font-weight:600;letter-spacing:.1em}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:1rem;border-radius:6px;border:1px solid #d0d7de}
dl.facts dt{color:#57606a}
dl.facts dd{margin:0}
form{margin-top:1rem;background:#fff;padding:1rem;border-radius:6px;border:1px solid #d0d7de}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
textarea,input[type=date],input[type=email],input[type=text],input[type=number],select{width:100%;font:inherit;padding:.4rem;border:1px solid #8c959f;border-radius:4px}
textarea{min-height:6rem}
button{margin-top:1rem;font:inherit;padding:.6rem 1.4rem;border:0;border-radius:4px;background:#a4161a;color:#fff;cursor:pointer}
.notice{padding:1rem;border-radius:6px;margin:1rem 0;border:1px solid}
.notice.ok{background:#dafbe1;border-color:#4ac26b}
.notice.warn{background:#fff8c5;border-color:#d4a72c}
.notice.error{background:#ffebe9;border-color:#ff8182}
.light{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:-.05em}
.light.green{background:#2da44e}.light.yellow{background:#d4a72c}.light.red{background:#cf222e}.light.grey{background:#8c959f}
.hint{color:#57606a;font-size:.9rem}
blockquote{margin:.5rem 0;padding:.5rem 1rem;border-left:4px solid #a4161a;background:#fff}
`;
