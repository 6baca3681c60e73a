import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { startSmtpSink, type SmtpSink } from '../devtools/smtp-sink.ts';
import { createWebApp } from '../web/app.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from '../web/links/link-token.ts';
import { startWebServer, type RunningWebServer } from '../web/server.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { statusQuery } from '../workflows/definitions.ts';
import { deliverableWorkflow } from '../workflows/deliverable.ts';
import { closedPort } from './helpers/duban-cli.ts';
import { actionLinks, sentTo, waitForMail } from './helpers/mailbox.ts';
import { startDevServer } from './helpers/temporal-servers.ts';
import type { Worker } from '@temporalio/worker';

const linkKeys = 'e2e:gSwFYkTW36CI2Oi3e666OdoY_rO0f0NtE_mQwh5M';
let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let web: RunningWebServer;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `e2e-${randomUUID()}`;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  // The web server's address is the PUBLIC_URL the mails link to, so its port is chosen first.
  const port = await closedPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = createWebApp({ gateway: createTemporalGateway(env.client), signer: new LinkSigner(parseLinkKeys(linkKeys)), publicUrl, now: Date.now });
  web = await startWebServer(app, '127.0.0.1', port);
  const settings = readEnvironment({ SMTP_URL: sink.smtpUrl, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: publicUrl, LINK_KEYS: linkKeys });
  // The assignment goes through its unit's batch (one item: the single 交办通知), after a short quiet window.
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: notificationSinkFor(settings).sink, taskQueue, assignmentBatchMs: 1_000 });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await web?.close();
  await sink?.close();
  await env?.teardown();
});

async function startDeliverable() {
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('plan invalid');
  // Due at the end of this (covered) year, so the item is open and on time now.
  const input = { ...deliverableInput(loaded.plan, 'd10'), due: '2026-12-30', planWorkflowId: undefined };
  const workflowId = `xinfang-2015/d10-e2e-${randomUUID().slice(0, 8)}`;
  return env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue, workflowId });
}

const sameOrigin = () => ({ Origin: new URL(web.url).origin, 'Content-Type': 'application/x-www-form-urlencoded' });

describe('from the assignment mail to the workflow, on the dev server', () => {
  it('confirms, reports progress and asks for more time through the links in real mail', async () => {
    const handle = await startDeliverable();
    const leadMail = await waitForMail(sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    expect(leadMail.mail.subject).toContain('出台关于进一步加强和规范信访统计工作的意见');
    const [confirm, , extension] = classify(actionLinks(leadMail));
    expect(confirm.startsWith(`${web.url}/a/`)).toBe(true);

    // GET only shows.
    const shown = await fetch(confirm);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('确认完成');
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();

    const helperMail = await waitForMail(sink, (m) => sentTo('bangongshi@xinfang.example')(m) && actionLinks(m).length > 0);
    // Under `completion: lead` a 协办单位 is not asked to confirm: its mail links to progress and extension only.
    const helperLinks = actionLinks(helperMail);
    expect(helperLinks).toHaveLength(2);
    expect(helperMail.mail.text).not.toContain('确认完成：');
    const helperProgress = helperLinks[0]!;
    const progressed = await fetch(helperProgress, { method: 'POST', headers: sameOrigin(), body: new URLSearchParams({ note: '已完成征求意见稿' }) });
    expect(progressed.status).toBe(200);
    expect((await handle.query(statusQuery)).units.find((u) => u.unitId === 'bangongshi')!.lastProgress).toBeDefined();

    const asked = await fetch(extension, { method: 'POST', headers: sameOrigin(), body: new URLSearchParams({ to: '2027-01-29', note: '需与国家统计局会签' }) });
    // 2027 is beyond the calendar: refused in words, nothing changed.
    expect(asked.status).toBe(409);
    expect(await asked.text()).toContain('不在工作日历中');
    const askedAgain = await fetch(extension, { method: 'POST', headers: sameOrigin(), body: new URLSearchParams({ to: '2026-12-31', note: '需与国家统计局会签' }) });
    expect(askedAgain.status).toBe(200);
    expect((await handle.query(statusQuery)).pendingExtension).toMatchObject({ unitId: 'zonghe', to: '2026-12-31' });

    const confirmed = await fetch(confirm, { method: 'POST', headers: sameOrigin(), body: new URLSearchParams({ note: '意见已印发' }) });
    expect(confirmed.status).toBe(200);
    const status = await handle.query(statusQuery);
    expect(status.status).toBe('awaiting_acceptance');
    expect(status.units[0]).toMatchObject({ unitId: 'zonghe', note: '意见已印发' });
    const again = await fetch(confirm, { method: 'POST', headers: sameOrigin(), body: new URLSearchParams({}) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already confirmed');
    // 督查室 hears of the confirmation by mail.
    await waitForMail(sink, (m) => sentTo('duchashi@xinfang.example')(m) && (m.mail.subject ?? '').includes('待验收'));
    await handle.terminate('test finished');
  });
});

/** The three links of a mail, in the order the mail lists them: confirm, progress, extension. */
function classify(links: string[]): [string, string, string] {
  expect(links).toHaveLength(3);
  return links as [string, string, string];
}
