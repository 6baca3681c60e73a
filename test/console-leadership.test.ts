// Leadership in the console, on the dev server with a real SMTP sink, the whole web app (sign-in, console, action
// links) and a worker: a leader signs in by mail, sees no action buttons, writes a 批示; the unit gets the mail,
// answers through its link; the console shows it answered. And every role is held to what it may do, over HTTP.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../config/plan-schema.ts';
import { createConsoleAuth } from '../web/auth/console-auth.ts';
import { consoleUsersOf } from '../web/auth/console-users.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { SignInTokens } from '../web/auth/sign-in-tokens.ts';
import { createWebApp } from '../web/app.ts';
import { createConsoleGateway } from '../web/console/console-gateway.ts';
import { createConsoleRoutes } from '../web/console/routes.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { deliverableWorkflowId, statusQuery, type DeliverableStatusView } from '../workflows/definitions.ts';
import { deliverableWorkflow } from '../workflows/deliverable.ts';
import { deliverableAttribute, planAttribute, unitsAttribute } from '../workflows/search-attributes.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { planYear } from './helpers/plan-clock.ts';
import { actionLinks, sentTo, waitForMail } from './helpers/mailbox.ts';
import { memorySignInLedger } from './helpers/memory-sign-in-ledger.ts';
import { shippedPlan } from './helpers/web-stack.ts';

const planId = 'xinfang-2015';
const leader = 'leadership@xinfang.example';
const chief = 'duchashi@xinfang.example';
let stack: LinkStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startLinkStack({ console: true });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Starts d10 of the shipped plan under its own id, listed in the plan's console (search attributes as the plan sets them). */
async function startItem() {
  const deliverableId = `d10-${randomUUID().slice(0, 8)}`;
  const input = stack.d10Input(deliverableId);
  const handle = await stack.env.client.workflow.start(deliverableWorkflow, {
    args: [input], taskQueue: stack.taskQueue, workflowId: deliverableWorkflowId(planId, deliverableId),
    typedSearchAttributes: [
      { key: planAttribute, value: planId }, { key: deliverableAttribute, value: deliverableId }, { key: unitsAttribute, value: input.units.map((u) => u.unitId) },
    ],
  });
  return { handle, deliverableId, detail: `${stack.web.url}/console/plans/${planId}/deliverables/${deliverableId}` };
}

/** Signs in over HTTP with the mailed link; returns the session cookie. */
async function signInOverHttp(email: string): Promise<string> {
  const before = stack.sink.messages().length;
  await fetch(`${stack.web.url}/login`, { method: 'POST', body: new URLSearchParams({ email }), headers: stack.formHeaders(), redirect: 'manual' });
  const mail = await waitForMail(stack.sink, (m) => sentTo(email)(m) && stack.sink.messages().indexOf(m) >= before && (m.mail.subject ?? '').includes('登录链接'));
  const link = /(http:\/\/\S+\/login\/\S+)/.exec(mail.mail.text ?? '')![1]!;
  const signedIn = await fetch(link, { method: 'POST', headers: stack.formHeaders(), redirect: 'manual' });
  expect(signedIn.status).toBe(303);
  return signedIn.headers.get('Set-Cookie')!.split(';')[0]!;
}

const csrfOf = (page: string) => /name="_csrf" value="([0-9a-f]{32})"/.exec(page)![1]!;

describe('leadership in the console', () => {
  it('refuses 督办, acceptance and cancellation to a leadership session with a valid form token (403, in Chinese), and nothing changes', async () => {
    const { handle, detail } = await startItem();
    await waitFor('the assignment', async () => ((await handle.query(statusQuery)).events.length > 0 ? true : undefined));
    const cookie = await signInOverHttp(leader);
    const page = await (await fetch(detail, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('局领导（领导）');
    expect(page).not.toMatch(/action="[^"]*\/(escalate|extension|accept|reject|cancel)"/);
    expect(page).toMatch(/action="[^"]*\/instruct"/);
    const csrf = csrfOf(page);
    const before = await handle.query(statusQuery);
    const historyBefore = (await handle.fetchHistory()).events?.length;
    const posts: [string, Record<string, string>][] = [
      ['escalate', { remark: '请抓紧办理。' }], ['accept', { note: '' }], ['reject', { reason: '不行' }], ['cancel', { reason: '撤销' }],
      ['extension', { decision: 'direct', to: `${planYear + 1}-01-29`, reason: '延期' }],
    ];
    for (const [action, fields] of posts) {
      const response = await fetch(`${detail}/${action}`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, ...fields }), headers: { ...stack.formHeaders(), Cookie: cookie }, redirect: 'manual' });
      expect(response.status, action).toBe(403);
      expect(await response.text()).toContain('您在本计划中的角色为“领导”，只能查看和作出批示');
    }
    const after: DeliverableStatusView = await handle.query(statusQuery);
    expect(after).toEqual(before);
    expect((await handle.fetchHistory()).events?.length).toBe(historyBefore);
  });

  it('lets 督查室 act but not write a 批示', async () => {
    const { handle, detail } = await startItem();
    const cookie = await signInOverHttp(chief);
    const page = await (await fetch(detail, { headers: { Cookie: cookie } })).text();
    expect(page).toMatch(/action="[^"]*\/escalate"/);
    expect(page).not.toMatch(/action="[^"]*\/instruct"/);
    const instruct = await fetch(`${detail}/instruct`, { method: 'POST', body: new URLSearchParams({ _csrf: csrfOf(page), text: '代为批示' }), headers: { ...stack.formHeaders(), Cookie: cookie }, redirect: 'manual' });
    expect(instruct.status).toBe(403);
    expect(await instruct.text()).toContain('批示由领导作出');
    expect((await handle.query(statusQuery)).instructions).toBeUndefined();
    const escalate = await fetch(`${detail}/escalate`, { method: 'POST', body: new URLSearchParams({ _csrf: csrfOf(page), remark: '请抓紧。' }), headers: { ...stack.formHeaders(), Cookie: cookie }, redirect: 'manual' });
    expect(escalate.status).toBe(303);
    expect((await handle.query(statusQuery)).escalationLevel).toBe(1);
  });

  it('gives a plan’s readers the pages and nothing else, and a plan they have no role in not even the pages', async () => {
    const { handle, deliverableId } = await startItem();
    const plan: Plan = { ...(await shippedPlan()), console: { readers: ['bangongshi'] } };
    const other: Plan = { ...plan, id: 'other-plan', console: undefined };
    const sent: { to: string; link: string }[] = [];
    const ledger = memorySignInLedger(() => Date.now());
    const publicUrl = 'https://duban.example';
    const keys = [{ id: 'r1', secret: 'Qm9vdHN0cmFwIHJlYWRlcnMgdGVzdCBrZXkgMTIzNDU2' }];
    const auth = createConsoleAuth({
      sessions: new SessionCodec(keys), signIn: new SignInTokens(keys, ledger), users: consoleUsersOf([plan, other]), ledger,
      mailer: { send: async (user, link) => void sent.push({ to: user.email, link }) }, publicUrl, now: Date.now,
    });
    const consolePlan = (p: Plan) => ({ id: p.id, title: p.title, units: p.units.map((u) => ({ id: u.id, name: u.name })) });
    const routes = createConsoleRoutes({ gateway: createConsoleGateway(stack.env.client), plans: [consolePlan(plan), consolePlan(other)], now: Date.now });
    const app = createWebApp({ gateway: createTemporalGateway(stack.env.client), signer: new LinkSigner(keys), publicUrl, now: Date.now, console: { auth, routes } });
    const form = (fields: Record<string, string>, cookie?: string) => ({
      method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl, ...(cookie ? { Cookie: cookie } : {}) },
    });
    await app.request('/login', form({ email: 'bangongshi@xinfang.example' }));
    await waitFor('the reader’s sign-in link', () => sent.find((s) => s.to === 'bangongshi@xinfang.example'));
    const signedIn = await app.request(new URL(sent[0]!.link).pathname, form({}));
    const cookie = signedIn.headers.get('Set-Cookie')!.split(';')[0]!;
    const detail = `/console/plans/${planId}/deliverables/${deliverableId}`;
    const page = await (await app.request(detail, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('办公室（只读）');
    expect(page).not.toMatch(/<form method="post" action="\/console/);
    for (const action of ['escalate', 'instruct', 'accept']) {
      const response = await app.request(`${detail}/${action}`, form({ _csrf: csrfOf(page), remark: 'x', text: 'x' }, cookie));
      expect(response.status, action).toBe(403);
      expect(await response.text()).toContain('只能查看');
    }
    expect((await handle.query(statusQuery)).escalationLevel).toBe(0);
    // 办公室 has no role in the other plan (it is a reader only where a plan says so).
    const foreign = await app.request('/console/plans/other-plan', { headers: { Cookie: cookie } });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('您没有该工作计划的访问权限');
  });

  it('in a browser: a leader writes a 批示, the unit answers from its mail, and the console shows it answered', async () => {
    const { deliverableId, detail } = await startItem();
    const page = await browser.newPage();
    await page.goto(`${stack.web.url}/console`);
    expect(page.url()).toBe(`${stack.web.url}/login`);
    const before = stack.sink.messages().length;
    await page.fill('#email', leader);
    await page.click('button[type=submit]');
    const mail = await waitForMail(stack.sink, (m) => sentTo(leader)(m) && stack.sink.messages().indexOf(m) >= before && (m.mail.subject ?? '').includes('登录链接'));
    await page.goto(/(http:\/\/\S+\/login\/\S+)/.exec(mail.mail.text ?? '')![1]!);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/plans\//);

    await page.goto(detail);
    expect(await page.locator('.who').innerText()).toContain('（领导）');
    // No action buttons: only the 批示 form (and sign-out).
    for (const label of ['督办', '批准延期', '直接延期', '验收通过', '退回', '撤销']) expect(await page.locator(`button:text-is("${label}")`).count(), label).toBe(0);
    await page.fill('#instruction-text', '请抓紧出台统计工作意见，<b>月内</b>报送。');
    await page.click('button:text-is("批示")');
    await page.waitForURL(/done=instruct/);
    expect(await page.locator('.notice.ok').innerText()).toContain('已批示');
    expect(await page.locator('#instruction-p1').innerText()).toContain('待答复');
    expect(await page.locator('#instruction-p1 b').count()).toBe(0);
    await page.goto(`${stack.web.url}/console/plans/${planId}`);
    expect(await page.locator('#open-instructions').innerText()).toContain('待答复批示');
    expect(await page.locator(`tr:has(a[href$="/${deliverableId}"]) .marker.instruction`).innerText()).toBe('批示待答复 1');
    await screenshot(page, 'console-leadership-open-instruction');

    // The lead unit's mail: the 批示, a copy to 督查室, and one link — 答复批示.
    const notice = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').startsWith('【领导批示】'));
    expect(notice.mail.text).toContain('批示内容：请抓紧出台统计工作意见，<b>月内</b>报送。');
    expect(notice.mail.text).toContain('批示人：局领导（leadership@xinfang.example）');
    const links = actionLinks(notice);
    expect(links).toHaveLength(1);
    expect(notice.mail.text).toContain(`答复批示：${links[0]}`);
    await waitForMail(stack.sink, (m) => sentTo(chief)(m) && (m.mail.subject ?? '').startsWith('【抄送·领导批示】'));

    const unit = await browser.newPage();
    await unit.goto(links[0]!);
    expect(await unit.locator('blockquote').innerText()).toBe('请抓紧出台统计工作意见，<b>月内</b>报送。');
    await unit.fill('#note-p1', '意见稿已形成，本月25日前报送。');
    await unit.click('button:text-is("答复批示")');
    expect(await unit.locator('.notice.ok').innerText()).toContain('已答复批示');
    await screenshot(unit, 'instruction-answered-by-unit');
    // The same link again: answered, no second form.
    await unit.goto(links[0]!);
    expect(await unit.locator('.notice.ok').innerText()).toContain('本单位已于');
    expect(await unit.locator('textarea').count()).toBe(0);

    const answerMail = await waitForMail(stack.sink, (m) => sentTo(chief)(m) && (m.mail.subject ?? '').startsWith('【批示答复】'));
    expect(answerMail.mail.text).toContain('答复内容：意见稿已形成，本月25日前报送。');

    await page.goto(detail);
    const answered = await page.locator('#instruction-p1').innerText();
    expect(answered).toContain('已答复');
    expect(answered).toContain('综合指导司于');
    expect(answered).toContain('意见稿已形成，本月25日前报送。');
    await screenshot(page, 'console-leadership-detail-answered');
    await page.goto(`${stack.web.url}/console/plans/${planId}`);
    expect(await page.locator(`tr:has(a[href$="/${deliverableId}"]) .marker.instruction`).count()).toBe(0);
    await screenshot(page, 'console-leadership-answered');
    await page.close();
    await unit.close();
  });
});
