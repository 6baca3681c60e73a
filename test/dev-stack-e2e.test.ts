import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, waitFor } from './helpers/duban-cli.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';

// The whole local stack as a newcomer runs it (`duban dev`), clicked through in headless Chromium.
const dubanBin = new URL('../bin/duban.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'duban-dev-e2e-'));
let ports: { temporal: number; ui: number; smtp: number; mailbox: number; web: number };
let browser: Browser;
let stack: { child: ChildProcess; output: () => string } | undefined;

const consoleUrl = () => `http://127.0.0.1:${ports.web}`;
const mailboxUrl = () => `http://127.0.0.1:${ports.mailbox}`;

/** Starts `duban dev` and waits (bounded) until it says it is running. */
async function startStack() {
  let output = '';
  const child = spawn(process.execPath, [dubanBin, 'dev', '--temporal-port', String(ports.temporal), '--ui-port', String(ports.ui), '--smtp-port', String(ports.smtp), '--mailbox-port', String(ports.mailbox)], {
    env: { ...process.env, DATA_DIR: dataDir, WEB_PORT: String(ports.web), TEMPORAL_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  stack = { child, output: () => output };
  await waitFor('duban dev to be running', () => (output.includes('Ctrl-C stops everything') ? true : child.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 150_000, 200);
  return stack;
}

async function stopStack() {
  if (!stack) return;
  const { child } = stack;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const code = await exited;
  stack = undefined;
  return code;
}

interface MailboxEntry { id: string; subject: string; to: string[]; text: string }

async function mailbox(): Promise<MailboxEntry[]> {
  const messages = (await (await fetch(`${mailboxUrl()}/api/messages`)).json()) as { id: string; subject: string; to: string[]; text: string }[];
  return messages;
}

/** Waits for a mail to `address` whose subject contains `subject`. */
async function mailTo(address: string, subject: string): Promise<MailboxEntry> {
  try {
    return await waitFor(`a mail "${subject}" to ${address}`, async () => (await mailbox()).find((m) => m.to.includes(address) && m.subject.includes(subject)), 30_000, 250);
  } catch (err) {
    const seen = (await mailbox()).slice(0, 12).map((m) => `${m.subject} → ${m.to.join(',')}`);
    throw new Error(`${(err as Error).message}; newest mail: ${seen.join(' | ')}; duban dev said: ${stack?.output().slice(-1500)}`);
  }
}

/** Opens a message in the mailbox's web page and clicks the link its text matches with `link`; returns the page it opened. */
async function clickMailLink(page: Page, message: MailboxEntry, link: RegExp, shot?: string): Promise<Page> {
  await page.goto(mailboxUrl());
  await page.click(`a[href="/messages/${message.id}"]`);
  if (shot) await screenshot(page, shot);
  const url = link.exec(message.text)![1]!;
  // The mailbox opens links in a new tab, as a mail client would. The link is followed from the keyboard: a long
  // link wraps inside <pre>, and a pointer click at the centre of its box can land between its two lines.
  const anchor = page.locator(`pre a[href="${url}"]`);
  await anchor.focus();
  const [opened] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
  await opened.waitForLoadState();
  return opened;
}

/** Signs in to the console through the mailed single-use link. */
async function signIn(page: Page) {
  await page.goto(`${consoleUrl()}/console`);
  expect(page.url()).toBe(`${consoleUrl()}/login`);
  const seen = new Set((await mailbox()).map((m) => m.id));
  await page.fill('#email', 'duchashi@xinfang.example');
  await page.click('button[type=submit]');
  const mail = await waitFor('the sign-in mail', async () => (await mailbox()).find((m) => !seen.has(m.id) && m.subject.includes('登录链接')), 30_000, 250);
  const signInPage = await clickMailLink(page, mail, /(http:\/\/\S+\/login\/\S+)/);
  await signInPage.click('button[type=submit]');
  await signInPage.waitForURL(/\/console\/plans\//);
  return signInPage;
}

beforeAll(async () => {
  const [temporal, ui, smtp, mailbox, web] = (await freePorts(5)) as [number, number, number, number, number];
  ports = { temporal, ui, smtp, mailbox, web };
  browser = await launchBrowser();
  await startStack();
}, 200_000);

afterAll(async () => {
  await stopStack();
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('duban dev, clicked through in a browser', () => {
  it('signs in by mail, escalates, the unit confirms from its mailbox, 督查室 accepts, and the light turns grey', async () => {
    const page = await browser.newPage();
    const console_ = await signIn(page);
    const rows = console_.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(19);
    expect(await console_.locator('tbody .light').count()).toBe(19);
    const dashboard = await screenshot(console_, 'console-dashboard');
    // The README shows this picture: `UPDATE_DOCS_SCREENSHOT=1` refreshes it (otherwise a test run leaves the tree clean).
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      mkdirSync(new URL('../docs/', import.meta.url).pathname, { recursive: true });
      copyFileSync(dashboard, new URL('../docs/console-dashboard.png', import.meta.url).pathname);
    }

    await console_.click('a:has-text("组织实施 2014 年信访工作考核")');
    await console_.fill('#remark', '请于本周内报送考核方案。<script>alert(1)</script>');
    await console_.click('button:has-text("督办")');
    await console_.waitForURL(/done=escalate/);
    expect(await console_.locator('body').innerText()).toContain('<script>alert(1)</script>');
    expect(await console_.locator('main script').count()).toBe(0);

    const escalation = await mailTo('zonghe@xinfang.example', '督办通知');
    expect(escalation.text).toContain('请于本周内报送考核方案。<script>alert(1)</script>');
    const action = await clickMailLink(page, escalation, /确认完成：(\S+)/, 'mailbox-escalation');
    await action.fill('#note', '考核方案已报送');
    await action.click('button:has-text("确认完成")');
    expect(await action.locator('.notice.ok').innerText()).toContain('已确认完成');

    await console_.reload();
    await console_.click('button:has-text("验收通过")');
    await console_.waitForURL(/done=accept/);
    expect(await console_.locator('main').innerText()).toMatch(/灰灯|已办结/);
    await screenshot(console_, 'console-detail-done');
    await console_.goto(`${consoleUrl()}/console`);
    const row = console_.locator('tbody tr', { hasText: '组织实施 2014 年信访工作考核' });
    expect(await row.locator('.light.grey').count()).toBe(1);
    await page.close();
  }, 180_000);

  it('a unit opens its 交办通知 in the mailbox, clicks 签收, presses the button, and the console shows it as 已签收', async () => {
    const page = await browser.newPage();
    // 办公室's combined 交办通知 lists every item it shares; each item carries its own 签收 link.
    const assignment = await mailTo('bangongshi@xinfang.example', '交办通知');
    expect(assignment.text).toContain('签收');
    const acknowledge = await clickMailLink(page, assignment, /第10项[\s\S]*?签收：(\S+)/, 'mailbox-assignment-acknowledge');
    expect(await acknowledge.locator('h1').innerText()).toBe('签收');
    expect(await acknowledge.locator('dl.facts').innerText()).toContain('尚未签收');
    await acknowledge.click('button:has-text("签收")');
    expect(await acknowledge.locator('.notice.ok').innerText()).toContain('已签收');
    expect(await acknowledge.locator('dl.facts').innerText()).toMatch(/已于\S+ \d{2}:\d{2}签收/);
    await screenshot(acknowledge, 'acknowledge-result');
    // Opening the link again shows the fact, and no button.
    await acknowledge.reload();
    expect(await acknowledge.locator('.notice.ok').innerText()).toContain('无需重复签收');
    expect(await acknowledge.locator('button').count()).toBe(0);

    const console_ = await signIn(page);
    await console_.click('a:has-text("出台关于进一步加强和规范信访统计工作的意见")');
    const cell = (unit: string) => console_.locator('tbody tr', { hasText: unit }).locator('td[data-label="签收"]');
    expect(await cell('办公室').innerText()).not.toBe('未签收');
    expect(await cell('综合指导司').innerText()).toBe('未签收');
    expect(await console_.locator('dl.facts').innerText()).toContain('1/2已签收（未签收：综合指导司）');
    await screenshot(console_, 'console-detail-acknowledged');
    // The dashboard names who has not acknowledged, and filters the items some unit has not.
    await console_.goto(`${consoleUrl()}/console`);
    expect(await console_.locator('#unacknowledged').innerText()).toContain('综合指导司');
    await console_.selectOption('#f-ack', 'none');
    await console_.click('button:has-text("筛选")');
    await console_.waitForURL(/ack=none/);
    expect(await console_.locator('tbody tr', { hasText: '出台关于进一步加强和规范信访统计工作的意见' }).innerText()).toContain('1个单位未签收');
    await page.close();
  }, 180_000);

  it('keeps the state across a stop and a start: no second plan, the accepted item still grey', async () => {
    expect(await stopStack()).toBe(0);
    const { output } = await startStack();
    expect(output()).toContain('already running');
    const page = await browser.newPage();
    const console_ = await signIn(page);
    const row = console_.locator('tbody tr', { hasText: '组织实施 2014 年信访工作考核' });
    await expect.poll(() => row.locator('.light.grey').count(), { timeout: 15_000 }).toBe(1);
    expect(await console_.locator('tbody tr').count()).toBe(19);
    await page.close();
  }, 240_000);
});

