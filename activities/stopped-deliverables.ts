/** Finds the deliverables of a plan whose workflows Temporal stopped, through visibility (the plan cannot see it itself). */
import { Context } from '@temporalio/activity';
import { stoppedStatus } from '../domain/execution-outcome.ts';
import type { StoppedDeliverable } from '../workflows/definitions.ts';
import { deliverableAttribute, planAttribute } from '../workflows/search-attributes.ts';

// gRPC status UNIMPLEMENTED: the server has no visibility store to list from.
const grpcUnimplemented = 12;

/**
 * The plan's deliverables whose newest run was terminated, cancelled, failed or timed out. A deliverable restarted
 * since (a newer run) is not listed. A server without visibility listing (the time-skipping test server) has none.
 */
export async function findStoppedDeliverables(planId: string): Promise<StoppedDeliverable[]> {
  // The id goes into a visibility query: only the characters a plan id uses, so quoting cannot break.
  if (!/^[\w.-]+$/.test(planId)) throw new RangeError(`not a plan id: "${planId}"`);
  const { client } = Context.current();
  const query = `${planAttribute.name} = '${planId}' AND ExecutionStatus IN ('Terminated', 'Canceled', 'Failed', 'TimedOut')`;
  const candidates = new Map<string, string>();
  try {
    for await (const info of client.workflow.list({ query })) {
      const deliverableId = info.typedSearchAttributes.get(deliverableAttribute);
      if (deliverableId) candidates.set(info.workflowId, deliverableId);
    }
  } catch (err) {
    // The client wraps the gRPC error (ServiceError, with the status in its cause).
    const code = (err as { code?: number; cause?: { code?: number } }).cause?.code ?? (err as { code?: number }).code;
    if (code === grpcUnimplemented) return [];
    throw err;
  }
  const stopped: StoppedDeliverable[] = [];
  for (const [workflowId, deliverableId] of candidates) {
    const newest = await client.workflow.getHandle(workflowId).describe();
    const status = stoppedStatus(newest.status.name);
    if (status) stopped.push({ deliverableId, status });
  }
  return stopped;
}
