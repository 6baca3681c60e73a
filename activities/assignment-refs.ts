/**
 * The 交办通知 an assignment batch mails, its references built back into notices: each from its plan snapshot,
 * exactly as the plan's start activity built it for the item (`item-opening.ts`).
 */
import type { Plan } from '../config/plan-schema.ts';
import { isAssignmentRef, type Notification, type QueuedAssignment } from '../workflows/definitions.ts';
import { itemOpening } from './item-opening.ts';
import { PermanentDeliveryError } from './notification-sink.ts';

/** The notices `queued` stands for, in its order. */
export async function assignmentNotices(queued: readonly QueuedAssignment[], readPlan: (ref: string) => Promise<Plan>): Promise<Notification[]> {
  const notices: Notification[] = [];
  for (const entry of queued) {
    if (!isAssignmentRef(entry)) {
      notices.push(entry);
      continue;
    }
    const plan = await readPlan(entry.start.planRef);
    const { workflowId, assignment } = itemOpening(plan, entry.start, entry.deliverableId, entry.queuedAt, { queueAssignment: true });
    // The snapshot is content-addressed, so this holds unless the building itself changed between start and mail
    // (a new worker version): a retry would fail the same way, so each item in the mail records the failure.
    if (assignment?.key !== entry.key || workflowId !== entry.workflowId) {
      throw new PermanentDeliveryError(`assignment ${entry.key} (${entry.workflowId}) does not build from plan snapshot ${entry.start.planRef}: it built ${assignment?.key ?? 'no notice'} (${workflowId})`);
    }
    notices.push(assignment);
  }
  return notices;
}
