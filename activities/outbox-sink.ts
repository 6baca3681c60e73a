/** A sink that appends every notice as one JSON line to a file: the delivery record until email is wired in. */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notification } from '../workflows/definitions.ts';
import type { NotificationSink } from './notification-sink.ts';

/** One delivered notice with the wall-clock time it was written. */
export interface OutboxEntry {
  readonly deliveredAt: string;
  readonly notification: Notification;
}

/** Appends each delivery to `file` (JSON lines); a retried notice is written again with the same key. */
export function createOutboxSink(file: string): NotificationSink {
  let ready: Promise<unknown> | undefined;
  return {
    async deliver(notification) {
      ready ??= mkdir(dirname(file), { recursive: true });
      await ready;
      const entry: OutboxEntry = { deliveredAt: new Date().toISOString(), notification };
      await appendFile(file, `${JSON.stringify(entry)}\n`);
    },
  };
}

/** Reads an outbox file back (empty when it does not exist yet). */
export async function readOutbox(file: string): Promise<OutboxEntry[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxEntry);
}
