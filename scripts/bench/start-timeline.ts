/**
 * Where a plan's start time goes, from its history: the start activities' waits (scheduled → started), their run
 * times, and how long fewer than the plan's batches were running at once (the plan's own task between two batches).
 */
import type { Client } from '@temporalio/client';
import type proto from '@temporalio/proto';
import { timestampMs } from '../../activities/temporal-reads.ts';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** One start activity of the plan: epoch ms of its scheduling, start and completion. */
interface BatchTimes {
  readonly scheduled: number;
  started?: number;
  completed?: number;
}

/** The start batches of a plan as its history records them. */
export interface StartTimeline {
  /** A one-line summary for the bench's log. */
  readonly line: string;
  /** When the last batch completed (epoch ms): every item started, as the server recorded it. */
  readonly lastCompleted?: number;
}

/** The start batches of the plan workflow `workflowId` (every run). */
export async function startTimeline(client: Client, workflowId: string, parallel: number): Promise<StartTimeline> {
  const batches: BatchTimes[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, info.runId).fetchHistory();
    batches.push(...batchTimes(history.events ?? []));
  }
  const done = batches.filter((b): b is Required<BatchTimes> => b.started !== undefined && b.completed !== undefined);
  if (done.length === 0) return { line: 'no start batch completed' };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = Math.min(...done.map((b) => b.scheduled));
  const last = Math.max(...done.map((b) => b.completed));
  const line = `${done.length} start batches over ${fmt(last - first)} s: waited ${fmt(mean(done.map((b) => b.started - b.scheduled)))} s to start (mean), ran ${fmt(mean(done.map((b) => b.completed - b.started)))} s (mean); `
    + `fewer than ${parallel} running for ${fmt(underRunning(done, parallel, first, last))} s`;
  return { line, lastCompleted: last };
}

function batchTimes(events: readonly HistoryEvent[]): BatchTimes[] {
  const byScheduledId = new Map<string, BatchTimes>();
  for (const event of events) {
    const at = eventMs(event);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'startDeliverables') byScheduledId.set(String(event.eventId), { scheduled: at });
    const started = byScheduledId.get(String(event.activityTaskStartedEventAttributes?.scheduledEventId));
    if (started) started.started = at;
    const completed = byScheduledId.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId));
    if (completed) completed.completed = at;
  }
  return [...byScheduledId.values()];
}

/** Milliseconds between `from` and `to` during which fewer than `parallel` batches were running (started, not completed). */
function underRunning(batches: readonly Required<BatchTimes>[], parallel: number, from: number, to: number): number {
  const edges = batches.flatMap((b) => [{ at: b.started, step: 1 }, { at: b.completed, step: -1 }]).sort((a, b) => a.at - b.at || a.step - b.step);
  let running = 0;
  let since = from;
  let under = 0;
  for (const { at, step } of edges) {
    if (running < parallel) under += at - since;
    running += step;
    since = at;
  }
  return under + (running < parallel ? to - since : 0);
}

const fmt = (ms: number) => (ms / 1000).toFixed(1);

/** When a history event happened, in epoch milliseconds. */
export function eventMs(event: HistoryEvent): number {
  return timestampMs(event.eventTime);
}
