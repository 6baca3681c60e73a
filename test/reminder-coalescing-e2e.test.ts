/** Two items of one plan reminded at the same 09:00, on the time-skipping server with the real worker: one mail to their lead. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSink, createSmtpTransport, mailDomainOf } from '../activities/mail/email-sink.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { startSmtpSink, type SmtpSink } from '../devtools/smtp-sink.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';
import { actionLinks, sentTo, waitForMail } from './helpers/mailbox.ts';

const from = '督办系统 <duban@xinfang.example>';
const signer = new LinkSigner([{ id: 'e1', secret: '8g06JW0X_ME2Rz8-rQueJZNk_v1r_bqp6q-YI0D1' }]);
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
});
afterAll(async () => smtp.close());

const harness = useDeliverableHarness({
  record: false,
  forward: () => createEmailSink({
    transport: createSmtpTransport(smtp.smtpUrl), from, mailDomain: mailDomainOf(from),
    links: createLinkMaker({ signer, publicUrl: 'http://127.0.0.1:8080', now: Date.now }),
  }),
});

describe('reminders of one instant through the real worker', () => {
  it('mails the lead unit of two items due the same day one combined 提醒 at the first reminder’s 09:00', async () => {
    // d10 (综合指导司 leads, 办公室 helps) is due Wednesday 30 September 2015; d09 is given the same date and lead.
    const d10 = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    const { units } = deliverableInput(harness().plan, 'd10', { clockOffsetMs: 0 });
    const zonghe = units[0]!;
    // The same clock offset: both items' plan time, and so their 09:00 timers, are one instant on the server.
    const d09 = await harness().startDeliverable('d09', beijing('2015-09-01 10:00'), (input) => ({ ...input, due: '2015-09-30', units: [zonghe], clockOffsetMs: d10.clockOffsetMs }));

    // Ten working days before the due date: 16 September, 09:00.
    await d10.runUntil(beijing('2015-09-16 12:00'));
    await d10.delivered('reminder');
    await d09.delivered('reminder');

    const combined = await waitForMail(smtp, (m) => sentTo(zonghe.emails[0]!)(m) && m.mail.headers.get('x-duban-kind') === 'reminder');
    expect(combined.mail.subject).toBe('【提醒】你单位有2项督办事项临近办理期限（最近期限：2015年9月30日 星期三）');
    const keys = String(combined.mail.headers.get('x-duban-notice')).split(' ');
    expect(keys).toEqual([d09.notices().find((n) => n.kind === 'reminder')!.key, d10.notices().find((n) => n.kind === 'reminder')!.key]);
    // Each item's links act on that item's own workflow.
    const workflows = new Set(actionLinks(combined).map((link) => signer.verify(link.split('/a/')[1]!, Date.now()).workflowId));
    expect(workflows).toEqual(new Set([d09.handle.workflowId, d10.handle.workflowId]));
    // No other 提醒 reached 综合指导司; 办公室 got d10's own.
    const reminders = smtp.messages().filter((m) => m.mail.headers.get('x-duban-kind') === 'reminder');
    expect(reminders.filter(sentTo(zonghe.emails[0]!))).toHaveLength(1);
    const helper = units[1]!;
    expect(reminders.filter(sentTo(helper.emails[0]!)).map((m) => m.mail.subject)).toEqual(['【提醒】出台关于进一步加强和规范信访统计工作的意见（剩余10个工作日，期限：2015年9月30日 星期三）']);
  });
});
