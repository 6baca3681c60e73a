/** Renders a {@link MailDoc} as a self-contained HTML mail: inline styles only, every value escaped. */
import { escapeHtml as e, isWebUrl } from './html.ts';
import { lightColors, lightNames } from './format.ts';
import type { ActionLinks } from './action-links.ts';
import type { Cell, DocTable, MailDoc } from './mail-doc.ts';

/** The buttons in the order a unit most often needs them. */
export const linkLabels: readonly (readonly [keyof ActionLinks, string])[] = [
  ['acknowledge', '签收'],
  ['confirm', '确认完成'],
  ['progress', '报告进展'],
  ['extension', '申请延期'],
  ['milestone', '节点完成'],
  ['answer', '答复批示'],
  ['console', '进入督办系统'],
];

/** The sentence under the buttons: signed links are the unit's own and do not last; the console needs a sign-in. */
export function linkNoticeOf(doc: Pick<MailDoc, 'links' | 'linkNotice'>): string {
  const signed = linkLabels.some(([action]) => action !== 'console' && doc.links?.[action]);
  if (!signed) return '登录督办系统须使用你单位在本计划中登记的工作邮箱。';
  return doc.linkNotice ?? '以上链接仅供你单位使用，请勿转发；链接设有有效期。';
}

const font = "font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',SimSun,sans-serif";

function cell(value: Cell): string {
  if (typeof value === 'string') return e(value);
  return `<span style="display:inline-block;width:10px;height:10px;border-radius:5px;background:${lightColors[value.light]};margin-right:4px"></span>${e(lightNames[value.light])}`;
}

function table(t: DocTable): string {
  const th = t.columns.map((c) => `<th style="border:1px solid #ccc;padding:4px 8px;background:#f3f3f3;text-align:left">${e(c)}</th>`).join('');
  const rows = t.rows
    .map((r) => `<tr>${r.map((c) => `<td style="border:1px solid #ccc;padding:4px 8px">${cell(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table style="border-collapse:collapse;margin:12px 0;font-size:14px"><thead><tr>${th}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function buttons(doc: Pick<MailDoc, 'links' | 'linkNotice'>, withNotice = true): string {
  const links = doc.links;
  const present = linkLabels.filter(([action]) => links?.[action] && isWebUrl(links[action]));
  if (present.length === 0) return '';
  const anchors = present
    .map(([action, label]) => `<a href="${e(links![action])}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 18px;background:#b71c1c;color:#fff;text-decoration:none;border-radius:4px;font-weight:bold">${e(label)}</a>`)
    .join('');
  return `<div style="margin:20px 0 8px">${anchors}</div>${withNotice ? notice(doc) : ''}`;
}

function notice(doc: Pick<MailDoc, 'links' | 'linkNotice'>): string {
  return `<p style="color:#666;font-size:13px">${e(linkNoticeOf(doc))}</p>`;
}

function factTable(facts: MailDoc['facts']): string {
  return facts?.length
    ? `<table style="margin:12px 0;font-size:15px">${facts.map(([k, v]) => `<tr><td style="padding:2px 12px 2px 0;color:#555;white-space:nowrap;vertical-align:top">${e(k)}</td><td style="padding:2px 0">${e(v)}</td></tr>`).join('')}</table>`
    : '';
}

/** The items of a list notice, each boxed with its facts and its own buttons; the link notice once below them. */
function items(doc: MailDoc): string {
  if (!doc.items?.length) return '';
  const boxes = doc.items.map((item) =>
    `<div style="margin:16px 0;padding:8px 12px;border:1px solid #ddd;border-left:4px solid #b71c1c"><h3 style="margin:4px 0;font-size:16px">${e(item.heading)}</h3>${factTable(item.facts)}${buttons({ links: item.links }, false)}</div>`);
  const signed = doc.items.find((item) => item.links)?.links;
  return [...boxes, signed ? notice({ links: signed, linkNotice: doc.linkNotice }) : ''].join('\n');
}

/** The HTML part. */
export function renderHtml(doc: MailDoc): string {
  const facts = factTable(doc.facts);
  const quotes = (doc.quotes ?? [])
    .map(([k, v]) => `<blockquote style="margin:12px 0;padding:8px 12px;border-left:4px solid #b71c1c;background:#fff5f5"><strong>${e(k)}：</strong>${e(v)}</blockquote>`)
    .join('');
  return [
    '<!DOCTYPE html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${e(doc.subject)}</title></head>`,
    `<body style="${font};color:#222;line-height:1.7;max-width:760px;margin:0 auto;padding:16px">`,
    doc.copyNote ? `<p style="margin:0 0 8px;padding:4px 8px;background:#eef3fb;color:#345;font-size:13px">${e(doc.copyNote)}</p>` : '',
    `<h2 style="color:#b71c1c;text-align:center;letter-spacing:4px;margin:8px 0 16px">${e(doc.heading)}</h2>`,
    `<p>${e(doc.salutation)}</p>`,
    ...doc.paragraphs.map((p) => `<p style="text-indent:2em">${e(p)}</p>`),
    quotes,
    facts,
    doc.table ? table(doc.table) : '',
    items(doc),
    buttons(doc),
    `<p style="text-align:right;margin-top:24px">${e(doc.signature)}<br>${e(doc.date)}</p>`,
    '<hr style="border:none;border-top:1px solid #ddd"><p style="color:#888;font-size:12px">本邮件由督办系统自动发送，请勿直接回复。</p>',
    '</body></html>',
  ].filter(Boolean).join('\n');
}
