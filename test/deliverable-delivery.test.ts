import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../activities/notification-sink.ts';
import { beijing, useDeliverableHarness, noticeLine } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

describe('delivering notices', () => {
  it('delivers every notice once the mail server is back after a day down, and keeps the escalation times', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-10-06 10:00'));
    await run.delivered('assignment');
    harness().failWith = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' });
    // Down from before the overdue notice and the escalation (8 October 09:00) until the next afternoon.
    await run.runUntil(beijing('2015-10-09 14:00'));
    expect(run.notices().map((n) => n.kind)).toEqual(['assignment']);
    const log = (await run.status()).events.filter((e) => e.type === 'notice').map((e) => `${e.what} ${e.at.slice(0, 16)}`);
    expect(log).toContain('escalation 2015-10-08T09:00');
    harness().failWith = () => undefined;
    await run.runUntil(beijing('2015-10-10 14:00'));
    expect(run.notices().map(noticeLine).slice(1)).toEqual([
      'overdue 2015-10-08T09:00 → zonghe,bangongshi,duchashi',
      'escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi',
    ]);
    expect((await run.status()).events.some((e) => e.type === 'failure')).toBe(false);
  });

  it('records a notice that can never be delivered and tells the supervision office', async () => {
    harness().failWith = (notice) => (notice.kind === 'assignment' ? new PermanentDeliveryError('550 5.1.1 mailbox unavailable: zonghe@xinfang.example') : undefined);
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    const report = await run.delivered('delivery_failure');
    expect(report.to.map((r) => r.unitId)).toEqual(['duchashi']);
    expect(report.context).toMatchObject({ failedKind: 'assignment', error: expect.stringContaining('550 5.1.1') });
    const failure = (await run.status()).events.find((e) => e.type === 'failure');
    expect(failure).toMatchObject({ what: 'assignment', to: ['zonghe', 'bangongshi'], note: expect.stringContaining('mailbox unavailable') });
  });
});
