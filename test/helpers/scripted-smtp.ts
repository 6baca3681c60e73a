/** A real SMTP server on loopback whose answer to each recipient a test decides (accept, 4xx, 5xx). */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A running scripted server. */
export interface ScriptedSmtp {
  readonly url: string;
  readonly port: number;
  /** Messages accepted, parsed. */
  readonly received: ParsedMail[];
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (`port` 0 picks one; a fixed port lets a test bring a server "back up").
 * `answer` returns an SMTP code to refuse a recipient with, or undefined to accept it.
 */
export async function startScriptedSmtp(answer: (address: string) => number | undefined, port = 0, received: ParsedMail[] = []): Promise<ScriptedSmtp> {
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      const code = answer(address.address);
      if (code === undefined) return callback();
      callback(Object.assign(new Error(code >= 500 ? 'No such user here' : 'Mailbox busy, try again later'), { responseCode: code }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => (received.push(mail), callback()), callback);
    },
  });
  const listening = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    const net = server.listen(port, '127.0.0.1', () => resolve((net.address() as AddressInfo).port));
  });
  return { url: `smtp://127.0.0.1:${listening}`, port: listening, received, close: () => new Promise<void>((resolve) => server.close(resolve)) };
}
