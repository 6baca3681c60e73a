/** 提醒/催办 and 超期通知 due at one instant, mailed over real SMTP on loopback: one mail per unit, failures where they belong. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSink, createSmtpTransport, mailDomainOf, type EmailSinkOptions } from '../activities/mail/email-sink.ts';
import { PermanentDeliveryError } from '../activities/notification-sink.ts';
import { readEnvironment } from '../config/environment.ts';
import { sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';
import { startSmtpSink, type ParsedMessage, type SmtpSink } from '../devtools/smtp-sink.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import type { Notification, Recipient } from '../workflows/definitions.ts';
import { startScriptedSmtp, type ScriptedSmtp } from './helpers/scripted-smtp.ts';

const { zonghe, yanjiu, duchashi } = sampleUnits;
const from = '督办系统 <duban@xinfang.example>';
const signer = new LinkSigner([{ id: 'r1', secret: 'Mt7sgnb7lxqEsw8dnEl75C93RcoBo_uatPXR3yqm' }]);
const now = () => Date.parse('2015-03-26T01:00:00Z');
const links = createLinkMaker({ signer, publicUrl: 'http://127.0.0.1:9', now });

function emailSink(smtpUrl: string, coalesce: EmailSinkOptions['coalesce'] = { windowMs: 50 }) {
  return createEmailSink({ transport: createSmtpTransport(smtpUrl), from, mailDomain: mailDomainOf(from), links, coalesce });
}

const at = '2015-03-26T09:00:00.000+08:00';

/** A 提醒 of item `id` to `to` at `scheduledFor`, its own workflow and key. */
function reminder(id: string, number: number, due: string, to: Recipient[], overrides: Partial<Notification> = {}): Notification {
  return sampleNotification('reminder', {
    key: `xinfang-2015/${id}#3`, workflowId: `xinfang-2015/${id}`, to, scheduledFor: at,
    deliverable: { id, number, title: `督办事项${number}`, due, leadUnitId: to[0]!.unitId, units: to, completion: 'lead' },
    context: { stage: '提醒', workingDaysLeft: 3 },
    ...overrides,
  });
}

/** Runs every delivery at once (as the 09:00 activities do) and returns each one's outcome. */
function deliverAll(sink: ReturnType<typeof emailSink>, notices: readonly Notification[]) {
  return Promise.allSettled(notices.map((n) => sink.deliver(n)));
}

/** The item sections of a combined mail's text: heading → the action tokens under it. */
function tokensByItem(text: string): Map<string, string[]> {
  const sections = text.split('\n【').slice(1);
  return new Map(sections.map((section) => [section.slice(0, section.indexOf('】')), [...section.matchAll(/\/a\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})/g)].map((m) => m[1]!)]));
}

describe('through the SMTP sink', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  });
  afterAll(async () => smtp.close());

  const since = (before: number) => smtp.messages().slice(before);
  const to = (messages: ParsedMessage[], unit: Recipient) => messages.filter((m) => m.envelope.to.includes(unit.emails[0]!));

  it('sends a unit one mail listing every item reminded at the same instant, each with its own links', async () => {
    const before = smtp.messages().length;
    const notices = [reminder('d12', 12, '2015-04-30', [yanjiu]), reminder('d04', 4, '2015-03-31', [zonghe, yanjiu]), reminder('d10', 10, '2015-04-15', [yanjiu])];
    const outcomes = await deliverAll(emailSink(smtp.smtpUrl), notices);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const [combined, ...more] = to(since(before), yanjiu);
    expect(more).toEqual([]);
    expect(combined!.mail.subject).toBe('【提醒】你单位有3项督办事项临近办理期限（最近期限：2015年3月31日 星期二）');
    expect(combined!.mail.headers.get('x-duban-notice')).toBe('xinfang-2015/d04#3 xinfang-2015/d10#3 xinfang-2015/d12#3');
    expect(combined!.mail.headers.get('x-duban-kind')).toBe('reminder');
    expect(combined!.mail.attachments).toEqual([]);
    const text = combined!.mail.text!;
    expect(text).toContain('研究室：');
    expect(text).toContain('以下3项督办事项临近办理期限');
    expect(text).toContain('剩余时间：3个工作日');

    // Each item's links are the unit's links for that item's own workflow.
    const items = tokensByItem(text);
    expect([...items.keys()]).toEqual(['第4项　督办事项4', '第10项　督办事项10', '第12项　督办事项12']);
    for (const [heading, tokens] of items) {
      const id = `d${heading.match(/第(\d+)项/)![1]!.padStart(2, '0')}`;
      expect(tokens.length, heading).toBeGreaterThan(0);
      for (const token of tokens) expect(signer.verify(token, now())).toMatchObject({ workflowId: `xinfang-2015/${id}`, unitId: 'yanjiu' });
    }
    // 研究室 only supports d04, which its lead confirms: no 确认完成 link under it.
    expect(items.get('第4项　督办事项4')!.map((t) => signer.verify(t, now()).action)).not.toContain('confirm');

    // 综合指导司 had one item at that instant: its own mail, threaded under the item as before.
    const [single, ...others] = to(since(before), zonghe);
    expect(others).toEqual([]);
    expect(single!.mail.subject).toBe('【提醒】督办事项4（剩余3个工作日，期限：2015年3月31日 星期二）');
    expect(single!.mail.messageId).toBe('<xinfang-2015.d04.3.zonghe@xinfang.example>');
  });

  it('mails a reminder that is alone at its instant exactly as it is mailed without combining', async () => {
    const notice = sampleNotification('reminder');
    let before = smtp.messages().length;
    await emailSink(smtp.smtpUrl).deliver(notice);
    const combining = since(before);
    before = smtp.messages().length;
    await emailSink(smtp.smtpUrl, false).deliver(notice);
    const plain = since(before);
    const shape = (m: ParsedMessage) => ({
      to: m.envelope.to, subject: m.mail.subject, messageId: m.mail.messageId, inReplyTo: m.mail.inReplyTo, text: m.mail.text, html: m.mail.html,
      notice: m.mail.headers.get('x-duban-notice'), kind: m.mail.headers.get('x-duban-kind'), attachments: m.mail.attachments.length,
    });
    expect(combining.map(shape)).toEqual(plain.map(shape));
    expect(combining).toHaveLength(2);
  });

  it('sends separate mails for other units, other instants and other kinds', async () => {
    const before = smtp.messages().length;
    const later = '2015-03-27T09:00:00.000+08:00';
    const notices = [
      reminder('d04', 4, '2015-03-31', [yanjiu]),
      reminder('d10', 10, '2015-04-15', [yanjiu], { scheduledFor: later }),
      reminder('d12', 12, '2015-04-30', [zonghe]),
      sampleNotification('overdue', { key: 'xinfang-2015/d13#5', workflowId: 'xinfang-2015/d13', to: [yanjiu], cc: [], scheduledFor: at }),
    ];
    await deliverAll(emailSink(smtp.smtpUrl), notices);
    const subjects = since(before).map((m) => `${m.envelope.to.join()} ${m.mail.subject}`).sort();
    expect(subjects).toEqual([
      'yanjiu@xinfang.example 【提醒】督办事项10（剩余3个工作日，期限：2015年4月15日 星期三）',
      'yanjiu@xinfang.example 【提醒】督办事项4（剩余3个工作日，期限：2015年3月31日 星期二）',
      'yanjiu@xinfang.example 【超期通知】组织实施 2014 年信访工作考核（已超期2个工作日，期限：2015年3月31日 星期二）',
      'zonghe@xinfang.example 【提醒】督办事项12（剩余3个工作日，期限：2015年4月30日 星期四）',
    ]);
  });

  it('combines 超期通知 too, and the copies to the supervision office into one copy with console links only', async () => {
    const before = smtp.messages().length;
    const overdue = (id: string, number: number, days: number) => sampleNotification('overdue', {
      key: `xinfang-2015/${id}#6`, workflowId: `xinfang-2015/${id}`, to: [zonghe], cc: [duchashi], scheduledFor: at,
      deliverable: { id, number, title: `督办事项${number}`, due: '2015-03-20', leadUnitId: 'zonghe', units: [zonghe], completion: 'lead' },
      context: { workingDaysOverdue: days },
    });
    await deliverAll(emailSink(smtp.smtpUrl), [overdue('d05', 5, 4), overdue('d02', 2, 4)]);
    const [lead, ...moreLead] = to(since(before), zonghe);
    expect(moreLead).toEqual([]);
    expect(lead!.mail.subject).toBe('【超期通知】你单位有2项督办事项已超期（最早期限：2015年3月20日 星期五）');
    expect(lead!.mail.text).toContain('超期情况：已超期4个工作日');
    expect(lead!.mail.text).toContain('申请延期：');
    const [copy, ...moreCopies] = to(since(before), duchashi);
    expect(moreCopies).toEqual([]);
    expect(copy!.mail.subject).toBe('【抄送·超期通知】2项督办事项已超期（最早期限：2015年3月20日 星期五）');
    expect(copy!.mail.text).toContain('抄送督查室：供知悉，无需办理。');
    expect(`${copy!.mail.text}${String(copy!.mail.html)}`).not.toMatch(/\/a\/[A-Za-z0-9_-]+\./);
    expect(copy!.mail.text).toContain('/console/');
  });

  it('mails each reminder on its own in a worker started with REMINDER_COALESCE_MS=0, and combines them by default', async () => {
    const workerSink = (extra: Record<string, string>) => notificationSinkFor(readEnvironment({
      SMTP_URL: smtp.smtpUrl, MAIL_FROM: from, PUBLIC_URL: 'http://127.0.0.1:9', LINK_KEYS: 'r1:Mt7sgnb7lxqEsw8dnEl75C93RcoBo_uatPXR3yqm', ...extra,
    })).sink;
    const notices = [reminder('d04', 4, '2015-03-31', [yanjiu]), reminder('d10', 10, '2015-04-15', [yanjiu])];
    let before = smtp.messages().length;
    const separate = workerSink({ REMINDER_COALESCE_MS: '0' });
    await Promise.all(notices.map((n) => separate.deliver(n)));
    expect(since(before)).toHaveLength(2);
    before = smtp.messages().length;
    const combining = workerSink({});
    await Promise.all(notices.map((n) => combining.deliver(n)));
    expect(since(before)).toHaveLength(1);
    expect(() => readEnvironment({ REMINDER_COALESCE_MS: '0.5s' })).toThrow(/REMINDER_COALESCE_MS/);
  });

  it('sends a full group at once and starts another for the rest', async () => {
    const before = smtp.messages().length;
    const sink = createEmailSink({ transport: createSmtpTransport(smtp.smtpUrl), from, mailDomain: mailDomainOf(from), links, coalesce: { windowMs: 50, maxItems: 2 } });
    await deliverAll(sink, [reminder('d04', 4, '2015-03-31', [yanjiu]), reminder('d10', 10, '2015-04-15', [yanjiu]), reminder('d12', 12, '2015-04-30', [yanjiu])]);
    expect(since(before).map((m) => m.mail.headers.get('x-duban-notice')).sort()).toEqual(['xinfang-2015/d04#3 xinfang-2015/d10#3', 'xinfang-2015/d12#3']);
  });
});

describe('failures', () => {
  const servers: ScriptedSmtp[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const recipientsOf = (server: ScriptedSmtp) => server.received.map((m) => `${m.to && !Array.isArray(m.to) ? m.to.value[0]!.address : ''} ${String(m.headers.get('x-duban-notice'))}`);

  it('a combined mail the server defers fails every notice in it for a retry, and a retry does not mail a unit twice', async () => {
    let busy = true;
    const server = await startScriptedSmtp((address) => (busy && address === 'yanjiu@xinfang.example' ? 451 : undefined));
    servers.push(server);
    const sink = emailSink(server.url);
    const a = reminder('d04', 4, '2015-03-31', [zonghe, yanjiu]);
    const b = reminder('d10', 10, '2015-04-15', [zonghe, yanjiu]);

    const outcomes = await deliverAll(sink, [a, b]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(reason).not.toBeInstanceOf(PermanentDeliveryError);
      expect(reason.message).toContain('451');
    }
    // 综合指导司's combined mail went out; 研究室's did not.
    expect(recipientsOf(server)).toEqual(['zonghe@xinfang.example xinfang-2015/d04#3 xinfang-2015/d10#3']);

    // The activities retry one by one: 综合指导司 is not mailed again, 研究室 gets each notice.
    busy = false;
    await sink.deliver(a);
    await sink.deliver(b);
    expect(recipientsOf(server)).toEqual([
      'zonghe@xinfang.example xinfang-2015/d04#3 xinfang-2015/d10#3',
      'yanjiu@xinfang.example xinfang-2015/d04#3',
      'yanjiu@xinfang.example xinfang-2015/d10#3',
    ]);
  });

  it('a retry of every notice of a deferred group together sends them combined', async () => {
    let busy = true;
    const server = await startScriptedSmtp(() => (busy ? 451 : undefined));
    servers.push(server);
    const sink = emailSink(server.url);
    const notices = [reminder('d04', 4, '2015-03-31', [yanjiu]), reminder('d10', 10, '2015-04-15', [yanjiu])];
    expect((await deliverAll(sink, notices)).map((o) => o.status)).toEqual(['rejected', 'rejected']);
    busy = false;
    expect((await deliverAll(sink, notices)).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(recipientsOf(server)).toEqual(['yanjiu@xinfang.example xinfang-2015/d04#3 xinfang-2015/d10#3']);
  });

  it('a unit the server refuses fails for good exactly the notices addressed to it', async () => {
    const server = await startScriptedSmtp((address) => (address === 'yanjiu@xinfang.example' ? 550 : undefined));
    servers.push(server);
    const notices = [reminder('d04', 4, '2015-03-31', [zonghe, yanjiu]), reminder('d10', 10, '2015-04-15', [zonghe]), reminder('d12', 12, '2015-04-30', [yanjiu])];
    const [both, zongheOnly, yanjiuOnly] = await deliverAll(emailSink(server.url), notices);
    expect(zongheOnly!.status).toBe('fulfilled');
    for (const outcome of [both!, yanjiuOnly!]) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(PermanentDeliveryError);
      expect(reason.message).toContain('yanjiu@xinfang.example');
      expect(reason.message).not.toContain('zonghe');
    }
    expect(recipientsOf(server)).toEqual(['zonghe@xinfang.example xinfang-2015/d04#3 xinfang-2015/d10#3']);
  });
});
