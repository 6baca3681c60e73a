/**
 * 办结材料 as a workflow knows them: references to files kept outside history (content hash, name, type, size),
 * checked by zod before they enter history. Pure, so workflows, web and mail share one definition.
 */
import { z } from 'zod';

/** The file types a unit may attach, by MIME type, with the extensions a download is named with. */
export const attachmentTypes = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/png': { label: 'PNG 图片', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG 图片', extensions: ['jpg', 'jpeg'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word 文档', extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel 表格', extensions: ['xlsx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint 演示文稿', extensions: ['pptx'] },
  'application/msword': { label: 'Word 文档（97-2003）', extensions: ['doc'] },
  'application/vnd.ms-excel': { label: 'Excel 表格（97-2003）', extensions: ['xls'] },
} as const;

/** One accepted MIME type. */
export type AttachmentType = keyof typeof attachmentTypes;

/** Limits of one confirmation's upload; the web server enforces them while the body streams in, the validator again. */
export const attachmentLimits = {
  /** Bytes of one file (10 MiB). */
  maxFileBytes: 10 * 1024 * 1024,
  /** Files in one confirmation. */
  maxFiles: 5,
  /** Bytes of all files of one confirmation (25 MiB). */
  maxTotalBytes: 25 * 1024 * 1024,
  /** Characters of a file name as kept and shown. */
  maxNameLength: 100,
  /** References a deliverable keeps over all its confirmations (confirm, 退回, confirm again …). */
  maxPerDeliverable: 100,
} as const;

// The checks build their patterns per call: the worker freezes the schemas of this shared module, and V8 cannot
// run a frozen RegExp object (it writes its lastIndex).
const isSha256Hex = (value: string) => /^[0-9a-f]{64}$/.test(value);
// Control characters, bidirectional overrides (which make `gpj.exe` read as `exe.jpg`) and path separators.
// eslint-disable-next-line no-control-regex
const isSafeName = (name: string) => !/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]/.test(name) && name.trim() === name && !name.startsWith('.');

/** A reference to one stored file. */
export const attachmentRef = z.object({
  sha256: z.string().refine(isSha256Hex, { message: '附件的内容摘要须为 64 位十六进制 SHA-256' }),
  name: z.string().min(1).max(attachmentLimits.maxNameLength, { message: `附件名称不能超过 ${attachmentLimits.maxNameLength} 字` })
    .refine(isSafeName, { message: '附件名称含有不允许的字符' }),
  type: z.enum(Object.keys(attachmentTypes) as [AttachmentType, ...AttachmentType[]], { message: '附件类型不在允许之列' }),
  size: z.number().int().min(1).max(attachmentLimits.maxFileBytes, { message: '附件大小超出限制' }),
}).strict();

/** The attachments of one confirmation: bounded in count and total size, each file once. */
export const attachmentRefs = z.array(attachmentRef)
  .max(attachmentLimits.maxFiles, { message: `附件最多 ${attachmentLimits.maxFiles} 个` })
  .refine((refs) => refs.reduce((sum, r) => sum + r.size, 0) <= attachmentLimits.maxTotalBytes, { message: '附件总大小超出限制' })
  .refine((refs) => new Set(refs.map((r) => r.sha256)).size === refs.length, { message: '同一文件重复上传' });

export type AttachmentRef = z.infer<typeof attachmentRef>;

/** A reference as the deliverable keeps it: which unit submitted it, and when (plan time, ISO). */
export interface AttachmentRecord extends AttachmentRef {
  readonly unitId: string;
  readonly at: string;
}

/** `1.2 MB`, `35 KB`, `512 字节`: sizes as people read them. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} 字节`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** PDF, Word 文档 …; an unknown type (from a newer version) as it is. */
export function attachmentTypeLabel(type: string): string {
  return (attachmentTypes as Record<string, { label: string }>)[type]?.label ?? type;
}
