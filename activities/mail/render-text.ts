/** Renders a {@link MailDoc} as plain text that reads well on its own (no HTML needed to act on it). */
import { isWebUrl } from './html.ts';
import { lightNames } from './format.ts';
import { linkLabels, linkNoticeOf } from './render-html.ts';
import type { Cell, MailDoc } from './mail-doc.ts';

function cell(value: Cell): string {
  return typeof value === 'string' ? value : `[${lightNames[value.light]}]`;
}

/** The text part. */
export function renderText(doc: MailDoc): string {
  const lines: string[] = [];
  if (doc.copyNote) lines.push(`【${doc.copyNote}】`, '');
  lines.push(doc.heading, '', doc.salutation, '');
  for (const p of doc.paragraphs) lines.push(`\u3000\u3000${p}`, '');
  for (const [k, v] of doc.quotes ?? []) lines.push(`${k}：${v}`, '');
  if (doc.facts?.length) {
    for (const [k, v] of doc.facts) lines.push(`${k}：${v}`);
    lines.push('');
  }
  if (doc.table) {
    lines.push(doc.table.columns.join(' | '));
    for (const row of doc.table.rows) lines.push(row.map(cell).join(' | '));
    lines.push('');
  }
  for (const item of doc.items ?? []) {
    lines.push(`【${item.heading}】`);
    for (const [k, v] of item.facts) lines.push(`${k}：${v}`);
    for (const [action, label] of linkLabels) if (item.links?.[action] && isWebUrl(item.links[action])) lines.push(`${label}：${item.links[action]}`);
    lines.push('');
  }
  if (doc.items?.some((item) => item.links)) lines.push(linkNoticeOf({ links: doc.items.find((item) => item.links)?.links, linkNotice: doc.linkNotice }), '');
  const links = linkLabels.filter(([action]) => doc.links?.[action] && isWebUrl(doc.links[action]));
  if (links.length > 0) {
    for (const [action, label] of links) lines.push(`${label}：${doc.links![action]}`);
    lines.push(linkNoticeOf(doc), '');
  }
  lines.push(doc.signature, doc.date, '', '—— 本邮件由督办系统自动发送，请勿直接回复。');
  return `${lines.join('\n')}\n`;
}
