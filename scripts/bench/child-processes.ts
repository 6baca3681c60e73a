/** The benches' child processes (workers, the CLI): started with the project root as their folder, stopped for sure. */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const root = new URL('../../', import.meta.url).pathname;

/** Starts `node ARGS`, added to `children`; resolves once its output matches `ready`, with how long that took. */
export function startChild(children: ChildProcess[], args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; ms: number }> {
  const began = performance.now();
  const child = spawn(process.execPath, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`bench: ${args.join(' ')} not ready after 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, ms: performance.now() - began });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`bench: ${args.join(' ')} exited (${code}):\n${output}`)));
  });
}

/** Asks a child to stop (SIGINT, as a worker shuts down), and kills it if it has not within 30 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await Promise.race([exited, sleep(30_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

