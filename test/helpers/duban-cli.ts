/** Runs the real `duban` command as a child process: one-shot commands, and workers that can be stopped or killed. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const dubanBin = new URL('../../bin/duban.js', import.meta.url).pathname;

/** What a finished command left behind. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a child: this process's, with the Temporal settings replaced by `overrides`. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
  // Notices go to the outbox file unless a test sets up mail.
  return { ...inherited, DUBAN_NOTIFY: 'outbox', ...overrides };
}

/** Runs `duban ARGS…` to completion; a non-zero exit is a result, not an error. */
export function runDuban(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dubanBin, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** A `duban worker` child process. */
export class WorkerProcess {
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `duban worker` and resolves once it says it is polling (rejects if it exits or stays silent for `timeoutMs`). */
  static async start(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<WorkerProcess> {
    const worker = new WorkerProcess(spawn(process.execPath, [dubanBin, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const polling = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker not polling after ${timeoutMs} ms:\n${worker.output}`)), timeoutMs);
      const check = () => {
        if (!/duban worker: polling/.test(worker.output)) return;
        clearTimeout(timer);
        resolve();
      };
      worker.child.stdout!.on('data', check);
      void worker.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`worker exited (${code ?? signal}) before polling:\n${worker.output}`));
      });
    });
    try {
      await polling;
    } catch (err) {
      await worker.kill();
      throw err;
    }
    return worker;
  }

  /** Everything the worker printed so far. */
  get log(): string {
    return this.output;
  }

  /** Asks the worker to stop (SIGTERM by default) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** Kills the worker at once, as a crash would, and waits for it to be gone. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.stop('SIGKILL');
  }
}

/** Polls `probe` until it returns a value other than `undefined`, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago, and nobody is given it on purpose). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `count` distinct free ports on 127.0.0.1, all held open together while chosen so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
