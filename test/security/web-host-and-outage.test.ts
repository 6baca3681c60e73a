/**
 * Requests the web server must not serve as asked: a Host that is not ours (DNS rebinding, on the web server and
 * on the dev mailbox that holds sign-in links), a validly signed token naming a workflow that is no deliverable,
 * and pages asked for while Temporal is down — a quick 503 page, not a 500 after the client's retries.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../../config/plan-inputs.ts';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { SessionCodec } from '../../web/auth/session.ts';
import { SignInTokens } from '../../web/auth/sign-in-tokens.ts';
import { parseLinkKeys } from '../../web/links/link-keys.ts';
import { createDubanWorker } from '../../worker/create-worker.ts';
import { planWorkflowId, taskQueue } from '../../workflows/definitions.ts';
import type { planWorkflow } from '../../workflows/plan.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { signInLedgerWorkflowId } from '../../workflows/sign-in-definitions.ts';
import { getWithHost } from '../helpers/raw-http.ts';
import { startDevServer } from '../helpers/temporal-servers.ts';
import { confirmLinkPath, formPost, shippedPlan, startWebStack } from '../helpers/web-stack.ts';

let env: TestWorkflowEnvironment | undefined;
let sink: SmtpSink;
let worker: Worker | undefined;
let running: Promise<void>;
let connection: NativeConnection;
let web: Awaited<ReturnType<typeof startWebStack>>;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  // The ordinary task queue: the sign-in ledger the web server starts runs there.
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: { deliver: async () => undefined } });
  running = worker.run();
  // The web server's own connection, as `duban web` opens it, so it outlives the test environment's.
  connection = await NativeConnection.connect({ address: env.address });
  web = await startWebStack({ client: new Client({ connection, namespace: 'default' }), temporalAddress: env.address, smtpUrl: sink.smtpUrl });
}, 120_000);

afterAll(async () => {
  await web?.close();
  worker?.shutdown();
  await running;
  await connection?.close();
  await sink?.close();
  await env?.teardown();
});

const linkFor = (workflowId: string) => confirmLinkPath(web.linkKeys, workflowId);

describe('the Host a request names', () => {
  it('must be PUBLIC_URL’s host or a loopback name on the web server, else 421', async () => {
    const port = new URL(web.server.url).port;
    const rebound = await getWithHost(`${web.server.url}/login`, `rebind.attacker.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('请求的主机名不被接受');
    expect(rebound.body).not.toContain('发送登录链接');
    for (const host of [new URL(web.publicUrl).host, `localhost:${port}`]) expect((await getWithHost(`${web.server.url}/login`, host)).status).toBe(200);
    // Health checks carry the orchestrator's Host and reveal nothing: always answered.
    expect((await getWithHost(`${web.server.url}/healthz`, `10.0.0.7:${port}`)).status).toBe(200);
  });

  it('must be a loopback name on the dev mailbox, which holds sign-in links', async () => {
    const mailbox = new URL(sink.webUrl).origin;
    const port = new URL(mailbox).port;
    const rebound = await getWithHost(`${mailbox}/api/messages`, `rebind.attacker.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('[');
    expect((await getWithHost(`${mailbox}/api/messages`, `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getWithHost(`${mailbox}/`, `localhost:${port}`)).status).toBe(200);
  });
});

describe('a validly signed token naming a workflow that is no deliverable', () => {
  it('gets a 404 page for the plan workflow, the sign-in ledger and an unknown id, on GET and POST', async () => {
    const plan = await shippedPlan();
    await env!.client.workflow.start<typeof planWorkflow>('planWorkflow', { workflowId: planWorkflowId(plan.id), taskQueue, args: [planWorkflowInput(plan, { planRef: await savePlanSnapshot(plan) })] });
    // The ledger exists once somebody has signed in: make it exist.
    const signIn = new SignInTokens(parseLinkKeys(web.linkKeys), { redeemLink: async () => true, revokeSession: async () => undefined, isSessionRevoked: async () => false });
    await fetch(`${web.server.url}/login/${signIn.mint('duchashi@xinfang.example', Date.now())}`, formPost({}));
    await env!.client.workflow.getHandle(signInLedgerWorkflowId).describe();
    for (const workflowId of [plan.id, signInLedgerWorkflowId, 'no-such-workflow', 'xinfang-2015/d99']) {
      const shown = await fetch(`${web.server.url}${linkFor(workflowId)}`);
      expect(shown.status, workflowId).toBe(404);
      expect(await shown.text()).toContain('该事项不存在');
      const posted = await fetch(`${web.server.url}${linkFor(workflowId)}`, formPost({ note: 'x' }));
      expect(posted.status, workflowId).toBe(404);
    }
  });
});

describe('pages asked for while Temporal is down', () => {
  it('answer 503 with a Chinese page, quickly, on action links, the console and sign-in', async () => {
    const handle = env!.client.workflow.getHandle(planWorkflowId('xinfang-2015'));
    await handle.terminate('test over');
    worker!.shutdown();
    await running;
    worker = undefined;
    await env!.teardown();
    env = undefined;

    const keys = parseLinkKeys(web.linkKeys);
    const { value } = new SessionCodec(keys).issue({ email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' } }, Date.now());
    const link = new SignInTokens(keys, { redeemLink: async () => true, revokeSession: async () => undefined, isSessionRevoked: async () => false }).mint('duchashi@xinfang.example', Date.now());
    const asks: [string, RequestInit][] = [
      [linkFor('xinfang-2015/d01'), {}],
      ['/console/plans/xinfang-2015', { headers: { Cookie: `duban_session=${value}` } }],
      [`/login/${link}`, formPost({})],
    ];
    for (const [path, init] of asks) {
      const started = Date.now();
      const response = await fetch(`${web.server.url}${path}`, { redirect: 'manual', ...init });
      const elapsed = Date.now() - started;
      expect(response.status, path.slice(0, 20)).toBe(503);
      expect(await response.text()).toContain('暂时无法连接');
      console.log(`Temporal down: ${path.slice(0, 20)}… answered 503 in ${elapsed} ms`);
    }
  });
});
