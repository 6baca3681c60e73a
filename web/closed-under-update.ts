/**
 * An update that met its workflow closing. The server answers that race in more than one way: NotFound ("aborted by
 * closing workflow", which the SDK turns into WorkflowNotFoundError, handled by the callers), ResourceExhausted
 * ("workflow is closing"), or another service error that the SDK reports as "Workflow Update failed". Whatever the
 * answer, a workflow that is no longer running took no action: the person is told the item has closed, not shown
 * a system error.
 */
import { ServiceError, isGrpcServiceError, type WorkflowHandle } from '@temporalio/client';
import { isUnavailable } from './temporal-guard.ts';

/** Whether `err`, from an update on `handle`'s workflow, means the workflow closed (or is closing) under it. */
export async function closedUnderUpdate(err: unknown, handle: WorkflowHandle): Promise<boolean> {
  if (!(err instanceof ServiceError) || isUnavailable(err)) return false;
  if (isGrpcServiceError(err.cause) && /workflow is closing/i.test(err.cause.details)) return true;
  return handle.describe().then((d) => d.status.name !== 'RUNNING', () => false);
}
