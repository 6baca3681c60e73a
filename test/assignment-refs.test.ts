/**
 * A plan's start queues its items' 交办通知 by reference; the mail activity builds each back from the plan snapshot.
 * What it builds must be the notice the item recorded (same key, text, recipients and time), whichever item, unit
 * group or round setting; a reference that does not build its notice fails for good, so its items record it.
 */
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignmentNotices } from '../activities/assignment-refs.ts';
import { itemOpening } from '../activities/item-opening.ts';
import { PermanentDeliveryError } from '../activities/notification-sink.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { sampleNotification } from '../devtools/sample-notifications.ts';
import type { AssignmentRef, ItemStartContext } from '../workflows/definitions.ts';

let plan: Plan;
const planRef = 'a'.repeat(32);
beforeAll(async () => {
  const loaded = await loadPlanFile(new URL('./fixtures/plans/province-2027.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the test plan does not validate');
  plan = loaded.plan;
});

const readPlan = async (ref: string) => {
  if (ref !== planRef) throw new Error(`unknown snapshot ${ref}`);
  return plan;
};

/** What the start activity queues for an item, and the notice the item records. */
function started(deliverableId: string, start: ItemStartContext, queuedAt: number): { ref: AssignmentRef; recorded: unknown } {
  const { workflowId, assignment } = itemOpening(plan, start, deliverableId, queuedAt, { queueAssignment: true });
  return { ref: { key: assignment!.key, workflowId, deliverableId, queuedAt, start }, recorded: assignment };
}

describe('assignment references', () => {
  const at = DateTime.fromISO('2027-01-04T10:17', { zone: 'Asia/Shanghai' }).toMillis();

  it('build back into the notices the items recorded, in the queue’s order, notices passing through unchanged', async () => {
    const inRounds = { planRef, planWorkflowId: plan.id, clockOffsetMs: 0, noticeRounds: { sendHour: 9 } };
    const plain = { planRef, planWorkflowId: plan.id, clockOffsetMs: 3_600_000 };
    // d02 names a unit group; d03 is led by the supervision office itself.
    const items = [started('d02', inRounds, at), started('d03', plain, at + 1), started('d01', inRounds, at + 2)];
    const notice = sampleNotification('assignment');
    const built = await assignmentNotices([items[0]!.ref, notice, items[1]!.ref, items[2]!.ref], readPlan);
    expect(built).toEqual([items[0]!.recorded, notice, items[1]!.recorded, items[2]!.recorded]);
    expect(built[0]).toMatchObject({ kind: 'assignment', planId: 'sheng-2027', deliverable: { id: 'd02' }, scheduledFor: '2027-01-04T10:17:00.000+08:00' });
    expect(built[0]!.to.map((u) => u.unitId)).toEqual(['laifangchu', 'banxinchu']);
  });

  it('fail for good when the snapshot no longer builds the notice the item recorded', async () => {
    const { ref } = started('d01', { planRef, planWorkflowId: plan.id, clockOffsetMs: 0 }, at);
    await expect(assignmentNotices([{ ...ref, deliverableId: 'd04' }], readPlan)).rejects.toThrow(PermanentDeliveryError);
    await expect(assignmentNotices([{ ...ref, key: `${ref.workflowId}#2` }], readPlan)).rejects.toThrow(/does not build from plan snapshot/);
  });
});
