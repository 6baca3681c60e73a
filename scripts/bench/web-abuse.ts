/**
 * Benchmark: what an attacker sees of the web server. Prints (1) sign-in answer times for a known and an unknown
 * address (median over 50 each, interleaved), (2) the server's memory while a 64 MB body is posted to /login,
 * (3) how long pages take to answer once Temporal is down. Real dev server, real SMTP sink, the web app in a
 * child process. Run: `npm run bench:web [-- CHECKOUT]` (another checkout's web app gives "before" figures).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevTemporal } from '../../devtools/dev-temporal.ts';
import { startSmtpSink } from '../../devtools/smtp-sink.ts';
import { SessionCodec } from '../../web/auth/session.ts';
import { LinkSigner } from '../../web/links/link-token.ts';
import { SealedTokens } from '../../web/links/sealed-tokens.ts';
import { freePorts } from '../../test/helpers/duban-cli.ts';

const root = process.argv[2] ?? new URL('../..', import.meta.url).pathname;
const rounds = 50;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-web-'));
  const [temporalPort, uiPort, webPort] = await freePorts(3);
  const temporal = await startDevTemporal({ dbFile: join(dir, 'temporal.sqlite'), port: temporalPort!, uiPort: uiPort!, env: process.env, log: () => undefined });
  const sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  const secret = randomBytes(32).toString('base64url');
  const url = `http://127.0.0.1:${webPort}`;
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('web-abuse-server.ts', import.meta.url).pathname, root], {
    env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, PUBLIC_URL: url, WEB_PORT: String(webPort), LINK_KEYS: `b1:${secret}`, SMTP_URL: sink.smtpUrl, MAIL_FROM: 'duban@xinfang.example' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
      child.once('exit', (code) => reject(new Error(`web server exited (${code})`)));
    });
    console.log(`web app of ${root}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

    // 1. Sign-in timing, known vs unknown.
    const post = async (email: string) => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ email }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      await response.arrayBuffer();
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status };
    };
    for (let i = 0; i < 10; i++) await post(i % 2 ? 'duchashi@xinfang.example' : 'warm-up@example.org');
    const known: number[] = [];
    const unknown: number[] = [];
    const statuses = new Set<string>();
    for (let i = 0; i < rounds; i++) {
      const k = await post('duchashi@xinfang.example');
      const u = await post(`nobody-${i}@xinfang.example`);
      known.push(k.ms);
      unknown.push(u.ms);
      statuses.add(`${k.status}/${u.status}`);
    }
    console.log(`sign-in answer, known address:   median ${median(known).toFixed(2)} ms, p90 ${quantile(known, 0.9).toFixed(2)} ms (status known/unknown: ${[...statuses].join(', ')})`);
    console.log(`sign-in answer, unknown address: median ${median(unknown).toFixed(2)} ms, p90 ${quantile(unknown, 0.9).toFixed(2)} ms`);
    console.log(`  difference of medians: ${(median(known) - median(unknown)).toFixed(2)} ms`);

    // 2. Memory while 64 MB are posted to /login.
    const memory = () => Object.fromEntries(readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n')
      .filter((line) => /^(VmRSS|VmHWM):/.test(line)).map((line) => [line.split(':')[0]!, Number(/(\d+)/.exec(line)![1]) / 1024]));
    for (const declared of [true, false]) {
      const before = memory();
      const answer = await postHuge(`${url}/login`, 64 * 1024 * 1024, declared);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = memory();
      console.log(`64 MB POST /login (${declared ? 'Content-Length' : 'chunked'}): status ${answer.status}, ${(answer.written / 1048576).toFixed(1)} MB written before the answer; ` +
        `server RSS ${before.VmRSS!.toFixed(0)} → ${after.VmRSS!.toFixed(0)} MB, peak ${before.VmHWM!.toFixed(0)} → ${after.VmHWM!.toFixed(0)} MB`);
    }

    // 3. Temporal down.
    await temporal.stop();
    const keys = [{ id: 'b1', secret }];
    const token = new LinkSigner(keys).mint({ workflowId: 'xinfang-2015/d01', unitId: 'zonghe', action: 'confirm', expiresAt: Date.now() + 86_400_000 });
    const { value } = new SessionCodec(keys).issue({ email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' } }, Date.now());
    const signIn = new SealedTokens('duban-sign-in', keys).seal({ p: 'sign-in', m: 'duchashi@xinfang.example', j: randomBytes(12).toString('hex'), e: Date.now() + 600_000 });
    const asks: [string, RequestInit][] = [
      [`/a/${token}`, {}],
      ['/console/plans/xinfang-2015', { headers: { Cookie: `duban_session=${value}` } }],
      [`/login/${signIn}`, { method: 'POST', body: new URLSearchParams(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }],
    ];
    for (const [path, init] of asks) {
      // Apart, so no page profits from the previous one having found the server down.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const started = Date.now();
      const response = await fetch(`${url}${path}`, { redirect: 'manual', ...init });
      await response.arrayBuffer();
      console.log(`Temporal down: ${init.method ?? 'GET'} ${path.split('/').slice(0, 3).join('/').slice(0, 30)}… → ${response.status} in ${Date.now() - started} ms`);
    }
  } finally {
    child.kill('SIGTERM');
    await sink.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function postHuge(url: string, total: number, declared: boolean): Promise<{ status: number; written: number }> {
  const target = new URL(url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve) => {
    let written = 0;
    let done = false;
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: {
      'Content-Type': 'application/x-www-form-urlencoded', ...(declared ? { 'Content-Length': String(total) } : {}),
    } });
    const finish = (status: number) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, written });
    };
    const pump = () => {
      while (!done && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode ?? 0));
    });
    // Writing into a socket the server closed fails; the answer may still be on its way, so wait for close.
    req.on('error', () => undefined);
    req.on('close', () => setTimeout(() => finish(0), 100));
    pump();
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
