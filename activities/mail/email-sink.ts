/**
 * Delivers notices as real email over SMTP: one message per unit, each with its own signed links; copies without.
 * A unit's 提醒/催办 and 超期通知 of one instant go out as one message (`reminder-delivery.ts`).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Notification, Recipient } from '../../workflows/definitions.ts';
import { PermanentDeliveryError, type NotificationSink } from '../notification-sink.ts';
import type { ActionLinkMaker } from './action-links.ts';
import { isMailbox, splitAddresses } from './addresses.ts';
import { composeMail, type ComposedMail } from './compose.ts';
import { composeAssignmentList } from './compose-list.ts';
import { composeReminderList } from './compose-reminder-list.ts';
import { BoundedSet } from './bounded-set.ts';
import { createReminderDelivery } from './reminder-delivery.ts';
import type { CoalescingOptions } from './reminder-coalescer.ts';
import { describeSmtpError, isPermanentSmtpError } from './smtp-errors.ts';
import { deliveriesOf, type Delivery, type Failures } from './unit-deliveries.ts';

/** What the email sink needs. */
export interface EmailSinkOptions {
  readonly transport: Transporter;
  /** The sender, e.g. `督办系统 <duban@xinfang.example>` (MAIL_FROM). */
  readonly from: string;
  /** Right-hand side of Message-IDs and calendar UIDs; {@link mailDomainOf} derives it from `from`. */
  readonly mailDomain: string;
  /** Mints each responsible unit's signed links, here inside the activity so no token enters workflow history. */
  readonly links: ActionLinkMaker;
  /** How many accepted Message-IDs to remember so a retry skips units already served (default 10,000). */
  readonly rememberSent?: number;
  /**
   * 提醒/催办 and 超期通知 a unit gets at one instant wait this long (and up to this many) to go out as one mail;
   * `false` mails each on its own. Default: 300 ms, 200 items.
   */
  readonly coalesce?: CoalescingOptions | false;
}

/** The domain of the sender address: `督办系统 <duban@xinfang.example>` → `xinfang.example`. */
export function mailDomainOf(from: string): string {
  const address = parseSender(from).email;
  return address.slice(address.lastIndexOf('@') + 1);
}

function parseSender(from: string): { name: string; email: string } {
  const parsed = addressparser(from, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || !first || !isMailbox(first.address)) throw new TypeError(`MAIL_FROM is not one valid address: "${from}"`);
  return { name: first.name || first.address, email: first.address };
}

/**
 * Creates an SMTP transport from a URL such as `smtp://127.0.0.1:1025` or `smtps://user:pass@mail.example:465`.
 * Pooled: the 09:00 burst of a large plan is thousands of messages, and a connection (TCP, greeting, TLS, login)
 * per message made it ten times slower than the server allows. A few connections are reused for every message; one
 * that fails rejects only its own messages, which the activity retries, so nothing is lost. One transport per worker.
 */
export function createSmtpTransport(smtpUrl: string, { maxConnections = 5 } = {}): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections,
    // A relay may limit messages per connection; a fresh connection now and then is cheap.
    maxMessages: 500,
    // Fail fast enough for the activity to retry well within its timeout, slow enough for a busy relay.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dnsTimeout: 10_000,
  });
}

/** Sends every notice as mail; permanent failures become {@link PermanentDeliveryError}, all others are rethrown for a retry. */
export function createEmailSink(options: EmailSinkOptions): NotificationSink {
  const { transport, from, mailDomain, links } = options;
  // Bad settings fail at start-up, not on the first notice.
  const sender = parseSender(from);
  if (!/^[A-Za-z0-9.-]+$/.test(mailDomain) || !mailDomain.includes('.')) throw new TypeError(`mail domain is not a domain name: "${mailDomain}"`);
  const limit = options.rememberSent ?? 10_000;
  // Message-IDs the server has accepted: a retry after a partial failure does not mail the same unit twice.
  const accepted = new BoundedSet(limit);

  /** Mails `recipient` one composed message, sorting any failure into permanent or transient; true once the server took it. */
  const mailUnit = async <L>(recipient: Recipient, makeLinks: () => L, compose: (links: L) => ComposedMail, failures: Failures): Promise<boolean> => {
    const { permanent, transient } = failures;
    const { valid, invalid } = splitAddresses(recipient);
    for (const address of invalid) permanent.push(`${recipient.name}(${recipient.unitId}) 的邮箱地址无效: "${address}"`);
    if (valid.length === 0) {
      if (invalid.length === 0) permanent.push(`${recipient.name}(${recipient.unitId}) 没有邮箱地址`);
      return false;
    }
    // A link maker that fails (e.g. no signing key yet) is an operator matter: its error propagates and is retried.
    const unitLinks = makeLinks();
    let mail: ComposedMail;
    try {
      mail = compose(unitLinks);
    } catch (err) {
      // A notice that cannot be written (e.g. a deliverable notice without its deliverable) never will be.
      permanent.push(`${recipient.name}(${recipient.unitId}) 的邮件无法生成: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    if (accepted.has(mail.messageId)) return true;
    try {
      const info = (await transport.sendMail({
        from,
        to: valid.map((address) => ({ name: recipient.name, address })),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        icalEvent: mail.icalEvent,
        headers: mail.headers,
        // Base64 for every text part. Left to choose, nodemailer counts the characters of each part to pick
        // quoted-printable or base64, then writes Chinese as quoted-printable (9 bytes a character) wherever the
        // HTML's Latin markup outnumbers it: mailing 170-item 交办通知 took 0.44 ms a notice, now 0.27 (measured).
        textEncoding: 'base64',
      })) as { rejected?: unknown[] };
      accepted.add(mail.messageId);
      // The server took the message for some of the unit's addresses and refused others: report those.
      for (const address of info.rejected ?? []) permanent.push(`${recipient.name}(${recipient.unitId}) 的邮箱 ${String(address)} 被拒收`);
      return true;
    } catch (err) {
      const line = `${recipient.name}(${recipient.unitId}) <${valid.join(', ')}>: ${describeSmtpError(err)}`;
      (isPermanentSmtpError(err) ? permanent : transient).push(line);
      return false;
    }
  };

  /** Mails one unit its own message for one notice, as every notice was mailed before reminders were combined. */
  const mailSingle = (notification: Notification, { recipient, copy }: Delivery, failures: Failures) =>
    // A copy is asked for links too: the supervisor and leadership get the console page where they act.
    mailUnit(recipient, () => links(notification, recipient.unitId), (unitLinks) => composeMail(notification, recipient, unitLinks, { mailDomain, copy, organizer: sender }), failures);

  const reminders = options.coalesce === false ? undefined : createReminderDelivery({
    coalescing: options.coalesce, rememberSent: limit, mailSingle,
    mailList: (kind, notices, { recipient, copy }, failures) =>
      mailUnit(recipient, () => notices.map((n) => links(n, recipient.unitId)), (each) => composeReminderList(kind, notices, recipient, each, { mailDomain, copy }), failures),
  });

  const deliver = async (notification: Notification) => {
    if (reminders?.handles(notification)) return settle(notification.key, await reminders.deliver(notification));
    const failures: Failures = { permanent: [], transient: [] };
    for (const delivery of deliveriesOf(notification)) await mailSingle(notification, delivery, failures);
    settle(notification.key, failures);
  };

  return {
    deliver,
    async deliverAssignments(unit, notices, batchKey) {
      // One item reads as it always did: the single 交办通知, opening the item's thread.
      if (notices.length === 1) return deliver({ ...notices[0]!, to: [unit], cc: [] });
      const failures: Failures = { permanent: [], transient: [] };
      const itemLinks = () => notices.map((notice) => links(notice, unit.unitId));
      await mailUnit(unit, itemLinks, (each) => composeAssignmentList(notices, unit, each, { mailDomain, organizer: sender, batchKey }), failures);
      settle(batchKey, failures);
    },
  };
}

/** Transient first: the retry also re-tries the units that failed for good, and reports them when it is done. */
function settle(label: string, { permanent, transient }: Failures): void {
  if (transient.length > 0) throw new Error(`${label} 邮件暂未发出，将重试: ${[...transient, ...permanent].join('; ')}`);
  if (permanent.length > 0) throw new PermanentDeliveryError(`${label} 邮件无法投递: ${permanent.join('; ')}`);
}
