/**
 * The web pages when Temporal is slow, hung or stopped, seen through a proxy in front of a real dev server
 * (helpers/slow-proxy.ts). A slow server must be waited on, not taken for a stopped one: under load its answers
 * can take over a second, and a page that then says "cannot connect" tells a unit its confirmation failed while it
 * went in. A server that never answers gets a page saying so, and that the submission may have gone in; a stopped
 * one a quick "cannot connect".
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { createTemporalGuard, TemporalUnavailableError } from '../../web/temporal-guard.ts';
import { createDubanWorker } from '../../worker/create-worker.ts';
import { statusQuery } from '../../workflows/definitions.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.ts';
import { startDevServer } from '../helpers/temporal-servers.ts';
import { confirmLinkPath, formPost, startPinnedD10, startWebStack } from '../helpers/web-stack.ts';

const taskQueue = `slow-${randomUUID()}`;
// Past the guard's probe (0.4 s) and its probe's own patience (1 s): the old probe gave up on such a server.
const answerDelayMs = 1_500;
const busyAfterMs = 4_000;
let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let worker: Worker;
let running: Promise<void>;
let proxy: SlowProxy;
let connection: NativeConnection;
let webClient: Client;
let web: Awaited<ReturnType<typeof startWebStack>>;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, sink: { deliver: async () => undefined } });
  running = worker.run();
  proxy = await startSlowProxy(env.address);
  // Only the web server talks to Temporal through the proxy; the worker and the test's own client do not.
  connection = await NativeConnection.connect({ address: proxy.address });
  webClient = new Client({ connection, namespace: 'default' });
  web = await startWebStack({ client: webClient, temporalAddress: proxy.address, smtpUrl: sink.smtpUrl, temporalGuard: { busyAfterMs } });
}, 120_000);

afterAll(async () => {
  await web?.close();
  await proxy?.close();
  await connection?.close();
  worker?.shutdown();
  await running;
  await sink?.close();
  await env?.teardown();
});

const openDeliverable = () => startPinnedD10(env.client, taskQueue, 'slow');
const linkFor = (workflowId: string) => `${web.server.url}${confirmLinkPath(web.linkKeys, workflowId)}`;

describe('a Temporal server that answers slowly', () => {
  it('is waited on: the link’s page and its confirmation answer, where a getSystemInfo probe took it for away', async () => {
    const handle = await openDeliverable();
    const link = linkFor(handle.workflowId);
    proxy.slowBy(answerDelayMs);
    try {
      // What the guard did before it knew the server's address: its probe, slow too, gave up and answered 503.
      const probing = createTemporalGuard(webClient);
      await expect(probing(() => webClient.workflow.getHandle(handle.workflowId).query(statusQuery))).rejects.toBeInstanceOf(TemporalUnavailableError);

      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('确认完成');
      const confirmed = await fetch(link, formPost({ note: '已按期完成' }));
      expect(confirmed.status).toBe(200);
    } finally {
      proxy.slowBy(0);
    }
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeDefined();
  });
});

describe('a Temporal server that accepts connections but does not answer', () => {
  it('gets a busy page after a bound, saying the submission may have gone in — and it has', async () => {
    const handle = await openDeliverable();
    const link = linkFor(handle.workflowId);
    proxy.freeze();
    let answer: Response;
    try {
      answer = await fetch(link, formPost({ note: '已完成' }));
    } finally {
      proxy.thaw();
    }
    expect(answer.status).toBe(503);
    const text = await answer.text();
    expect(text).toContain('督办服务繁忙');
    expect(text).toContain('刚才的提交可能已经送达');
    // The update reached the server before its answer was held: the unit's confirmation is recorded.
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeDefined();
    // Busy is not remembered as away: the page answers again at once.
    expect((await fetch(link)).status).toBe(200);
  });
});

describe('a stopped Temporal server', () => {
  it('gets a quick 503 saying it cannot connect, not the busy page', async () => {
    const handle = await openDeliverable();
    await proxy.close();
    const page = await fetch(linkFor(handle.workflowId));
    expect(page.status).toBe(503);
    const text = await page.text();
    expect(text).toContain('督办服务暂时无法连接');
    // A page read changes nothing, so it says nothing of a submission.
    expect(text).not.toContain('可能已经送达');
  });
});
