/** A local SMTP sink for development: accepts any mail on loopback, keeps it, and shows it in the browser. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { MailStore, type ParsedMessage } from './mail-store.ts';
import { sinkHandler } from './sink-http.ts';

export type { ParsedMessage } from './mail-store.ts';

/** Where and how the sink listens; port 0 picks a free one. */
export interface SmtpSinkOptions {
  /** A loopback address only: the sink has no authentication. */
  readonly host?: string;
  readonly smtpPort?: number;
  readonly httpPort?: number;
  /** Keep messages as `.eml` files here, read back on the next start. */
  readonly storeDir?: string;
  /** Larger messages are refused with 552 (default 10 MiB). */
  readonly maxMessageBytes?: number;
}

/** A running sink. */
export interface SmtpSink {
  readonly host: string;
  readonly smtpPort: number;
  readonly httpPort: number;
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  readonly smtpUrl: string;
  /** `http://127.0.0.1:<port>/`, the inbox. */
  readonly webUrl: string;
  /** Every message received, oldest first. */
  messages(): ParsedMessage[];
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

function isLoopbackPeer(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function startSmtp(store: MailStore, host: string, port: number, maxBytes: number): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    banner: 'duban smtp sink (development only)',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    logger: false,
    closeTimeout: 1_000,
    onConnect(session, callback) {
      callback(isLoopbackPeer(session.remoteAddress) ? null : smtpError('loopback only', 554));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as typeof stream & { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError('message too large', 552));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        // Accept only once the message is stored, so a client that got 250 can read it back at once.
        store.add(Buffer.concat(chunks), envelope).then(() => callback(), (err: Error) => callback(smtpError(`could not store: ${err.message}`, 451)));
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    const net = server.listen(port, host, () => resolve({ server, port: (net.address() as AddressInfo).port }));
  });
}

function startHttp(store: MailStore, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer(sinkHandler(store));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** Starts the SMTP server and its web view; both listen on loopback only. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  if (!loopback.has(host)) throw new Error(`the SMTP sink listens on loopback only, not on "${host}"`);
  const store = await MailStore.open(options.storeDir);
  const smtp = await startSmtp(store, host, options.smtpPort ?? 0, options.maxMessageBytes ?? 10 * 1024 * 1024);
  const http = await startHttp(store, host, options.httpPort ?? 0).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => smtp.server.close(resolve));
    throw err;
  });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    smtpPort: smtp.port,
    httpPort: http.port,
    smtpUrl: `smtp://${urlHost}:${smtp.port}`,
    webUrl: `http://${urlHost}:${http.port}/`,
    messages: () => store.all(),
    async close() {
      http.server.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => http.server.close(() => resolve())),
        new Promise<void>((resolve) => smtp.server.close(resolve)),
      ]);
    },
  };
}
