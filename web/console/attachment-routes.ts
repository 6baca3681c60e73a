/**
 * 办结材料 in the console: the section of the detail page that lists them, and their download. Only files the
 * deliverable references are served, always as a download (`Content-Disposition: attachment`, `nosniff`, a sandboxing
 * CSP), so nothing a unit uploaded can run in the console's origin.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { attachmentTypeLabel, attachmentTypes, formatBytes, type AttachmentRecord } from '../../workflows/attachment-refs.ts';
import type { DeliverableStatusView, LogEvent } from '../../workflows/definitions.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { attachmentDisposition } from './csv.ts';
import { shortTime } from './event-labels.ts';

/** The download route, relative to the console's base. */
export const attachmentRoute = '/plans/:planId/deliverables/:deliverableId/attachments/:sha256';

/** The download address of one file of a deliverable. */
export function attachmentUrl(base: string, planId: string, deliverableId: string, sha256: string): string {
  return `${base}/plans/${encodeURIComponent(planId)}/deliverables/${encodeURIComponent(deliverableId)}/attachments/${sha256}`;
}

/** Serves one file the deliverable references; 404 for any other hash, whatever the store holds. */
export async function attachmentDownload(c: Context, view: DeliverableStatusView, store: AttachmentStore): Promise<Response> {
  const sha256 = c.req.param('sha256') ?? '';
  // The newest record names the file (the same bytes sent twice keep the later name).
  const record = [...(view.attachments ?? [])].reverse().find((a) => a.sha256 === sha256);
  if (!record) throw new HTTPException(404, { message: '该事项没有这个附件。' });
  const file = await store.open(sha256);
  if (!file) {
    console.error(`console: attachment ${sha256} of ${view.workflowId} is referenced but missing from the store`);
    throw new HTTPException(404, { message: '附件文件已不在存储中，请联系系统管理员。' });
  }
  const known = Object.hasOwn(attachmentTypes, record.type);
  const extension = known ? attachmentTypes[record.type].extensions[0] : 'bin';
  const ascii = /^[\x20-\x7e]+$/.test(record.name) ? record.name : `attachment-${sha256.slice(0, 12)}.${extension}`;
  return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
    'Content-Type': known ? record.type : 'application/octet-stream',
    'Content-Length': String(file.size),
    'Content-Disposition': attachmentDisposition(ascii, record.name),
    'X-Content-Type-Options': 'nosniff',
    // Opened in a tab anyway, the file would run nothing: no scripts, no plugins, a unique origin.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
}

/** The 办结材料 section of the detail page: every file with its type, size, unit and time. */
export function attachmentSection(view: DeliverableStatusView, unitName: (id: string) => string, urlOf: (sha256: string) => string) {
  // Newest confirmation first; a confirmation's files in the order the unit chose them (the sort is stable).
  const files = [...(view.attachments ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  if (files.length === 0) return '';
  const standing = (a: AttachmentRecord) => view.units.some((u) => u.unitId === a.unitId && u.confirmedAt === a.at);
  return html`<h2>办结材料</h2>
<div class="table-wrap"><table class="data cards attachments">
<thead><tr><th scope="col">文件</th><th scope="col">类型</th><th scope="col">大小</th><th scope="col">提交单位</th><th scope="col">提交时间</th><th scope="col">说明</th></tr></thead>
<tbody>${files.map((a) => html`<tr>
<td data-label="文件"><a href="${urlOf(a.sha256)}" download>${a.name}</a></td>
<td data-label="类型">${attachmentTypeLabel(a.type)}</td>
<td data-label="大小" class="nowrap">${formatBytes(a.size)}</td>
<td data-label="提交单位">${unitName(a.unitId)}</td>
<td data-label="提交时间" class="nowrap">${shortTime(a.at)}</td>
<td data-label="说明">${standing(a) ? '随本次确认完成提交' : '随此前的确认提交（已退回）'}</td>
</tr>`)}</tbody>
</table></div>
<p class="hint">附件仅供下载查看，不在浏览器中打开；文件类型已按内容核验。</p>`;
}

/** `（附件：验收报告.pdf、现场照片.png）` after a confirmation in the event log. */
export function attachmentsNote(event: LogEvent): string {
  return event.attachments?.length ? `（附件：${event.attachments.map((a) => a.name).join('、')}）` : '';
}
