/** A sink that appends every notice as one JSON line to a file: the delivery record until email is wired in. */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notification } from '../workflows/definitions.ts';
import type { NotificationSink } from './notification-sink.ts';

/** One delivered notice with the wall-clock time it was written. */
export interface OutboxEntry {
  readonly deliveredAt: string;
  readonly notification: Notification;
  /** Set when the notice went out in a combined 交办通知: the unit it was for and the batch (one mail) it was in. */
  readonly batch?: { readonly unitId: string; readonly key: string };
}

/** Appends each delivery to `file` (JSON lines); a retried notice is written again with the same key. */
export function createOutboxSink(file: string): NotificationSink {
  let ready: Promise<unknown> | undefined;
  const append = async (entries: OutboxEntry[]) => {
    ready ??= mkdir(dirname(file), { recursive: true });
    await ready;
    // One write per delivery, so a batch is recorded whole or (on a crash) retried whole.
    await appendFile(file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  };
  return {
    async deliver(notification) {
      await append([{ deliveredAt: new Date().toISOString(), notification }]);
    },
    async deliverAssignments(unit, notices, key) {
      const deliveredAt = new Date().toISOString();
      await append(notices.map((notification) => ({ deliveredAt, notification, batch: { unitId: unit.unitId, key } })));
    },
  };
}

/** Reads an outbox file back (empty when it does not exist yet). */
export async function readOutbox(file: string): Promise<OutboxEntry[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxEntry);
}
