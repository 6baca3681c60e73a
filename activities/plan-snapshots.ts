/**
 * Plans as content-addressed snapshots on disk (`<dir>/<sha256>.json`): `duban plan start` stores the validated
 * plan, and the worker's activities read it to build each deliverable's input where it starts, so no workflow
 * payload ever carries every deliverable's input. Worker and CLI share the folder (DATA_DIR/plans).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../config/plan-schema.ts';

/** Where snapshots go when the caller names no folder (tests and simulations: CLI and worker in one process or on one machine). */
export const defaultSnapshotDir = join(tmpdir(), 'duban-plan-snapshots');

/** The snapshot folder of a DATA_DIR, shared by `duban plan start` and `duban worker`. */
export function planSnapshotDir(dataDir: string): string {
  return join(dataDir, 'plans');
}

/** A snapshot that is not in the folder: the worker does not share DATA_DIR with the `plan start` that stored it. */
export class MissingPlanSnapshotError extends Error {
  override readonly name = 'MissingPlanSnapshotError';
  constructor(readonly ref: string, readonly dir: string) {
    super(`plan snapshot ${ref} is not in ${dir}: the worker must share DATA_DIR with \`duban plan start\` (or copy the file there)`);
  }
}

/** Stores the plan (idempotent: the same plan has the same address) and returns its address. */
export async function savePlanSnapshot(plan: Plan, dir: string = defaultSnapshotDir): Promise<string> {
  const text = JSON.stringify(plan);
  const ref = createHash('sha256').update(text).digest('hex').slice(0, 32);
  const file = join(dir, `${ref}.json`);
  const present = await readFile(file, 'utf8').then((t) => t === text, () => false);
  if (!present) {
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, text);
    await rename(partial, file);
  }
  return ref;
}

/** Reads snapshots, keeping the few most recent parsed (a 10,000-item plan is read once per batch otherwise). */
export function createSnapshotReader(dir: string = defaultSnapshotDir): (ref: string) => Promise<Plan> {
  const cache = new Map<string, Promise<Plan>>();
  return (ref) => {
    if (!/^[0-9a-f]{32}$/.test(ref)) return Promise.reject(new TypeError(`not a plan snapshot address: "${ref}"`));
    let plan = cache.get(ref);
    if (!plan) {
      plan = readFile(join(dir, `${ref}.json`), 'utf8').then(
        (text) => JSON.parse(text) as Plan,
        (err: NodeJS.ErrnoException) => Promise.reject(err.code === 'ENOENT' ? new MissingPlanSnapshotError(ref, dir) : err),
      );
      // A failed read is not remembered: the file may appear (copied, or the share mounted) before the retry.
      plan.catch(() => cache.delete(ref));
      if (cache.size >= 4) cache.delete(cache.keys().next().value!);
      cache.set(ref, plan);
    }
    return plan;
  };
}
