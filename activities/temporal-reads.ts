/** Small helpers the activities that read many workflows at once share. */
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
// The client's own decoder of listed search attributes, which its package index does not re-export.
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes.js';
import proto from '@temporalio/proto';

/** The call's answer, or `undefined` when its workflow does not exist (never started, or gone); other failures stay failures. */
export function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
}

/** Whether a call failed as UNIMPLEMENTED: gRPC status 12 (the client wraps it), e.g. the time-skipping test server has no visibility store. */
export function isUnimplemented(err: unknown): boolean {
  return failedWithGrpcStatus(err, 12);
}

/** Whether a call failed as DEADLINE_EXCEEDED: gRPC status 4, its deadline ({@link Client.withDeadline}) passed. */
export function isDeadlineExceeded(err: unknown): boolean {
  return failedWithGrpcStatus(err, 4);
}

function failedWithGrpcStatus(err: unknown, code: number): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === code) return true;
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

/** A run as a visibility listing shows it, without its memo: what the console, `duban status` and the reports read. */
export type ListedRun = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'startTime' | 'status' | 'typedSearchAttributes'>;

/**
 * Every run a visibility query finds, its search attributes decoded and its memo not. The client's own listing decodes
 * every run's memo, and a deliverable in a plan in rounds carries its next notice there (~1.5 KB): listing 3,000 of
 * them took 0.82–0.92 s through the client against 0.59–0.62 s read this way (2026-12-02), and the readers here never
 * look at a memo (the rounds, which do, list through the client).
 */
export async function* listedRuns(client: Client, query: string, { pageSize = 1000 } = {}): AsyncGenerator<ListedRun> {
  for await (const page of rawListingPages(client, query, pageSize)) {
    for (const raw of page.executions) {
      yield {
        workflowId: raw.execution!.workflowId!, runId: raw.execution!.runId!,
        startTime: new Date(timestampMs(raw.startTime)),
        status: { code: raw.status!, name: statusNameOf(raw.status!) },
        typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
      };
    }
  }
}

/** The pages of a visibility query as the server sends them, nothing decoded. */
export async function* rawListingPages(client: Client, query: string, pageSize: number): AsyncGenerator<proto.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize, nextPageToken });
    yield page;
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
}

/** A protobuf timestamp (a listing's start time, a history event's time) in epoch milliseconds; 0 when absent. */
export function timestampMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined): number {
  return Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);
}

/** `WORKFLOW_EXECUTION_STATUS_RUNNING` → `RUNNING`, as the client names a status. */
function statusNameOf(code: proto.temporal.api.enums.v1.WorkflowExecutionStatus): WorkflowExecutionInfo['status']['name'] {
  return (proto.temporal.api.enums.v1.WorkflowExecutionStatus[code] ?? 'WORKFLOW_EXECUTION_STATUS_UNSPECIFIED').replace('WORKFLOW_EXECUTION_STATUS_', '') as WorkflowExecutionInfo['status']['name'];
}

/** The newest run of every workflow a visibility query finds: one that continued as new is listed once per run. */
export async function latestRuns(client: Client, query: string): Promise<ListedRun[]> {
  const latest = new Map<string, ListedRun>();
  for await (const info of listedRuns(client, query)) keepNewest(latest, info);
  return [...latest.values()];
}

/**
 * Keeps `info` when it is its workflow's newest run so far. A listing is no snapshot: the dev server orders runs by
 * close time, so a run that closes while its pages are read can be listed twice, open and then closed; the later
 * sighting of the same run is its newer state.
 */
export function keepNewest(latest: Map<string, ListedRun>, info: ListedRun): void {
  const seen = latest.get(info.workflowId);
  if (!seen || seen.runId === info.runId || info.startTime > seen.startTime) latest.set(info.workflowId, info);
}
