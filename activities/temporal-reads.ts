/** Small helpers the activities that read many workflows at once share. */
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';

/** The call's answer, or `undefined` when its workflow does not exist (never started, or gone); other failures stay failures. */
export function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
}

/** Whether a call failed as UNIMPLEMENTED: gRPC status 12 (the client wraps it), e.g. the time-skipping test server has no visibility store. */
export function isUnimplemented(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === 12) return true;
  return false;
}

/** Runs `work` over the items with at most `limit` at a time; the first failure fails the whole. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The newest run of every workflow a visibility query finds: one that continued as new is listed once per run. */
export async function latestRuns(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const latest = new Map<string, WorkflowExecutionInfo>();
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) {
    const seen = latest.get(info.workflowId);
    if (!seen || info.startTime > seen.startTime) latest.set(info.workflowId, info);
  }
  return [...latest.values()];
}
