import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijing, beijingIso, DeliverableHarness } from './helpers/deliverable-harness.ts';

let harness: DeliverableHarness;
beforeAll(async () => {
  harness = await DeliverableHarness.start();
}, 120_000);
afterAll(async () => harness?.stop());

const line = (n: { kind: string; scheduledFor: string; to: readonly { unitId: string }[]; cc: readonly { unitId: string }[]; context: { level?: number; stage?: string } }) =>
  `${n.kind}${n.context.stage ?? ''}${n.context.level ?? ''} ${n.scheduledFor.slice(0, 16)} → ${[...n.to, ...n.cc].map((r) => r.unitId).join(',')}`;

describe('a deliverable nobody confirms, due just before National Day 2015', () => {
  it('reminds, goes overdue and escalates at 09:00 on working days only, across the holiday and its make-up Saturday', async () => {
    const run = await harness.startDeliverable('d07', beijing('2015-09-01 10:00'));
    await run.runUntil(beijing('2015-10-22 12:00'));
    const got = run.notices().map(line);
    expect(got).toEqual([
      expect.stringMatching(/^assignment 2015-09-01T10:00 → yanjiushi,duchashi$/),
      'reminder提醒 2015-09-16T09:00 → yanjiushi,duchashi',
      'reminder催办 2015-09-23T09:00 → yanjiushi,duchashi',
      'reminder催办 2015-09-29T09:00 → yanjiushi,duchashi',
      // 30 September is due; 1–7 October are the National Day holiday.
      'overdue 2015-10-08T09:00 → yanjiushi,duchashi,duchashi',
      'escalation1 2015-10-08T09:00 → yanjiushi,duchashi,duchashi',
      // five working days on, counting Saturday 10 October (调休)
      'overdue 2015-10-14T09:00 → yanjiushi,duchashi,duchashi',
      'overdue 2015-10-21T09:00 → yanjiushi,duchashi,duchashi',
      'escalation2 2015-10-21T09:00 → yanjiushi,duchashi,leadership',
    ]);
    const status = await run.status();
    expect(status).toMatchObject({ status: 'escalated', light: 'red', escalationLevel: 2, due: '2015-09-30' });
    expect(status.nextNotice).toEqual({ kind: 'overdue', at: beijingIso('2015-10-28 09:00') });
  });
});
