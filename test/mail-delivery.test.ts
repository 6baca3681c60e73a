/** Mail over real SMTP on loopback: what arrives per unit, stable ids and threads, and how failures are classified. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionLinkMaker } from '../activities/mail/action-links.ts';
import { createEmailSink, createSmtpTransport, mailDomainOf } from '../activities/mail/email-sink.ts';
import { isPermanentSmtpError } from '../activities/mail/smtp-errors.ts';
import { PermanentDeliveryError } from '../activities/notification-sink.ts';
import { sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';
import { startSmtpSink, type SmtpSink } from '../devtools/smtp-sink.ts';
import type { Notification } from '../workflows/definitions.ts';
import { closedPort } from './helpers/duban-cli.ts';
import { startScriptedSmtp } from './helpers/scripted-smtp.ts';

const { zonghe, yanjiu, duchashi } = sampleUnits;
const from = '督办系统 <duban@xinfang.example>';

/** A link maker like the real one, recording which units it was asked for. */
function recordingLinks(): ActionLinkMaker & { units: string[] } {
  const units: string[] = [];
  const maker = ((_n: Notification, unitId: string) => {
    units.push(unitId);
    return { confirm: `http://127.0.0.1:9/a/test-token-${unitId}-confirm`, extension: `http://127.0.0.1:9/a/test-token-${unitId}-extension` };
  }) as ActionLinkMaker & { units: string[] };
  maker.units = units;
  return maker;
}

function emailSink(smtpUrl: string, links: ActionLinkMaker = recordingLinks()) {
  return createEmailSink({ transport: createSmtpTransport(smtpUrl), from, mailDomain: mailDomainOf(from), links });
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure, but the delivery succeeded');
}

describe('through the SMTP sink', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  });
  afterAll(async () => {
    await sink.close();
  });

  const received = (after: number) => sink.messages().slice(after);
  const forUnit = (after: number, address: string) => received(after).filter((m) => m.envelope.to.includes(address));

  it('sends an assignment to each unit with its own links, and a copy marked 抄送 without links to 督查室', async () => {
    const before = sink.messages().length;
    const links = recordingLinks();
    await emailSink(sink.smtpUrl, links).deliver(sampleNotification('assignment', { cc: [duchashi] }));

    expect(received(before).map((m) => m.envelope.to)).toEqual([['zonghe@xinfang.example'], ['yanjiu@xinfang.example'], ['duchashi@xinfang.example']]);
    // Every addressee is asked (the supervisor and leadership get a console link); a copy keeps no signed link.
    expect(links.units).toEqual(['zonghe', 'yanjiu', 'duchashi']);

    const [lead] = forUnit(before, 'zonghe@xinfang.example');
    expect(lead!.mail.subject).toBe('【交办通知】组织实施 2014 年信访工作考核（期限：2015年3月31日 星期二）');
    expect(lead!.mail.from?.value[0]).toEqual({ name: '督办系统', address: 'duban@xinfang.example' });
    expect(lead!.mail.html).toContain('你单位职责');
    expect(lead!.mail.html).toContain('href="http://127.0.0.1:9/a/test-token-zonghe-confirm"');
    expect(lead!.mail.text).toContain('牵头单位：综合指导司');
    expect(lead!.mail.text).toContain('确认完成：http://127.0.0.1:9/a/test-token-zonghe-confirm');
    expect(lead!.mail.text).not.toContain('test-token-yanjiu');
    expect(lead!.mail.messageId).toBe('<xinfang-2015.d04.zonghe.thread@xinfang.example>');
    expect(lead!.mail.headers.get('auto-submitted')).toBe('auto-generated');

    const calendar = lead!.mail.attachments.find((a) => a.contentType === 'text/calendar' || a.filename?.endsWith('.ics'));
    const ics = calendar!.content.toString('utf8');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('DTSTART;VALUE=DATE:20150331');
    expect(ics.replace(/\r\n[ \t]/g, '')).toContain('UID:xinfang-2015.d04.zonghe.due@xinfang.example');

    const [partner] = forUnit(before, 'yanjiu@xinfang.example');
    expect(partner!.mail.text).toContain('test-token-yanjiu-confirm');
    expect(partner!.mail.text).toContain('你单位职责：协办单位');

    const [copy] = forUnit(before, 'duchashi@xinfang.example');
    expect(copy!.mail.subject).toBe('【抄送·交办通知】组织实施 2014 年信访工作考核（期限：2015年3月31日 星期二）');
    expect(copy!.mail.text).toContain('抄送督查室');
    expect(`${copy!.mail.text}${String(copy!.mail.html)}`).not.toContain('test-token');
    expect(copy!.mail.attachments).toEqual([]);
  });

  it('threads a later notice under the unit’s assignment', async () => {
    const before = sink.messages().length;
    const mailer = emailSink(sink.smtpUrl);
    await mailer.deliver(sampleNotification('assignment'));
    await mailer.deliver(sampleNotification('reminder'));
    const [assignment, reminder] = forUnit(before, 'yanjiu@xinfang.example');
    expect(reminder!.mail.subject).toBe('【提醒】组织实施 2014 年信访工作考核（剩余3个工作日，期限：2015年3月31日 星期二）');
    expect(reminder!.mail.messageId).toBe('<xinfang-2015.d04.2.yanjiu@xinfang.example>');
    expect(reminder!.mail.inReplyTo).toBe(assignment!.mail.messageId);
    expect(reminder!.mail.references).toBe(assignment!.mail.messageId);
  });

  it('gives the same notice the same Message-IDs when it is sent again (a retry on another worker)', async () => {
    const before = sink.messages().length;
    const notice = sampleNotification('overdue');
    await emailSink(sink.smtpUrl).deliver(notice);
    await emailSink(sink.smtpUrl).deliver(notice);
    const ids = received(before).map((m) => m.mail.messageId);
    expect(ids).toHaveLength(6);
    expect(ids.slice(3)).toEqual(ids.slice(0, 3));
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
  });

  it('refuses an invalid sender address when the sink is built, not on the first notice', () => {
    expect(() => createEmailSink({ transport: createSmtpTransport(sink.smtpUrl), from: 'duban at xinfang', mailDomain: 'xinfang.example', links: recordingLinks() })).toThrow(/MAIL_FROM/);
  });
});

describe('failures', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('a recipient the server refuses with 550 is a permanent failure naming the address; the other unit still gets its mail', async () => {
    const server = await startScriptedSmtp((address) => (address === 'yanjiu@xinfang.example' ? 550 : undefined));
    servers.push(server);
    const err = await failure(() => emailSink(server.url).deliver(sampleNotification('assignment')));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('yanjiu@xinfang.example');
    expect(err.message).toContain('550');
    expect(err.message).not.toContain('test-token');
    expect(server.received.map((m) => m.subject)).toEqual(['【交办通知】组织实施 2014 年信访工作考核（期限：2015年3月31日 星期二）']);
  });

  it('a server answering 451 gives a retryable error, and the retry does not mail the unit that already got it', async () => {
    let busy = true;
    const server = await startScriptedSmtp((address) => (busy && address === 'yanjiu@xinfang.example' ? 451 : undefined));
    servers.push(server);
    const mailer = emailSink(server.url);
    const notice = sampleNotification('assignment');

    const err = await failure(() => mailer.deliver(notice));
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('451');
    expect(server.received).toHaveLength(1);

    busy = false;
    await mailer.deliver(notice);
    expect(server.received.map((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address)).toEqual(['zonghe@xinfang.example', 'yanjiu@xinfang.example']);
  });

  it('a closed port (ECONNREFUSED) gives a retryable error', async () => {
    const port = await closedPort();
    const err = await failure(() => emailSink(`smtp://127.0.0.1:${port}`).deliver(sampleNotification('reminder')));
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });

  it('a malformed address in the notice is a permanent failure naming it; the units with good addresses are served', async () => {
    const server = await startScriptedSmtp(() => undefined);
    servers.push(server);
    const broken = { ...yanjiu, emails: ['yanjiu(at)xinfang.example'] };
    const err = await failure(() => emailSink(server.url).deliver(sampleNotification('reminder', { to: [zonghe, broken] })));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('"yanjiu(at)xinfang.example"');
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.text).toContain('综合指导司：');
  });
});

describe('classifying SMTP errors', () => {
  const smtpError = (fields: { code?: string; responseCode?: number }) => Object.assign(new Error('smtp'), fields);

  it('treats 5xx answers as permanent, except 503 (bad sequence) which a new connection fixes', () => {
    expect(isPermanentSmtpError(smtpError({ code: 'EENVELOPE', responseCode: 550 }))).toBe(true);
    expect(isPermanentSmtpError(smtpError({ code: 'EMESSAGE', responseCode: 552 }))).toBe(true);
    expect(isPermanentSmtpError(smtpError({ code: 'EPROTOCOL', responseCode: 503 }))).toBe(false);
  });

  it('treats 4xx answers and connection trouble as retryable', () => {
    expect(isPermanentSmtpError(smtpError({ code: 'EENVELOPE', responseCode: 451 }))).toBe(false);
    for (const code of ['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'ECONNRESET', 'EDNS']) expect(isPermanentSmtpError(smtpError({ code })), code).toBe(false);
  });

  it('retries a rejected login (535) or TLS problem: an operator fixes those and the notice still goes out', () => {
    expect(isPermanentSmtpError(smtpError({ code: 'EAUTH', responseCode: 535 }))).toBe(false);
    expect(isPermanentSmtpError(smtpError({ code: 'ETLS' }))).toBe(false);
  });
});
