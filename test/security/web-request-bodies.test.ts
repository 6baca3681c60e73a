/**
 * Hostile request bodies: a huge body must be refused before it is read (also before sign-in and before the
 * console's guards), a malformed or foreign encoding must get a 4xx page, never a 500, and a JSON body must not
 * confirm an item while its note is dropped. Real web server, dev server, real worker.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { SessionCodec } from '../../web/auth/session.ts';
import { parseLinkKeys } from '../../web/links/link-keys.ts';
import { createDubanWorker } from '../../worker/create-worker.ts';
import { statusQuery } from '../../workflows/definitions.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { streamedPost } from '../helpers/raw-http.ts';
import { startDevServer } from '../helpers/temporal-servers.ts';
import { confirmLinkPath, startPinnedD10, startWebStack } from '../helpers/web-stack.ts';

const taskQueue = `bodies-${randomUUID()}`;
const megabytes = 1024 * 1024;
let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let worker: Worker;
let running: Promise<void>;
let web: Awaited<ReturnType<typeof startWebStack>>;
let cookie: string;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, sink: { deliver: async () => undefined } });
  running = worker.run();
  web = await startWebStack({ client: env.client, temporalAddress: env.address, smtpUrl: sink.smtpUrl });
  const { value } = new SessionCodec(parseLinkKeys(web.linkKeys)).issue({ email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' } }, Date.now());
  cookie = `duban_session=${value}`;
}, 120_000);

afterAll(async () => {
  await web?.close();
  worker?.shutdown();
  await running;
  await sink?.close();
  await env?.teardown();
});

const openDeliverable = () => startPinnedD10(env.client, taskQueue, 'bodies');
const linkFor = (workflowId: string) => confirmLinkPath(web.linkKeys, workflowId);

describe('a request body', () => {
  it('of 64 MB to the unauthenticated sign-in is refused with 413 before it is read, declared or not', async () => {
    const small = await fetch(`${web.server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: 'x'.repeat(40_000) }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(small.status).toBe(413);
    expect(await small.text()).toContain('提交内容过长');
    for (const declareLength of [true, false]) {
      const answer = await streamedPost(`${web.server.url}/login`, { total: 64 * megabytes, declareLength });
      // The server answers 413 and closes without reading on; the client reads the page, or (still writing) a reset.
      if (answer.status !== 0) {
        expect(answer.status).toBe(413);
        expect(answer.body).toContain('提交内容过长');
      }
      // Socket buffers let a few megabytes through before the answer; reading the body would take all 64.
      expect(answer.written).toBeLessThan(16 * megabytes);
    }
  });

  it('of 64 MB to the console is refused before the anti-forgery check reads it', async () => {
    const answer = await streamedPost(`${web.server.url}/console/plans/xinfang-2015/deliverables/d10/escalate`, { total: 64 * megabytes, declareLength: false, headers: { Cookie: cookie } });
    expect([0, 413]).toContain(answer.status);
    expect(answer.written).toBeLessThan(16 * megabytes);
  });

  it('in malformed multipart gets a 4xx page in Chinese on every POST route, never a 500', async () => {
    const handle = await openDeliverable();
    const routes = ['/login', '/login/abc.def', '/logout', linkFor(handle.workflowId), '/console/plans/xinfang-2015/deliverables/d10/escalate'];
    for (const route of routes) {
      const response = await fetch(`${web.server.url}${route}`, {
        method: 'POST', redirect: 'manual', body: '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nunterminated',
        headers: { 'Content-Type': 'multipart/form-data; boundary=x', Cookie: cookie },
      });
      expect([400, 415], route).toContain(response.status);
      expect(await response.text(), route).toContain('提交格式不被接受');
    }
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
  });

  it('in JSON to a confirm link is refused with 415 and confirms nothing (the note would have been dropped)', async () => {
    const handle = await openDeliverable();
    const response = await fetch(`${web.server.url}${linkFor(handle.workflowId)}`, {
      method: 'POST', body: JSON.stringify({ note: '已印发，文号见附件' }), headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain('请通过系统页面上的表单提交');
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    // The form our page sends still confirms, note and all.
    const confirmed = await fetch(`${web.server.url}${linkFor(handle.workflowId)}`, {
      method: 'POST', body: new URLSearchParams({ note: '已印发' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(confirmed.status).toBe(200);
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeDefined();
  });
});
