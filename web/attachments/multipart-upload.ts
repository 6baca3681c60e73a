/**
 * Receives the confirm page's `multipart/form-data` body while it streams in: raw bytes, files, file size and
 * fields are capped as they arrive (never buffered whole), each file is staged and hashed on the way, then checked
 * by its content. Any refusal discards every staged file, so nothing of a refused upload is kept.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { attachmentLimits, type AttachmentRef } from '../../workflows/attachment-refs.ts';
import { RequestRefusedError } from '../request-guards.ts';
import type { AttachmentStore, StagedFile } from './attachment-store.ts';
import { allowedTypesText, classifyFile, safeAttachmentName } from './file-types.ts';

/** The caps of one upload. */
export interface UploadLimits {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxTotalBytes: number;
  /** Bytes of one text field (the note: 2,000 characters are at most 8 kB of UTF-8). */
  readonly maxFieldBytes: number;
  /** Raw body bytes: the files plus room for the note, part headers and boundaries. */
  readonly maxBodyBytes: number;
}

/** 10 MB a file, 5 files, 25 MB in all (the limits the workflow's validator checks again). */
export const uploadLimits: UploadLimits = {
  maxFileBytes: attachmentLimits.maxFileBytes,
  maxFiles: attachmentLimits.maxFiles,
  maxTotalBytes: attachmentLimits.maxTotalBytes,
  maxFieldBytes: 32 * 1024,
  maxBodyBytes: attachmentLimits.maxTotalBytes + 256 * 1024,
};

/** The form field the page's file input posts under. */
export const filesField = 'files';

/**
 * An upload refused for its content or form: a 4xx page in Chinese. A body within the cap is read to its end first
 * (bounded), so a browser, which sends the whole body before it reads the answer, shows the page; a body over the
 * cap is not read on and its connection is closed (`close`).
 */
export class UploadRefusedError extends RequestRefusedError {
  constructor(status: 400 | 413 | 415, message: string, close = false) {
    super(status, message, close);
  }
}

// Bodies read to their end: any other multipart request is answered with its connection closed.
const readToEnd = new WeakSet<Request>();

/** Whether an upload's body was read to its end (else the answer must close the connection). */
export function uploadFullyRead(request: Request): boolean {
  return readToEnd.has(request);
}

/** A checked file, staged but not yet in the store. */
export interface ReceivedFile {
  readonly staged: StagedFile;
  readonly ref: AttachmentRef;
}

/** The text fields and the checked files of one upload. */
export interface ReceivedUpload {
  readonly fields: Record<string, string>;
  readonly files: readonly ReceivedFile[];
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const malformed = '提交格式不被接受：上传的内容不完整或格式不正确，请通过系统页面重新提交。';

/** Whether a request says it carries `multipart/form-data`. */
export function isMultipart(request: Request): boolean {
  return (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase() === 'multipart/form-data';
}

/**
 * Reads a multipart body into text fields and staged, checked files; throws {@link UploadRefusedError} (400
 * malformed, 413 too large or too many, 415 a refused file type) after discarding whatever it staged.
 */
export async function receiveUpload(request: Request, store: AttachmentStore, limits: UploadLimits = uploadLimits): Promise<ReceivedUpload> {
  const fields: Record<string, string> = {};
  const staging: Promise<{ staged: StagedFile; filename: string } | undefined>[] = [];
  let refusal: UploadRefusedError | undefined;
  let refuse!: (err: UploadRefusedError) => void;
  const refused = new Promise<never>((_, reject) => (refuse = (err) => {
    refusal ??= err;
    reject(refusal);
  }));
  refused.catch(() => undefined);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': request.headers.get('Content-Type') ?? '' },
      // Browsers send file names as raw UTF-8; busboy's default (latin1) would garble every Chinese name.
      defParamCharset: 'utf8',
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fieldSize: limits.maxFieldBytes, fields: 8, parts: limits.maxFiles + 8, headerPairs: 16 },
    });
  } catch {
    throw new UploadRefusedError(400, malformed);
  }
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated || info.nameTruncated) return refuse(new UploadRefusedError(413, '提交的说明过长。'));
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    // The parser destroys a cut-off part's stream with an error; it must never go unheard (the staging reports it).
    stream.on('error', () => undefined);
    // A form whose file input was left empty still sends one part with no name and no bytes.
    if (name !== filesField || !info.filename) {
      stream.resume();
      if (name !== filesField) refuse(new UploadRefusedError(400, malformed));
      return;
    }
    stream.once('limit', () => refuse(new UploadRefusedError(413, `附件“${shortName(info.filename)}”超过 ${megabytes(limits.maxFileBytes)}，每个附件不能超过 ${megabytes(limits.maxFileBytes)}。`)));
    const job = stageOne(store, stream, info.filename);
    // Handled here too: a staging that fails while the body is still read must not be an unhandled rejection.
    job.catch(() => undefined);
    staging.push(job);
  });
  parser.on('filesLimit', () => refuse(new UploadRefusedError(413, `附件最多 ${limits.maxFiles} 个，请合并后再上传。`)));
  parser.on('fieldsLimit', () => refuse(new UploadRefusedError(413, '提交的字段过多。')));
  parser.on('partsLimit', () => refuse(new UploadRefusedError(413, '提交的字段过多。')));
  parser.on('error', () => refuse(new UploadRefusedError(400, malformed)));
  const parsed = once(parser, 'close');
  parsed.catch(() => undefined);

  try {
    await feed(request, parser, limits, { refused, refuse, failed: () => refusal !== undefined });
    await Promise.race([parsed, refused]);
    const staged = await Promise.race([Promise.all(staging), refused]);
    if (refusal) throw refusal;
    const files = staged.filter((s): s is { staged: StagedFile; filename: string } => s !== undefined);
    const total = files.reduce((sum, f) => sum + f.staged.size, 0);
    if (total > limits.maxTotalBytes) throw new UploadRefusedError(413, `附件合计不能超过 ${megabytes(limits.maxTotalBytes)}。`);
    return { fields, files: await checkAll(files, store) };
  } catch (err) {
    parser.destroy();
    // Every staging ends (its stream was destroyed with the parser); then nothing of this upload is left behind.
    const settled = await Promise.allSettled(staging);
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' && s.value ? store.discard(s.value.staged) : undefined)));
    if (refusal) throw refusal;
    // The disk failing is the server's fault (500); anything else here is a body the parser could not read.
    if (err instanceof UploadRefusedError || (err as NodeJS.ErrnoException).syscall) throw err;
    throw new UploadRefusedError(400, malformed);
  }
}

/** Adopts checked files into the store, returning their references; the files are kept once they are referenced. */
export async function keepUpload(store: AttachmentStore, upload: ReceivedUpload): Promise<AttachmentRef[]> {
  try {
    for (const file of upload.files) await store.adopt(file.staged);
  } catch (err) {
    // The disk failed (full, gone): nothing will be confirmed, so no staged file is left behind either.
    await discardUpload(store, upload);
    throw err;
  }
  return upload.files.map((f) => f.ref);
}

/** Drops the staged files of an upload that will not be used. */
export async function discardUpload(store: AttachmentStore, upload: ReceivedUpload): Promise<void> {
  await Promise.all(upload.files.map((f) => store.discard(f.staged)));
}

/**
 * Writes the body into the parser, counting raw bytes. After a refusal the rest is read and dropped (never more
 * than the cap), so the browser gets the answer; past the cap reading stops and the connection will be closed.
 */
async function feed(request: Request, parser: busboy.Busboy, limits: UploadLimits, refusals: { refused: Promise<never>; refuse: (err: UploadRefusedError) => void; failed: () => boolean }): Promise<void> {
  if (!request.body) throw new UploadRefusedError(400, malformed);
  const { refuse, failed } = refusals;
  const settled = refusals.refused.catch(() => undefined);
  const reader = request.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        readToEnd.add(request);
        break;
      }
      received += value.length;
      if (received > limits.maxBodyBytes) {
        refuse(new UploadRefusedError(413, `提交内容过长：附件合计不能超过 ${megabytes(limits.maxTotalBytes)}。`, true));
        break;
      }
      if (failed()) continue;
      if (!parser.write(value)) await Promise.race([once(parser, 'drain'), settled]);
    }
    if (!failed()) parser.end();
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function stageOne(store: AttachmentStore, stream: Readable, filename: string) {
  return { staged: await store.stage(stream), filename };
}

/** Checks each staged file by its content; the first refused one refuses the whole upload. */
async function checkAll(files: readonly { staged: StagedFile; filename: string }[], store: AttachmentStore): Promise<ReceivedFile[]> {
  const checked: ReceivedFile[] = [];
  const seen = new Set<string>();
  for (const { staged, filename } of files) {
    const verdict = classifyFile(await readFile(staged.path));
    if (!verdict.ok) throw new UploadRefusedError(415, `附件“${shortName(filename)}”${verdict.reason}。只接受${allowedTypesText}。`);
    // The same file chosen twice is kept and listed once.
    if (seen.has(staged.sha256)) {
      await store.discard(staged);
      continue;
    }
    seen.add(staged.sha256);
    checked.push({ staged, ref: { sha256: staged.sha256, name: safeAttachmentName(filename, verdict.type), type: verdict.type, size: staged.size } });
  }
  return checked;
}

function shortName(filename: string): string {
  const name = filename.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}
