import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment } from '../config/environment.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import { closedPort } from './helpers/duban-cli.ts';
import { beijing, noticeLine, useDeliverableHarness } from './helpers/deliverable-harness.ts';
import { startScriptedSmtp, type ScriptedSmtp } from './helpers/scripted-smtp.ts';

// Real mail over loopback SMTP: the server can be stopped and started again on its port, and refuse addresses.
const refused = new Set<string>();
const received: ParsedMail[] = [];
let port: number;
let smtp: ScriptedSmtp | undefined;
const startSmtp = async () => {
  smtp = await startScriptedSmtp((address) => (refused.has(address) ? 550 : undefined), port, received);
};

beforeAll(async () => {
  port = await closedPort();
  await startSmtp();
});
afterAll(async () => smtp?.close());

const harness = useDeliverableHarness({
  record: false,
  forward: () => notificationSinkFor(readEnvironment({
    SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: 'http://127.0.0.1:8080', LINK_KEYS: 'd1:8g06JW0X_ME2Rz8-rQueJZNk_v1r_bqp6q-YI0D1',
  })).sink,
});

const subjects = () => received.map((m) => m.subject ?? '');

describe('delivering notices by real mail', () => {
  it('delivers every notice once the mail server is back after a day down, and keeps the escalation times', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-10-06 10:00'));
    await run.delivered('assignment');
    await smtp!.close();
    // Down from before the overdue notice and the escalation (8 October 09:00) until the next afternoon.
    await run.runUntil(beijing('2015-10-09 14:00'));
    expect(run.notices().map((n) => n.kind)).toEqual(['assignment']);
    const log = (await run.status()).events.filter((e) => e.type === 'notice').map((e) => `${e.what} ${e.at.slice(0, 16)}`);
    // 超期 and 督办 fall at one instant: one notice carries both.
    expect(log).toEqual(expect.arrayContaining(['escalation 2015-10-08T09:00']));
    const before = received.length;
    await startSmtp();
    await run.runUntil(beijing('2015-10-10 14:00'));
    await run.delivered('escalation');
    expect(run.notices().map(noticeLine).slice(1)).toEqual([
      'escalation1 2015-10-08T09:00 → zonghe,bangongshi,duchashi',
    ]);
    const late = subjects().slice(before);
    expect(late.filter((s) => s.includes('超期通知'))).toHaveLength(0);
    expect(late.filter((s) => s.includes('督办通知'))).toHaveLength(3);
    expect((await run.status()).events.some((e) => e.type === 'failure')).toBe(false);
  });

  it('records a notice that can never be delivered and tells the supervision office', async () => {
    refused.add('zonghe@xinfang.example');
    try {
      const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
      const report = await run.delivered('delivery_failure');
      expect(report.to.map((r) => r.unitId)).toEqual(['duchashi']);
      expect(report.context).toMatchObject({ failedKind: 'assignment', error: expect.stringContaining('zonghe@xinfang.example') });
      const failure = (await run.status()).events.find((e) => e.type === 'failure');
      expect(failure).toMatchObject({ what: 'assignment', to: ['zonghe', 'bangongshi'], note: expect.stringContaining('550') });
      // The other unit still got its assignment, and 督查室 got the failure report by mail.
      expect(received.some((m) => m.subject?.includes('交办通知') && JSON.stringify(m.to).includes('bangongshi@xinfang.example'))).toBe(true);
      expect(received.some((m) => m.subject?.includes('投递失败') && JSON.stringify(m.to).includes('duchashi@xinfang.example'))).toBe(true);
    } finally {
      refused.clear();
    }
  });
});
