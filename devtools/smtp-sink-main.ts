/** `node --import tsx devtools/smtp-sink-main.ts [--smtp-port 1025] [--http-port 8025] [--store DIR]`: the dev mail sink. */
import { parseArgs } from 'node:util';
import { startSmtpSink } from './smtp-sink.ts';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`--${name} must be a port number (0–65535), not "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'smtp-port': { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
    },
    strict: true,
  });
  const sink = await startSmtpSink({
    host: values.host ?? '127.0.0.1',
    smtpPort: port(values['smtp-port'], 1025, 'smtp-port'),
    httpPort: port(values['http-port'], 8025, 'http-port'),
    storeDir: values.store,
  });
  console.log(`SMTP sink listening: SMTP_URL=${sink.smtpUrl}`);
  console.log(`收件箱 (inbox): ${sink.webUrl}`);
  const stop = () => void sink.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
