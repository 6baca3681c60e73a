/** The Temporal dev server for `duban dev`: a child process on a SQLite file, so state survives restarts. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { provisionServer } from '../scripts/temporal-binaries.ts';
import { searchAttributeFlags } from '../worker/register-search-attributes.ts';
import { devServerSettings } from './dev-server-settings.ts';

/** A dev server `duban dev` started. */
export interface DevTemporal {
  readonly address: string;
  readonly uiUrl: string;
  stop(): Promise<void>;
}

/** A problem `duban dev` reports as one line. */
export class DevStackError extends Error {
  override readonly name = 'DevStackError';
}

/** Refuses a database file that is not SQLite (e.g. a truncated or foreign file) before the server trips on it. */
export function checkDatabaseFile(file: string): void {
  if (!existsSync(file)) return;
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  const read = readSync(fd, header, 0, 16, 0);
  closeSync(fd);
  if (read > 0 && header.toString('latin1', 0, 15) !== 'SQLite format 3') {
    throw new DevStackError(`${file} is not a SQLite database (corrupt data folder?); move it away to start afresh, or point DATA_DIR elsewhere`);
  }
}

/** Starts `temporal server start-dev` on 127.0.0.1 and waits until it answers (bounded). */
export async function startDevTemporal(options: { dbFile: string; port: number; uiPort: number; env: Readonly<Record<string, string | undefined>>; log: (line: string) => void }): Promise<DevTemporal> {
  checkDatabaseFile(options.dbFile);
  let binary;
  try {
    binary = await provisionServer('dev-server', { env: options.env, log: (line) => options.log(`  ${line}`) });
  } catch (err) {
    throw new DevStackError((err as Error).message);
  }
  const child: ChildProcess = spawn(binary.path, [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--ui-port', String(options.uiPort),
    '--db-filename', options.dbFile, '--namespace', 'default', '--log-level', 'error', ...searchAttributeFlags(), ...devServerSettings({ onFile: true }),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('running'), 250))]);
    if (early !== 'running') throw new DevStackError(`the Temporal dev server stopped at start (exit ${String(early)}): ${stderr.trim().split('\n').at(-1) ?? ''}`);
    try {
      const connection = await NativeConnection.connect({ address });
      await connection.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new DevStackError(`the Temporal dev server did not answer on ${address} within 60 s`);
      }
    }
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
