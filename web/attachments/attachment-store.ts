/**
 * Where 办结材料 are kept: outside workflow history, addressed by the SHA-256 of their content. An upload is first
 * staged (written while it streams in, hashed on the way), checked, and only then adopted into the store. The file
 * store below keeps `DIR/<sha256>`, written atomically (staged in `DIR/.staging`, fsynced, renamed); an
 * S3-compatible bucket would implement the same interface (stage locally, then put the object under its hash).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An upload written to the staging area, not yet in the store. */
export interface StagedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** A stored file opened for reading. */
export interface StoredFile {
  readonly size: number;
  readonly stream: Readable;
}

/** Content-addressed file storage. */
export interface AttachmentStore {
  /** Writes `source` to the staging area, hashing it; a failing source leaves nothing behind. */
  stage(source: Readable): Promise<StagedFile>;
  /** Drops a staged file (refused uploads). */
  discard(staged: StagedFile): Promise<void>;
  /** Moves a checked, staged file into the store under its hash; identical content is kept once. */
  adopt(staged: StagedFile): Promise<void>;
  /** The stored bytes, or undefined when the store does not hold them. */
  open(sha256: string): Promise<StoredFile | undefined>;
}

const hashPattern = /^[0-9a-f]{64}$/;

/** A store in a local folder (`DATA_DIR/attachments`); folders are made on first use, not at start-up. */
export function createFileAttachmentStore(dir: string): AttachmentStore {
  const staging = join(dir, '.staging');
  return {
    async stage(source) {
      await mkdir(staging, { recursive: true });
      const path = join(staging, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, counter, createWriteStream(path, { flags: 'wx' }));
        // On disk before it is named by its hash: a crash can leave a staged file, never a truncated stored one.
        const handle = await open(path, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (err) {
        await unlink(path).catch(() => undefined);
        throw err;
      }
      return { path, size, sha256: hash.digest('hex') };
    },
    async discard(staged) {
      await unlink(staged.path).catch(() => undefined);
    },
    async adopt(staged) {
      const target = join(dir, staged.sha256);
      if (await exists(target)) {
        await unlink(staged.path).catch(() => undefined);
        return;
      }
      await rename(staged.path, target);
      await syncFolder(dir);
    },
    async open(sha256) {
      if (!hashPattern.test(sha256)) return undefined;
      const path = join(dir, sha256);
      try {
        const { size } = await stat(path);
        return { size, stream: createReadStream(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable (the folder's entry), where the platform allows it. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the file's own data is already synced.
  } finally {
    await handle.close();
  }
}
