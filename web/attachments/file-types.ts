/**
 * What an uploaded file is, read from its bytes (never from its name or the Content-Type the browser claims), and
 * the name it is kept under. Only PDF, PNG, JPEG and Office documents without macros pass; everything else — a
 * program, a script, HTML, SVG, an archive — is refused with a reason a person can act on.
 */
import { inflateRawSync } from 'node:zlib';
import { attachmentLimits, attachmentTypes, type AttachmentType } from '../../workflows/attachment-refs.ts';

/** The verdict on one file: its type, or why it is refused (Chinese, for the page). */
export type FileVerdict = { readonly ok: true; readonly type: AttachmentType } | { readonly ok: false; readonly reason: string };

/** The types as a person reads them in a refusal and on the page. */
export const allowedTypesText = 'PDF、PNG 或 JPEG 图片、Word（.docx/.doc）、Excel（.xlsx/.xls）、PowerPoint（.pptx）';

const refused = (reason: string): FileVerdict => ({ ok: false, reason });
const accepted = (type: AttachmentType): FileVerdict => ({ ok: true, type });

const startsWith = (bytes: Buffer, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

/** Classifies a whole file by its content. */
export function classifyFile(bytes: Buffer): FileVerdict {
  if (bytes.length === 0) return refused('文件为空');
  if (bytes.subarray(0, 8).toString('latin1').match(/^%PDF-\d\.\d/)) return accepted('application/pdf');
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && bytes.subarray(12, 16).toString('latin1') === 'IHDR') return accepted('image/png');
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return accepted('image/jpeg');
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return classifyZip(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return classifyCompoundFile(bytes);
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe])) {
    return refused('是可执行程序，不能作为办结材料上传');
  }
  const head = bytes.subarray(0, 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('#!')) return refused('是脚本文件，不能作为办结材料上传');
  if (head.startsWith('<') && /<svg[\s>]/.test(head)) return refused('是 SVG 图像（可含脚本），请转为 PNG 或 PDF 后上传');
  if (/^<(!doctype html|html|head|body|script|iframe|meta|\?xml)/.test(head)) return refused('是网页或 XML 文件，不能作为办结材料上传');
  if (startsWith(bytes, [0x52, 0x61, 0x72, 0x21]) || startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf]) || startsWith(bytes, [0x1f, 0x8b])) return refused('是压缩包，请上传其中的文件本身');
  return refused(`的内容不是允许的文件类型（${allowedTypesText}）`);
}

/** Entry names of a ZIP archive from its central directory, or undefined when it is not a well-formed one. */
export function zipEntries(bytes: Buffer): { name: string; method: number; compressedSize: number; localOffset: number }[] | undefined {
  const end = findEndOfCentralDirectory(bytes);
  if (end === undefined) return undefined;
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  let at = bytes.readUInt32LE(end + 16);
  if (at + size > end) return undefined;
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.push({ name, method: bytes.readUInt16LE(at + 10), compressedSize: bytes.readUInt32LE(at + 20), localOffset: bytes.readUInt32LE(at + 42) });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

function findEndOfCentralDirectory(bytes: Buffer): number | undefined {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at -= 1) {
    if (bytes.readUInt32LE(at) === 0x06054b50) return at;
  }
  return undefined;
}

const officeMainParts: [string, AttachmentType][] = [
  ['word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/** docx, xlsx or pptx: an Office Open XML package with its main part, and no macros or ActiveX controls. */
function classifyZip(bytes: Buffer): FileVerdict {
  const entries = zipEntries(bytes);
  if (!entries) return refused('是损坏的或不完整的压缩文件');
  const names = new Set(entries.map((e) => e.name));
  const contentTypes = entries.find((e) => e.name === '[Content_Types].xml');
  const main = officeMainParts.find(([part]) => names.has(part));
  if (!contentTypes || !main) return refused('是压缩包，请上传其中的文件本身');
  const declared = entryText(bytes, contentTypes);
  if (declared === undefined) return refused('是损坏的或不完整的 Office 文件');
  const lowered = entries.map((e) => e.name.toLowerCase());
  // A macro-enabled document (.docm, .xlsm, .pptm) keeps its code in vbaProject.bin and says so in [Content_Types].xml.
  if (lowered.some((n) => n.endsWith('vbaproject.bin') || n.includes('/activex/')) || /macroEnabled/i.test(declared)) {
    return refused('是含宏或控件的 Office 文件，请另存为不含宏的 .docx/.xlsx/.pptx 后上传');
  }
  return accepted(main[1]);
}

/** The text of a small stored or deflated entry, or undefined when it cannot be read. */
function entryText(bytes: Buffer, entry: { method: number; compressedSize: number; localOffset: number }): string | undefined {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return data.toString('utf8');
    // Bounded: [Content_Types].xml is a few kilobytes; a bomb stops at the limit and reads as suspect.
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: 1024 * 1024 }).toString('utf8');
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * A legacy .doc or .xls: an OLE compound file with a WordDocument or Workbook stream and no VBA storage. Its
 * directory entries are found by their shape (128-byte records, UTF-16 names) rather than by walking the FAT: enough
 * to tell a document from an installer (.msi) or a macro-carrying file, which are refused.
 */
function classifyCompoundFile(bytes: Buffer): FileVerdict {
  const names = new Set<string>();
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const length = bytes.readUInt16LE(at + 64);
    const kind = bytes[at + 66];
    if (length < 4 || length > 64 || length % 2 !== 0 || (kind !== 1 && kind !== 2 && kind !== 5)) continue;
    names.add(bytes.subarray(at, at + length - 2).toString('utf16le'));
  }
  if (['_VBA_PROJECT_CUR', '_VBA_PROJECT', 'Macros', 'VBA'].some((n) => names.has(n))) {
    return refused('是含宏的 Office 文件，请另存为不含宏的 .docx/.xlsx 后上传');
  }
  if (names.has('WordDocument')) return accepted('application/msword');
  if (names.has('Workbook') || names.has('Book')) return accepted('application/vnd.ms-excel');
  return refused('是不支持的旧版 Office 文件，请另存为 .docx/.xlsx/.pptx 或 PDF 后上传');
}

// Control characters, bidirectional overrides and characters Windows does not allow in a file name.
// eslint-disable-next-line no-control-regex
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"/\\|?*]/g;

/**
 * The name a file is kept and downloaded under: the last path segment of what the browser sent, without control,
 * direction or reserved characters, at most {@link attachmentLimits.maxNameLength} characters, and always ending in
 * an extension of its real type (`报告.exe` that is a PDF becomes `报告.exe.pdf`), so it opens with the right program.
 */
export function safeAttachmentName(original: string, type: AttachmentType): string {
  const extensions: readonly string[] = attachmentTypes[type].extensions;
  const last = original.split(/[/\\]/).pop() ?? '';
  let base = last.normalize('NFC').replace(unsafeCharacters, '_').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(extension)) base = base.slice(0, dot);
  else if (Object.values(attachmentTypes).some((t) => (t.extensions as readonly string[]).includes(extension))) base = base.slice(0, dot);
  const suffix = `.${extensions.includes(extension) ? extension : extensions[0]}`;
  const room = attachmentLimits.maxNameLength - suffix.length;
  const kept = [...(base || '附件')].slice(0, room).join('').trim().replace(/[.\s]+$/, '') || '附件';
  return `${kept}${suffix}`;
}
