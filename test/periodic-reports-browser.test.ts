/**
 * 定期报送 and task items end to end on the dev server, with real SMTP and headless Chromium: a small plan of its own
 * starts its annex deliverable and its task item (工作任务); at the 25th the task's lead gets a 催报, opens the mail's
 * 报告进展 link, reports with a stage and a percent, and the console shows the report and the item green again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { readEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { startSmtpSink, type SmtpSink } from '../devtools/smtp-sink.ts';
import { buildWebApp } from '../web/build-app.ts';
import { startWebServer, type RunningWebServer } from '../web/server.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import { deliverableWorkflowId, planWorkflowId, statusQuery, taskQueue } from '../workflows/definitions.ts';
import { planAttribute } from '../workflows/search-attributes.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import { closedPort, waitFor } from './helpers/duban-cli.ts';
import { sentTo, waitForMail } from './helpers/mailbox.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const planFile = new URL('./fixtures/plans/report-tasks-2025.yaml', import.meta.url).pathname;
const snapshotDir = mkdtempSync(join(tmpdir(), 'duban-reports-'));
let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let web: RunningWebServer;
let worker: Worker;
let running: Promise<void>;
let browser: Browser;
let plan: Plan;

beforeAll(async () => {
  const loaded = await loadPlanFile(planFile);
  if (!loaded.ok) throw new Error('the test plan does not validate');
  plan = loaded.plan;
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  const port = await closedPort();
  const settings = readEnvironment({
    TEMPORAL_ADDRESS: env.address, SMTP_URL: sink.smtpUrl, MAIL_FROM: '督办系统 <duban@ting.example>', PUBLIC_URL: `http://127.0.0.1:${port}`,
    LINK_KEYS: `r1:${randomBytes(32).toString('base64url')}`,
  });
  web = await startWebServer(buildWebApp({ client: env.client, env: settings, plans: [plan], now: Date.now }).app, '127.0.0.1', port);
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: notificationSinkFor(settings).sink, snapshotDir, assignmentBatchMs: 1_000 });
  running = worker.run();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  worker?.shutdown();
  await running;
  await web?.close();
  await sink?.close();
  await env?.teardown();
  rmSync(snapshotDir, { recursive: true, force: true });
});

describe('a plan with a task and no annex deliverable for it, on the dev server', () => {
  it('starts the task as a 工作任务 item beside the annex deliverable, and the console lists both', async () => {
    // Plan time a few seconds before 09:00 on Thursday 25 September 2025, the task items' report day.
    const clockOffsetMs = beijing('2025-09-25 08:59') + 52_000 - Date.now();
    const planRef = await savePlanSnapshot(plan, snapshotDir);
    await env.client.workflow.start('planWorkflow', { workflowId: planWorkflowId(plan.id), taskQueue, args: [planWorkflowInput(plan, { planRef, clockOffsetMs })] });

    const ids = await waitFor('both items in visibility', async () => {
      const found: string[] = [];
      for await (const info of env.client.workflow.list({ query: `${planAttribute.name} = '${plan.id}'` })) found.push(info.workflowId);
      return found.length >= 2 ? found.sort() : undefined;
    }, 30_000, 200);
    expect(ids).toEqual([deliverableWorkflowId(plan.id, 'd1'), deliverableWorkflowId(plan.id, 'task-t2')]);
    const task = await env.client.workflow.getHandle(deliverableWorkflowId(plan.id, 'task-t2')).query(statusQuery);
    expect(task).toMatchObject({ itemKind: 'task', title: '开展基层减负专题调研', due: '2025-12-31', reporting: { cadence: '每月25日（遇节假日顺延）' } });
    expect(task.units.map((u) => [u.unitId, u.lead])).toEqual([['diaoyan', true], ['zhengce', false]]);
    // The annex deliverable reports on no schedule: the plan's policy asks for none.
    expect((await env.client.workflow.getHandle(deliverableWorkflowId(plan.id, 'd1')).query(statusQuery)).reporting).toBeUndefined();
  }, 60_000);

  it('mails the task’s lead a 催报 at 09:00 on the 25th; the lead reports from the mail in a browser and the console shows it', async () => {
    const reminder = await waitForMail(sink, (m) => sentTo('diaoyan@ting.example')(m) && (m.mail.subject ?? '').includes('【催报】'), 30_000).catch(async (err: unknown) => {
      const view = await env.client.workflow.getHandle(deliverableWorkflowId(plan.id, 'task-t2')).query(statusQuery);
      throw new Error(`${String(err)}; mail: ${sink.messages().map((m) => m.mail.subject).join(' | ')}; item: ${JSON.stringify({ status: view.status, reporting: view.reporting, events: view.events, next: view.nextNotice })}`);
    });
    expect(reminder.mail.subject).toContain('开展基层减负专题调研');
    // Only the lead is asked to report; its co-unit gets no 催报.
    expect(sink.messages().filter((m) => sentTo('zhengce@ting.example')(m) && (m.mail.subject ?? '').includes('【催报】'))).toEqual([]);
    const handle = env.client.workflow.getHandle(deliverableWorkflowId(plan.id, 'task-t2'));
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'lagging', light: 'yellow' });

    const link = /报告进展：(\S+)/.exec(reminder.mail.text ?? '')![1]!;
    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('main').innerText()).toContain('报送滞后');
    await page.fill('#note', '已赴三个县开展调研，形成初步报告。<b>粗体</b>');
    await page.fill('#percent', '45');
    await page.selectOption('#stage', '推进中');
    await screenshot(page, 'report-progress-form');
    await page.click('button:has-text("报告进展")');
    expect(await page.locator('.notice.ok').innerText()).toContain('已报告进展');
    const after = await handle.query(statusQuery);
    expect(after).toMatchObject({ status: 'in_progress', light: 'green', reporting: { lagging: false, missed: 0 } });
    expect(after.units[0]).toMatchObject({ lastProgressNote: '已赴三个县开展调研，形成初步报告。<b>粗体</b>', lastProgressPercent: 45, lastProgressStage: '推进中' });

    // A percent out of range is refused in words, and nothing changes.
    const refused = await page.request.post(link, { form: { note: '再报', percent: '120' }, headers: { Origin: new URL(web.url).origin } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('完成比例须为 0 至 100 的整数');

    // 督查处 signs in by mail and sees the report on the dashboard and the item's page.
    const consolePage = await browser.newPage();
    await consolePage.goto(`${web.url}/console`);
    await consolePage.fill('#email', 'ducha@ting.example');
    const seen = sink.messages().length;
    await consolePage.click('button[type=submit]');
    const signInMail = await waitFor('the sign-in mail', () => sink.messages().slice(seen).find((m) => (m.mail.subject ?? '').includes('登录链接')), 30_000, 100);
    await consolePage.goto(/(http:\/\/\S+\/login\/\S+)/.exec(signInMail.mail.text ?? '')![1]!);
    await consolePage.click('button[type=submit]');
    await consolePage.waitForURL(/\/console\/plans\//);
    const taskRow = consolePage.locator('tbody tr', { hasText: '开展基层减负专题调研' });
    await expect.poll(() => taskRow.count(), { timeout: 15_000 }).toBe(1);
    const rowText = await taskRow.innerText();
    expect(rowText).toContain('工作任务');
    // Its age in plan time (the plan runs on a shifted clock), not against the wall clock.
    expect(rowText).toContain('（今天）');
    expect(rowText).toContain('【推进中 · 45%】已赴三个县开展调研，形成初步报告。<b>粗体</b>');
    expect(await taskRow.locator('b').count()).toBe(0);
    expect(await consolePage.locator('tbody tr', { hasText: '印发重点工作督办办法' }).innerText()).toContain('附件事项');
    await screenshot(consolePage, 'report-console-dashboard');
    await taskRow.locator('a').first().click();
    const detail = await consolePage.locator('main').innerText();
    expect(detail).toContain('每月25日（遇节假日顺延）');
    expect(detail).toContain('下次截止 2025-10-27 09:00');
    expect(detail).toContain('【推进中 · 45%】');

    const csv = await consolePage.request.get(`${web.url}/console/plans/${plan.id}/report.csv`);
    expect(await csv.text()).toContain('【推进中 · 45%】已赴三个县开展调研');
    await page.close();
    await consolePage.close();
  }, 120_000);
});
