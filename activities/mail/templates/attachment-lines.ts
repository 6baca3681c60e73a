/** 办结材料 in a notice to the supervisor: which files came with the confirmation (names and sizes; the files stay in the console). */
import { formatBytes } from '../../../workflows/attachment-refs.ts';
import type { Notification } from '../../../workflows/definitions.ts';
import { unitName } from '../format.ts';

/** A sentence saying where the files are, or none when the confirmation carried none. */
export function attachmentParagraphs(n: Notification): string[] {
  const files = n.context.attachments ?? [];
  return files.length === 0 ? [] : [`随确认提交办结材料${files.length}个（见下），请登录督办系统在该事项页面查看、下载后验收。`];
}

/** One fact line per file: `办结材料1  验收报告.pdf（12.3 KB，综合指导司提交）`. */
export function attachmentFacts(n: Notification): [string, string][] {
  const files = n.context.attachments ?? [];
  return files.map((f, i) => [`办结材料${files.length > 1 ? i + 1 : ''}`, `${f.name}（${formatBytes(f.size)}，${unitName(n, f.unitId)}提交）`]);
}
