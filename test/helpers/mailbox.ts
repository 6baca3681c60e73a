/** Waiting on the dev SMTP sink, and finding the action links in what arrived. */
import type { SmtpSink } from '../../devtools/smtp-sink.ts';
import type { ParsedMessage } from '../../devtools/mail-store.ts';
import { waitFor } from './duban-cli.ts';

/** Waits (bounded) until a message matching `match` has arrived, and returns it. */
export function waitForMail(sink: SmtpSink, match: (message: ParsedMessage) => boolean, timeoutMs = 20_000): Promise<ParsedMessage> {
  return waitFor('a matching mail', () => sink.messages().find(match), timeoutMs, 50);
}

/** Whether the message was sent to this address. */
export function sentTo(address: string) {
  return (message: ParsedMessage) => message.envelope.to.includes(address);
}

/** The action links in a message's text part, in their order (签收, 确认完成, 报告进展, 申请延期 …). */
export function actionLinks(message: ParsedMessage): string[] {
  return actionLinksIn(message.mail.text ?? '');
}

function actionLinksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+\/a\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g)].map((m) => m[0]);
}

/** The action link after a label in a message's text part (`确认完成：https://…`); throws when the mail has none. */
export function actionLink(message: ParsedMessage, label: string): string {
  const link = (message.mail.text ?? '').split('\n').filter((line) => line.startsWith(`${label}：`)).flatMap((line) => actionLinksIn(line))[0];
  if (!link) throw new Error(`no ${label} link in the mail "${message.mail.subject ?? ''}"`);
  return link;
}

/** The token part of every action link in these messages. */
export function tokensIn(messages: readonly ParsedMessage[]): string[] {
  return messages.flatMap(actionLinks).map((link) => link.split('/a/')[1]!);
}
