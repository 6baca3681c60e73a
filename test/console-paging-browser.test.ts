/**
 * A large plan's dashboard as 督查室 uses it, in headless Chromium: pages of rows with 上一页/下一页, the filter kept
 * across pages, the counts over the whole plan. The console pages here from 5 items in pages of 5, so the 2015 plan's
 * 13 deliverables make three pages; sign-in is stood in for (tested on its own).
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { Hono } from 'hono';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import type { Session } from '../web/auth/session.ts';
import { createConsoleGateway } from '../web/console/console-gateway.ts';
import { createConsoleRoutes, type ConsoleEnv } from '../web/console/routes.ts';
import { startWebServer, type RunningWebServer } from '../web/server.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { planWorkflowId } from '../workflows/definitions.ts';
import { allSearchAttributes, lightAttribute, planAttribute } from '../workflows/search-attributes.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import { closedPort, waitFor } from './helpers/duban-cli.ts';
import { startDevServer } from './helpers/temporal-servers.ts';
import { shippedPlan } from './helpers/web-stack.ts';

const taskQueue = `paging-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let web: RunningWebServer;
let browser: Browser;
let plan: Plan;
let dashboard: string;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, sink: { deliver: async () => undefined } });
  running = worker.run();
  plan = { ...(await shippedPlan()), id: `paging-${randomUUID().slice(0, 8)}`, trackTasks: undefined };
  // Plan time 8 April 2015: item 4 (due 31 March) is red, the other twelve green.
  const clockOffsetMs = beijing('2015-04-08 10:00') - Date.now();
  await env.client.workflow.start('planWorkflow', { args: [planWorkflowInput(plan, { clockOffsetMs, planRef: await savePlanSnapshot(plan) })], taskQueue, workflowId: planWorkflowId(plan.id) });
  await waitFor('13 deliverables in visibility', async () => ((await env.client.workflow.count(`${planAttribute.name} = '${plan.id}'`)).count === 13 ? true : undefined), 60_000, 250);
  // Item 4 turns red in its first task (it starts overdue), which may run after the 13 are listed.
  const red = `${planAttribute.name} = '${plan.id}' AND ${lightAttribute.name} = 'red'`;
  await waitFor('item 4 red in visibility', async () => ((await env.client.workflow.count(red)).count === 1 ? true : undefined), 60_000, 250);

  const session: Session = { user: { email: 'wang@xinfang.example', name: '督查室 王主任', roles: { [plan.id]: 'supervisor' } }, csrfToken: 'c0ffee'.repeat(5) + 'ab', expiresAt: Date.now() + 3_600_000 };
  const app = new Hono<ConsoleEnv>();
  app.use('*', async (c, next) => {
    c.set('session', session);
    await next();
  });
  app.route('/console', createConsoleRoutes({
    gateway: createConsoleGateway(env.client), now: Date.now, board: { describedUpTo: 5, pageSize: 5 },
    plans: [{ id: plan.id, title: plan.title, units: plan.units.map((u) => ({ id: u.id, name: u.name })) }],
  }));
  const port = await closedPort();
  web = await startWebServer(new Hono().route('/', app), '127.0.0.1', port);
  dashboard = `http://127.0.0.1:${port}/console/plans/${plan.id}`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('the dashboard of a large plan, in a browser', () => {
  it('pages through the items with 下一页 and 上一页, counting the whole plan on every page, and keeps a filter across pages', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(dashboard);
      const rowIds = () => page.locator('td[data-label="序号"]').allTextContents();
      expect(await rowIds()).toEqual(['1', '2', '3', '4', '5']);
      await expect(page.locator('caption').textContent()).resolves.toContain('共13项，第1/3页（每页5项）');
      await expect(page.locator('.counts').textContent()).resolves.toMatch(/绿灯\s*12.*红灯\s*1/s);
      await expect(page.locator('#counted-at').textContent()).resolves.toMatch(/^统计截至\d\d:\d\d:\d\d/);

      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL(/page=2$/);
      expect(await rowIds()).toEqual(['6', '7', '8', '9', '10']);
      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL(/page=3$/);
      expect(await rowIds()).toEqual(['11', '12', '13']);
      expect(await page.getByRole('link', { name: '下一页' }).count()).toBe(0);
      await page.getByRole('link', { name: '上一页' }).click();
      await page.waitForURL(/page=2$/);
      await screenshot(page, 'console-paging-page-2');

      // The filter form, then the pages of what it kept.
      await page.selectOption('#f-light', 'green');
      await page.getByRole('button', { name: '筛选' }).click();
      await page.waitForURL(/light=green/);
      await expect(page.locator('caption').textContent()).resolves.toContain('筛选结果：12项（共13项），第1/3页');
      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL(/light=green&page=2$/);
      // Item 4 (red) left out: the second page of green ones starts at 7.
      expect(await rowIds()).toEqual(['7', '8', '9', '10', '11']);
      expect(await page.locator('td[data-label="灯色"]').allTextContents()).toEqual(Array(5).fill('绿灯'));
    } finally {
      await page.close();
    }
  });
});
