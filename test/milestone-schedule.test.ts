/** Milestones on the time-skipping server: each reminds and escalates on its own date, on working days, until marked done. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  confirmUpdate, milestoneDoneUpdate, milestoneExtensionUpdate, type DeliverableInput, type Recipient,
} from '../workflows/definitions.ts';
import { beijing, noticeLine, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

/**
 * d10 (综合指导司 leads, 办公室 helps; due Wednesday 30 September 2015) split in three, as the test plan's authors
 * would: 方案 by 综合指导司 alone on Tuesday 30 June (a week after the 端午 holiday of Monday 22 June), 征求意见 by both
 * on Friday 14 August, 送审 on Tuesday 15 September.
 */
function withMilestones(input: DeliverableInput): DeliverableInput {
  const [zonghe, bangongshi] = input.units as [Recipient, Recipient];
  return {
    ...input,
    milestones: [
      { id: 'fangan', title: '方案', due: '2015-06-30', units: [zonghe] },
      { id: 'zhengqiu', title: '征求意见', due: '2015-08-14', units: [zonghe, bangongshi] },
      { id: 'songshen', title: '送审', due: '2015-09-15', units: [zonghe, bangongshi] },
    ],
  };
}

/** The reason the workflow gave for refusing an update (its validator's message). */
async function refusal(update: Promise<unknown>): Promise<string> {
  const error = await update.then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((error as WorkflowUpdateFailedError).cause?.message);
}

const aboutMilestone = (id: string) => (n: { context: { milestone?: { id: string } } }) => n.context.milestone?.id === id;

describe('a deliverable split into three milestones', () => {
  it('reminds and escalates each milestone on its own working days, stops once it is marked done, and lets the earliest open one drive the light', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-06-01 10:00'), withMilestones);
    expect((await run.status()).milestones?.map((m) => [m.id, m.due, m.light])).toEqual([
      ['fangan', '2015-06-30', 'green'], ['zhengqiu', '2015-08-14', 'green'], ['songshen', '2015-09-15', 'green'],
    ]);

    await run.runUntil(beijing('2015-06-16 12:00'));
    // 提醒 ten working days before 30 June counts over the 端午 holiday (Monday 22 June is off): Monday 15 June.
    expect((await run.status())).toMatchObject({ light: 'green', status: 'assigned' });

    await run.runUntil(beijing('2015-06-24 12:00'));
    // 催办 (five working days before) turns the item yellow, though its own due date is three months away.
    expect((await run.status())).toMatchObject({ light: 'yellow', status: 'due_soon' });

    await run.runUntil(beijing('2015-07-01 12:00'));
    expect(run.notices().filter(aboutMilestone('fangan')).map(noticeLine)).toEqual([
      'reminder提醒 2015-06-15T09:00 → zonghe',
      'reminder催办 2015-06-23T09:00 → zonghe',
      'reminder催办 2015-06-29T09:00 → zonghe',
      // first working day after 30 June: overdue and level-1 督办 in one notice to the milestone's unit, copied to 督查室
      'escalation1 2015-07-01T09:00 → zonghe,duchashi',
    ]);
    const late = await run.status();
    expect(late).toMatchObject({ light: 'red', status: 'escalated', escalationLevel: 1, due: '2015-09-30' });
    expect(late.milestones?.[0]).toMatchObject({ id: 'fangan', light: 'red', status: 'escalated', escalationLevel: 1 });
    // Notices name their milestone; the item's own schedule has sent nothing but the assignment.
    expect(run.notices().filter((n) => !n.context.milestone).map((n) => n.kind)).toEqual(['assignment']);
    expect(run.notices().at(-1)!.context.milestone).toMatchObject({ title: '方案', due: '2015-06-30', leadUnitId: 'zonghe' });

    // Only the milestone's lead unit marks it done; 办公室 is not one of 方案's units.
    expect(await refusal(run.handle.executeUpdate(milestoneDoneUpdate, { args: [{ milestoneId: 'fangan', unitId: 'bangongshi' }] }))).toMatch(/由综合指导司标记完成/);
    await run.runUntil(beijing('2015-07-02 10:00'));
    const done = await run.update(milestoneDoneUpdate, { milestoneId: 'fangan', unitId: 'zonghe', note: '方案已报局长办公会' });
    expect(done).toMatchObject({ light: 'green', status: 'in_progress', escalationLevel: 0 });
    expect(done.milestones?.[0]).toMatchObject({ status: 'done', light: 'grey', doneBy: 'zonghe' });
    expect(done.milestones?.[0]!.doneAt).toMatch(/^2015-07-02T10:00/);
    expect(await refusal(run.handle.executeUpdate(milestoneDoneUpdate, { args: [{ milestoneId: 'fangan', unitId: 'zonghe' }] }))).toMatch(/already done/);

    await run.runUntil(beijing('2015-08-17 12:00'));
    // Marked done: no level-2 通报 on 15 July, no repeated overdue notice for 方案.
    expect(run.notices().filter(aboutMilestone('fangan'))).toHaveLength(4);
    expect(run.notices().filter(aboutMilestone('zhengqiu')).map(noticeLine)).toEqual([
      'reminder提醒 2015-07-31T09:00 → zonghe,bangongshi',
      'reminder催办 2015-08-07T09:00 → zonghe,bangongshi',
      'reminder催办 2015-08-13T09:00 → zonghe,bangongshi',
      // Friday 14 August is the date: overdue on Monday 17 August
      'escalation1 2015-08-17T09:00 → zonghe,bangongshi,duchashi',
    ]);
    expect(await run.status()).toMatchObject({ light: 'red', status: 'escalated', escalationLevel: 1 });

    // The supervisor marks 征求意见 done in the console: the light follows 送审 (due 15 September, 21 working days off).
    const byConsole = await run.update(milestoneDoneUpdate, { milestoneId: 'zhengqiu', by: '督查室 王主任' });
    expect(byConsole).toMatchObject({ light: 'green', escalationLevel: 0 });
    // 送审 moved to a later date, not past the item's own; beyond it is refused.
    expect(await refusal(run.handle.executeUpdate(milestoneExtensionUpdate, { args: [{ milestoneId: 'songshen', to: '2015-10-09', reason: '会签', by: '督查室' }] }))).toMatch(/晚于事项办理期限/);
    const moved = await run.update(milestoneExtensionUpdate, { milestoneId: 'songshen', to: '2015-09-22', reason: '需与统计局会签', by: '督查室 王主任' });
    expect(moved.milestones?.[2]).toMatchObject({ due: '2015-09-22', originalDue: '2015-09-15' });

    await run.runUntil(beijing('2015-09-18 12:00'));
    expect(run.notices().filter(aboutMilestone('songshen')).map(noticeLine)).toEqual([
      // ten working days before 22 September, over the 3–4 September holiday and the 6 September make-up Sunday
      'reminder提醒 2015-09-08T09:00 → zonghe,bangongshi',
      'reminder催办 2015-09-15T09:00 → zonghe,bangongshi',
    ]);
    // The item's own 提醒 (ten working days before 30 September) came on 16 September and names no milestone.
    expect(run.notices().filter((n) => !n.context.milestone).map(noticeLine)).toContain('reminder提醒 2015-09-16T09:00 → zonghe,bangongshi');

    // The lead confirms the item: the open milestone closes with it, and nothing more is sent for it.
    const confirmed = await run.update(confirmUpdate, { unitId: 'zonghe' });
    expect(confirmed.status).toBe('awaiting_acceptance');
    expect(confirmed.milestones?.[2]).toMatchObject({ id: 'songshen', status: 'done', closedWithItem: true });
    const before = run.notices().length;
    await run.runUntil(beijing('2015-09-24 12:00'));
    expect(run.notices().slice(before).filter((n) => n.context.milestone)).toEqual([]);
    expect(confirmed.events.filter((e) => e.type === 'action').map((e) => e.what)).toEqual(['milestone_done', 'milestone_done', 'milestone_extended', 'confirm']);
  });
});
