/** The file store of 办结材料: staged while hashed, adopted under the hash once, nothing left of a failed stage, only hashes opened. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileAttachmentStore } from '../web/attachments/attachment-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'duban-store-'));
  dirs.push(dir);
  return { dir, store: createFileAttachmentStore(join(dir, 'attachments')) };
}

const text = async (stream: Readable) => Buffer.concat(await stream.toArray()).toString();

describe('the file attachment store', () => {
  it('hashes while staging and keeps the same bytes once under their SHA-256', async () => {
    const { dir, store: files } = store();
    const bytes = Buffer.from('%PDF-1.4 same bytes');
    const digest = createHash('sha256').update(bytes).digest('hex');
    const first = await files.stage(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(first).toMatchObject({ sha256: digest, size: bytes.length });
    await files.adopt(first);
    await files.adopt(await files.stage(Readable.from([bytes])));
    expect(readdirSync(join(dir, 'attachments')).sort()).toEqual(['.staging', digest]);
    expect(readdirSync(join(dir, 'attachments', '.staging'))).toEqual([]);
    expect(readFileSync(join(dir, 'attachments', digest))).toEqual(bytes);
    const opened = await files.open(digest);
    expect(opened!.size).toBe(bytes.length);
    expect(await text(opened!.stream)).toBe(bytes.toString());
  });

  it('leaves nothing of a source that fails half way, and drops a discarded stage', async () => {
    const { dir, store: files } = store();
    const failing = new Readable({
      read() {
        this.push(Buffer.from('part of a file'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(files.stage(failing)).rejects.toThrow('client went away');
    const staged = await files.stage(Readable.from([Buffer.from('refused later')]));
    await files.discard(staged);
    expect(readdirSync(join(dir, 'attachments', '.staging'))).toEqual([]);
    expect(await files.open(staged.sha256)).toBeUndefined();
  });

  it('opens only 64-digit hashes, so no name reaches another file', async () => {
    const { store: files } = store();
    for (const name of ['../../etc/passwd', '.staging', 'A'.repeat(64), '']) expect(await files.open(name)).toBeUndefined();
  });

  it('makes no folder before the first upload', async () => {
    const { dir } = store();
    expect(readdirSync(dir)).toEqual([]);
  });
});
