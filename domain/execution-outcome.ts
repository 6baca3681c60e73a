/** What Temporal's execution status says about a deliverable its own state cannot: that it was stopped from outside. */
import type { DeliverableStatus } from '../workflows/definitions.ts';

/**
 * `terminated` or `failed` for an execution Temporal stopped (terminated, cancelled, failed, timed out), else
 * undefined. A stopped workflow still answers its status query from its last state — "green" — so every view of
 * a deliverable puts this first.
 */
export function stoppedStatus(executionStatus: string | undefined): Extract<DeliverableStatus, 'terminated' | 'failed'> | undefined {
  switch (executionStatus) {
    case 'TERMINATED': case 'CANCELLED': return 'terminated';
    case 'FAILED': case 'TIMED_OUT': return 'failed';
    default: return undefined;
  }
}
