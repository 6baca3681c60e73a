/** Recorded workflow histories, checked in under test/fixtures/histories and replayed to catch non-determinism. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';

export const historiesDir = new URL('../fixtures/histories/', import.meta.url).pathname;

/** Saves a closed workflow's history as `<slug of name>.json`. */
export async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  mkdirSync(historiesDir, { recursive: true });
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 90);
  const history = await handle.fetchHistory();
  writeFileSync(join(historiesDir, `${slug}.json`), `${JSON.stringify({ workflowId: handle.workflowId, history }, null, 1)}\n`);
}

/** Every recorded history, ready for `Worker.runReplayHistories`. */
export function loadHistories(): { name: string; workflowId: string; history: proto.temporal.api.history.v1.IHistory }[] {
  return readdirSync(historiesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const { workflowId, history } = JSON.parse(readFileSync(join(historiesDir, file), 'utf8')) as { workflowId: string; history: unknown };
      // Saved with protobufjs's own JSON form (enum names, base64 bytes), so its fromObject reads it back.
      return { name: file, workflowId, history: proto.temporal.api.history.v1.History.fromObject(history as Record<string, unknown>) };
    });
}
