/**
 * Sign-in state that survives: a used sign-in link and a signed-out session must be refused by every web
 * process and after a restart. Two real `duban web` processes on one dev server, a real worker running the
 * sign-in ledger workflow, real SMTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { createDubanWorker } from '../../worker/create-worker.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { signInLedgerWorkflowId } from '../../workflows/sign-in-definitions.ts';
import { childEnvironment, freePorts } from '../helpers/duban-cli.ts';
import { sentTo, waitForMail } from '../helpers/mailbox.ts';
import { startDevServer } from '../helpers/temporal-servers.ts';
import { formPost, randomLinkKeys } from '../helpers/web-stack.ts';

const dubanBin = new URL('../../bin/duban.js', import.meta.url).pathname;
const chief = 'duchashi@xinfang.example';

/** A `duban web` child process on a given port. */
class WebProcess {
  private output = '';
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  static async start(env: NodeJS.ProcessEnv, port: number): Promise<WebProcess> {
    const web = new WebProcess(spawn(process.execPath, [dubanBin, 'web'], { env: { ...env, WEB_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] }), `http://127.0.0.1:${port}`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`duban web silent after 60 s:\n${web.output}`)), 60_000);
      web.child.stdout!.on('data', () => {
        if (!web.output.includes('duban web: listening')) return;
        clearTimeout(timer);
        resolve();
      });
      void web.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`duban web exited before listening:\n${web.output}`));
      });
    });
    return web;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let worker: Worker;
let running: Promise<void>;
const webs: WebProcess[] = [];

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  // The ledger runs on the ordinary task queue, as under `duban worker`; notices (none here) would go to an outbox.
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: { deliver: async () => undefined } });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  for (const web of webs) await web.stop();
  worker?.shutdown();
  await running;
  await sink?.close();
  await env?.teardown();
});

async function mailedLink(web: WebProcess): Promise<string> {
  const before = sink.messages().filter(sentTo(chief)).length;
  expect((await fetch(`${web.url}/login`, formPost({ email: chief }))).status).toBe(303);
  const mail = await waitForMail(sink, (m) => sentTo(chief)(m) && sink.messages().filter(sentTo(chief)).indexOf(m) >= before);
  return new URL(/https?:\/\/\S+\/login\/\S+/.exec(mail.mail.text ?? '')![0]).pathname;
}

const redeem = (web: WebProcess, path: string) => fetch(`${web.url}${path}`, formPost({}));
const consoleStatus = async (web: WebProcess, cookie: string) => {
  const response = await fetch(`${web.url}/console/plans/xinfang-2015`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('Location'), body: await response.text() };
};

describe('sign-in state shared by web processes and kept over a restart', () => {
  it('refuses a used sign-in link and a signed-out session on the other process and after a restart', async () => {
    const [portA, portB] = await freePorts(2);
    // Both processes behind one public address, as behind a load balancer.
    const childEnv = childEnvironment({
      TEMPORAL_ADDRESS: env.address, PUBLIC_URL: `http://127.0.0.1:${portA}`, LINK_KEYS: randomLinkKeys('s1'),
      SMTP_URL: sink.smtpUrl, MAIL_FROM: '督办系统 <duban@xinfang.example>',
    });
    const a = await WebProcess.start(childEnv, portA!);
    webs.push(a);
    const b = await WebProcess.start(childEnv, portB!);
    webs.push(b);

    // A link used on A is spent on B.
    const link = await mailedLink(a);
    const signedIn = await redeem(a, link);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('Set-Cookie')!.split(';')[0]!;
    const refusedOnB = await redeem(b, link);
    expect(refusedOnB.status).toBe(403);
    expect(await refusedOnB.text()).toContain('登录链接无效、已使用或已过期');

    // The session works on both; signed out on B, it is refused on A.
    expect((await consoleStatus(a, cookie)).status).toBe(200);
    const page = await consoleStatus(b, cookie);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([0-9a-f]{32})"/.exec(page.body)![1]!;
    const out = await fetch(`${b.url}/logout`, formPost({ _csrf: csrf }, { Cookie: cookie }));
    expect(out.status).toBe(303);
    expect(await consoleStatus(a, cookie)).toMatchObject({ status: 303, location: '/login' });
    expect(await consoleStatus(b, cookie)).toMatchObject({ status: 303, location: '/login' });

    // After a restart, A still refuses both; a fresh link still signs in.
    await a.stop();
    const restarted = await WebProcess.start(childEnv, portA!);
    webs.push(restarted);
    expect((await redeem(restarted, link)).status).toBe(403);
    expect(await consoleStatus(restarted, cookie)).toMatchObject({ status: 303, location: '/login' });
    const fresh = await redeem(restarted, await mailedLink(restarted));
    expect(fresh.status).toBe(303);
    expect((await consoleStatus(b, fresh.headers.get('Set-Cookie')!.split(';')[0]!)).status).toBe(200);
  });

  it('keeps only digests in the ledger’s history: no link token, session cookie or form token', async () => {
    const history = JSON.stringify(await env.client.workflow.getHandle(signInLedgerWorkflowId).fetchHistory());
    expect(history).toContain('redeemSignInLink');
    const mails = sink.messages().filter(sentTo(chief)).map((m) => m.mail.text ?? '').join('\n');
    for (const token of mails.match(/\/login\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})/g) ?? []) {
      expect(history).not.toContain(token.slice('/login/'.length));
      expect(history).not.toContain(token.slice('/login/'.length).split('.')[0]!);
    }
  });
});
