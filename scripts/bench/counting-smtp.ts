/** A loopback SMTP server for the bench that keeps only each message's Message-ID and arrival time (10,000s of mails, no bodies). */
import { SMTPServer } from 'smtp-server';

/** A running counting sink. */
export interface CountingSmtp {
  readonly url: string;
  /** Arrival time (performance.now()) per unique Message-ID. */
  readonly arrivals: Map<string, number>;
  /**
   * The duban notice key and kind (X-Duban-Notice, X-Duban-Kind) per unique Message-ID, when the mail carries them;
   * `keys` lists every notice of a combined 交办通知 (the first is `key`).
   */
  readonly notices: Map<string, { key: string; kind: string; keys: string[] }>;
  /** Messages received, duplicates included. */
  received(): number;
  close(): Promise<void>;
}

/** Starts the sink on a free loopback port. */
export async function startCountingSmtp(): Promise<CountingSmtp> {
  const arrivals = new Map<string, number>();
  const notices = new Map<string, { key: string; kind: string; keys: string[] }>();
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        // A combined 交办通知 lists up to 200 notice keys in its header.
        if (head.length < 65_536) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        received += 1;
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? `anonymous-${received}`;
        if (!arrivals.has(id)) arrivals.set(id, performance.now());
        const headers = head.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const keys = /^X-Duban-Notice:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim().split(/\s+/) ?? [];
        const kind = /^X-Duban-Kind:\s*(\S+)/im.exec(headers)?.[1];
        if (keys[0] && kind) notices.set(id, { key: keys[0], kind, keys });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`, arrivals, notices, received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
