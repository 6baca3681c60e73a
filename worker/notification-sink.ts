/** Chooses where a worker's notices go: real mail (SMTP_URL …) or, when asked for, the outbox file. */
import { createEmailSink, createSmtpTransport, mailDomainOf } from '../activities/mail/email-sink.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { createOutboxSink } from '../activities/outbox-sink.ts';
import { requireVariables, type DubanEnvironment } from '../config/environment.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner, parseLinkKeys } from '../web/links/link-token.ts';

/** The sink the environment asks for; mail needs SMTP_URL, MAIL_FROM, PUBLIC_URL and LINK_KEYS, all named if missing. */
export function notificationSinkFor(env: DubanEnvironment): { sink: NotificationSink; describe: string } {
  if (env.notify === 'outbox') return { sink: createOutboxSink(env.outboxFile), describe: `notices recorded in ${env.outboxFile}` };
  requireVariables(env, ['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL', 'LINK_KEYS']);
  const signer = new LinkSigner(parseLinkKeys(env.linkKeys!));
  const sink = createEmailSink({
    transport: createSmtpTransport(env.smtpUrl!),
    from: env.mailFrom!,
    mailDomain: mailDomainOf(env.mailFrom!),
    links: createLinkMaker({ signer, publicUrl: env.publicUrl!, now: Date.now }),
    coalesce: env.reminderCoalesceMs === 0 ? false : { windowMs: env.reminderCoalesceMs },
  });
  return { sink, describe: `notices mailed through ${new URL(env.smtpUrl!).host} (links to ${env.publicUrl})` };
}
