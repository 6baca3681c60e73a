/**
 * The console's mid-year change forms over HTTP (in-process requests to the real app, behind the real sign-in and
 * anti-forgery check), against a dev server with a worker and the SMTP sink: 临时交办, 调整责任单位, 重新打开; and
 * the same app served on a loopback port to headless Chromium, as the supervisor uses it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanChanges } from '../activities/plan-changes.ts';
import { planSnapshotDir, savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { createBackgroundMailer } from '../web/auth/background-mailer.ts';
import { createConsoleAuth } from '../web/auth/console-auth.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { SignInTokens } from '../web/auth/sign-in-tokens.ts';
import { createWebApp } from '../web/app.ts';
import { createConsoleGateway } from '../web/console/console-gateway.ts';
import { createConsoleRoutes } from '../web/console/routes.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { deliverableWorkflowId, planSourceQuery, statusQuery } from '../workflows/definitions.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { startWebServer, type RunningWebServer } from '../web/server.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { closedPort, waitFor } from './helpers/duban-cli.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { pinnedClockOffsetMs, planYear } from './helpers/plan-clock.ts';
import { memorySignInLedger } from './helpers/memory-sign-in-ledger.ts';
import { sentTo, waitForMail } from './helpers/mailbox.ts';
import { annexPlan } from './helpers/annex-plan.ts';

const keys = [{ id: 'c1', secret: 'd2Uh_L-dmXcjKxTW2vnWf0xc1zOkDeOL1SRq2LDe' }];
let publicUrl: string;
const chief = { email: 'duchashi@xinfang.example', name: '督查室' };
const leader = { email: 'leadership@xinfang.example', name: '局领导' };
const dataDir = mkdtempSync(join(tmpdir(), 'duban-console-changes-'));
// The plan runs on 1 June of this year in plan time, whatever the day the test runs (see helpers/plan-clock.ts).
const year = planYear;
let stack: LinkStack;
let plan: Plan;
let request: (path: string, init?: RequestInit) => Promise<Response>;
let server: RunningWebServer;
let asLeader: (path: string, init?: RequestInit) => Promise<Response>;
const sent: string[] = [];

beforeAll(async () => {
  stack = await startLinkStack({ snapshotDir: planSnapshotDir(dataDir) });
  const port = await closedPort();
  publicUrl = `http://127.0.0.1:${port}`;
  // The annex items only: a small plan (task items are covered by test/plan-diff.test.ts).
  const shipped = await annexPlan();
  const item = (id: string, number: number, title: string, task: string, units: string[]) => ({ id, number, title, task, units, due: `${year}-12-30`, dueAssumed: false });
  plan = {
    ...shipped, id: `console-${randomUUID().slice(0, 8)}`, start: `${year}-01-05`, end: `${year}-12-31`,
    deliverables: [item('a1', 1, '规范联合接访', 't05', ['zonghe', 'laifang']), item('a2', 2, '规范信访统计分析', 't13', ['bangongshi'])],
  };
  await stack.env.client.workflow.start(planWorkflow, {
    args: [planWorkflowInput(plan, { planRef: await savePlanSnapshot(plan, planSnapshotDir(dataDir)), clockOffsetMs: pinnedClockOffsetMs() })],
    taskQueue: stack.taskQueue, workflowId: plan.id,
  });

  const ledger = memorySignInLedger(Date.now);
  const outbox = createBackgroundMailer();
  const auth = createConsoleAuth({
    sessions: new SessionCodec(keys), signIn: new SignInTokens(keys, ledger), users: [{ ...chief, roles: { [plan.id]: 'supervisor' } }, { ...leader, roles: { [plan.id]: 'leadership' } }], ledger, outbox,
    mailer: { send: async (_user, link) => void sent.push(link) }, publicUrl, now: Date.now,
  });
  const { client } = stack.env;
  const app = createWebApp({
    gateway: createTemporalGateway(client), signer: new LinkSigner(keys), publicUrl, now: Date.now,
    console: {
      auth,
      routes: createConsoleRoutes({
        gateway: createConsoleGateway(client), now: Date.now, changes: createPlanChanges({ client, snapshotDir: planSnapshotDir(dataDir) }),
        plans: [{ id: plan.id, title: plan.title, units: plan.units.map((u) => ({ id: u.id, name: u.name })) }],
      }),
    },
  });
  server = await startWebServer(app, '127.0.0.1', port);
  const raw = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    await outbox.idle();
    return response;
  };
  const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl } });
  const signIn = async (email: string) => {
    await raw('/login', form({ email }));
    const signedIn = await raw(new URL(sent.at(-1)!).pathname, form({}));
    const cookie = signedIn.headers.get('Set-Cookie')!.split(';')[0]!;
    return (path: string, init: RequestInit = {}) => raw(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Cookie: cookie } });
  };
  asLeader = await signIn(leader.email);
  request = await signIn(chief.email);
  await waitFor('both items started', async () => ((await status('a2').catch(() => undefined)) ? true : undefined));
}, 120_000);
afterAll(async () => {
  for (const id of ['a1', 'a2', 'x3']) await stack?.env.client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).terminate('test finished').catch(() => undefined);
  await stack?.env.client.workflow.getHandle(plan.id).terminate('test finished').catch(() => undefined);
  await server?.close();
  await stack?.stop();
});

const status = (id: string) => stack.env.client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).query(statusQuery);
const base = () => `/console/plans/${plan.id}`;
async function csrfOf(path: string): Promise<string> {
  return /name="_csrf" value="([0-9a-f]{32})"/.exec(await (await request(path)).text())![1]!;
}
function post(path: string, fields: [string, string][]) {
  return request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl } });
}

describe('mid-year changes in the console', () => {
  it('offers and allows them only to 督查: leadership gets no form and a 403 for every change, nothing changed', async () => {
    expect(await (await asLeader(base())).text()).not.toContain(`href="${base()}/add"`);
    expect((await asLeader(`${base()}/add`)).status).toBe(403);
    const detail = await (await asLeader(`${base()}/deliverables/a1`)).text();
    expect(detail).not.toContain('调整责任单位');
    const csrf = /name="_csrf" value="([0-9a-f]{32})"/.exec(detail)![1]!;
    const leaderPost = (path: string, fields: [string, string][]) => asLeader(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl } });
    expect((await leaderPost(`${base()}/add`, [['_csrf', csrf], ['title', 't'], ['task', 't03'], ['lead', 'zonghe'], ['due', `${year}-12-29`]])).status).toBe(403);
    expect((await leaderPost(`${base()}/deliverables/a1/units`, [['_csrf', csrf], ['lead', 'laifang'], ['reason', 'r']])).status).toBe(403);
    expect((await leaderPost(`${base()}/deliverables/a1/reopen`, [['_csrf', csrf], ['due', `${year}-12-29`], ['reason', 'r']])).status).toBe(403);
    expect((await leaderPost(`${base()}/deliverables/a1/milestone-add`, [['_csrf', csrf], ['title', 't'], ['due', `${year}-12-29`], ['reason', 'r']])).status).toBe(403);
    expect(detail).not.toContain('新增分解节点');
    expect((await status('a1')).units[0]!.unitId).toBe('zonghe');
  });

  it('adds an item (临时交办) from the dashboard: refused without the form token or with bad fields, started and mailed when sound', async () => {
    const dashboard = await (await request(base())).text();
    expect(dashboard).toContain(`href="${base()}/add"`);
    const page = await request(`${base()}/add`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('临时交办');
    expect(html).toContain('加强初信初访办理');
    const csrf = await csrfOf(`${base()}/add`);
    const fields: [string, string][] = [['_csrf', csrf], ['title', '开展信访积案化解<专项>'], ['task', 't03'], ['lead', 'tousuban'], ['partners', 'laifang'], ['partners', 'tousuban'], ['due', `${year}-12-29`]];

    expect((await post(`${base()}/add`, fields.filter(([k]) => k !== '_csrf'))).status).toBe(403);
    const badDate = await post(`${base()}/add`, fields.map(([k, v]) => [k, k === 'due' ? '2026-02-30' : v]));
    expect(badDate.status).toBe(400);
    expect(await badDate.text()).toContain('请填写有效的日期');
    const unknownUnit = await post(`${base()}/add`, fields.map(([k, v]) => [k, k === 'lead' ? 'nobody' : v]));
    expect(unknownUnit.status).toBe(409);
    expect(await unknownUnit.text()).toContain('nobody');
    expect((await stack.env.client.workflow.getHandle(plan.id).query(planSourceQuery)).deliverableIds).toEqual(['a1', 'a2']);

    const added = await post(`${base()}/add`, fields);
    expect(added.status).toBe(303);
    expect(added.headers.get('Location')).toBe(`${base()}/deliverables/x3?done=added`);
    const view = await status('x3');
    expect(view.units.map((u) => u.unitId)).toEqual(['tousuban', 'laifang']);
    expect(view.due).toBe(`${year}-12-29`);
    const detail = await (await request(added.headers.get('Location')!)).text();
    expect(detail).toContain('已临时交办');
    // The title is escaped on the page.
    expect(detail).toContain('开展信访积案化解&lt;专项&gt;');
    await waitForMail(stack.sink, (m) => sentTo('tousuban@xinfang.example')(m) && (m.mail.text ?? '').includes('开展信访积案化解<专项>'));
  });

  it('changes the units and lead of an open item, and refuses a form without a reason', async () => {
    const path = `${base()}/deliverables/a1`;
    const csrf = await csrfOf(path);
    const missing = await post(`${path}/units`, [['_csrf', csrf], ['lead', 'laifang'], ['partners', 'zonghe']]);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('请填写调整理由');
    const changed = await post(`${path}/units`, [['_csrf', csrf], ['lead', 'laifang'], ['partners', 'zonghe'], ['partners', 'renshisi'], ['reason', '改由来访接待司牵头']]);
    expect(changed.status).toBe(303);
    expect((await status('a1')).units.map((u) => [u.unitId, u.lead])).toEqual([['laifang', true], ['zonghe', false], ['renshisi', false]]);
    const page = await (await request(changed.headers.get('Location')!)).text();
    expect(page).toContain('已调整责任单位');
    expect(page).toContain('调整责任单位：');
    await waitForMail(stack.sink, (m) => sentTo('renshisi@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    const unchanged = await post(`${path}/units`, [['_csrf', csrf], ['lead', 'laifang'], ['partners', 'zonghe'], ['partners', 'renshisi'], ['reason', '再次调整']]);
    expect(unchanged.status).toBe(409);
    expect(await unchanged.text()).toContain('nothing to change');
  });

  it('adds a milestone (分解节点) to an open item and removes it, refusing one after the item’s date; the snapshot follows', async () => {
    const path = `${base()}/deliverables/a1`;
    const page = await (await request(path)).text();
    expect(page).toContain('新增分解节点');
    expect(page).not.toContain('删除分解节点');
    const csrf = await csrfOf(path);
    const snapshotOfA1 = async () => (await createPlanChanges({ client: stack.env.client, snapshotDir: planSnapshotDir(dataDir) }).running(plan.id)).plan.deliverables.find((d) => d.id === 'a1')!.milestones;
    const late = await post(`${path}/milestone-add`, [['_csrf', csrf], ['title', '形成初稿'], ['due', `${year}-12-31`], ['unit', ''], ['reason', '细化进度']]);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(`节点期限 ${year}-12-31 晚于事项办理期限 ${year}-12-30`);
    const past = await post(`${path}/milestone-add`, [['_csrf', csrf], ['title', '形成初稿'], ['due', `${year}-05-29`], ['unit', ''], ['reason', '细化进度']]);
    expect(past.status).toBe(409);
    expect(await past.text()).toContain('不在今天之后');
    expect((await status('a1')).milestones).toBeUndefined();

    const added = await post(`${path}/milestone-add`, [['_csrf', csrf], ['title', '形成<初稿>'], ['due', `${year}-11-30`], ['unit', 'zonghe'], ['reason', '细化进度']]);
    expect(added.status).toBe(303);
    const [first] = (await status('a1')).milestones ?? [];
    expect([first?.title, first?.due, first?.units.join()]).toEqual(['形成<初稿>', `${year}-11-30`, 'zonghe']);
    const shown = await (await request(added.headers.get('Location')!)).text();
    expect(shown).toContain('已新增分解节点');
    expect(shown).toContain('新增节点“形成&lt;初稿&gt;”');
    expect(shown).toContain('删除分解节点');
    // The snapshot says what runs, so a plan file applied later compares with it.
    expect(await snapshotOfA1()).toEqual([{ id: first!.id, title: '形成<初稿>', due: `${year}-11-30`, units: ['zonghe'] }]);
    // Its unit hears of it at once (分解节点调整通知), with the milestone among the item's facts.
    await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('分解节点调整')
      && (m.mail.text ?? '').includes(`调整内容：新增节点“形成<初稿>”（${year}-11-30）`) && String(m.mail.html).includes('形成&lt;初稿&gt;'));

    const removed = await post(`${path}/milestone-remove`, [['_csrf', csrf], ['milestone', first!.id], ['reason', '并入总体进度']]);
    expect(removed.status).toBe(303);
    expect((await status('a1')).milestones).toBeUndefined();
    expect((await status('a1')).events.slice(-2)).toMatchObject([
      { what: 'revise', note: '删除节点“形成<初稿>”；并入总体进度' }, { type: 'notice', what: 'milestones_changed', to: ['zonghe'] },
    ]);
    expect(await snapshotOfA1()).toBeUndefined();

    // A date extended in the console (not in the snapshot) is the item's date: a milestone may fall on it, and the
    // snapshot takes the date with the milestone.
    expect((await post(`${path}/extension`, [['_csrf', csrf], ['decision', 'direct'], ['to', `${year}-12-31`], ['reason', '年底前完成']])).status).toBe(303);
    expect((await post(`${path}/milestone-add`, [['_csrf', csrf], ['title', '报送总结'], ['due', `${year}-12-31`], ['reason', '细化进度']])).status).toBe(303);
    const running = (await createPlanChanges({ client: stack.env.client, snapshotDir: planSnapshotDir(dataDir) }).running(plan.id)).plan.deliverables.find((d) => d.id === 'a1')!;
    // Never the id of the milestone removed before: a link mailed for that one must not mark this one done.
    expect([running.due, running.milestones?.map((m) => m.due), running.milestones?.[0]?.id !== first!.id]).toEqual([`${year}-12-31`, [`${year}-12-31`], true]);
  });

  it('reopens a cancelled item with a new due date, its earlier events kept beside the 重新打开 entry', async () => {
    const path = `${base()}/deliverables/a2`;
    let csrf = await csrfOf(path);
    expect((await post(`${path}/reopen`, [['_csrf', csrf], ['reason', '需补充'], ['due', `${year}-12-28`]])).status).toBe(409);
    expect((await post(`${path}/cancel`, [['_csrf', csrf], ['reason', '并入第1项']])).status).toBe(303);
    await stack.env.client.workflow.getHandle(deliverableWorkflowId(plan.id, 'a2')).result();
    csrf = await csrfOf(path);
    const closedPage = await (await request(path)).text();
    expect(closedPage).toContain('重新打开');
    const past = await post(`${path}/reopen`, [['_csrf', csrf], ['reason', '需补充'], ['due', `${year - 1}-12-28`]]);
    expect(past.status).toBe(409);
    expect(await past.text()).toContain('不在今天之后');
    const reopened = await post(`${path}/reopen`, [['_csrf', csrf], ['reason', '统计口径需重新核定'], ['due', `${year}-12-28`]]);
    expect(reopened.status).toBe(303);
    const page = await (await request(reopened.headers.get('Location')!)).text();
    expect(page).toContain('已重新打开');
    expect(page).toContain('撤销：并入第1项');
    expect(page).toContain('重新打开：（原：并入第1项）统计口径需重新核定');
    expect((await status('a2')).status).toBe('assigned');
    await waitForMail(stack.sink, (m) => sentTo('bangongshi@xinfang.example')(m) && (m.mail.subject ?? '').includes('重新交办'));
  });

  it('lets the supervisor add an item, give it a milestone and reopen it after cancelling, in Chromium', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${publicUrl}/login`);
      await page.fill('#email', chief.email);
      await page.click('button[type=submit]');
      const link = await waitFor('the sign-in link', () => sent.at(-1));
      await page.goto(link);
      await page.click('button[type=submit]');
      await page.waitForURL(/\/console\/plans\//);
      await page.goto(`${publicUrl}${base()}`);
      await page.click('text=临时交办');
      await page.fill('#add-title', '编制信访工作年度报告');
      await page.selectOption('#add-task', 't14');
      await page.selectOption('#add-lead', 'yanjiushi');
      await page.check('input[name=partners][value=zonghe]');
      await page.fill('#add-due', `${year}-12-29`);
      await page.click('form.wide button[type=submit]');
      await page.waitForURL(/deliverables\/x\d+\?done=added/);
      expect(await page.textContent('.notice')).toContain('已临时交办');
      const id = /deliverables\/(x\d+)/.exec(page.url())![1]!;
      expect((await status(id)).units.map((u) => u.unitId)).toEqual(['yanjiushi', 'zonghe']);

      await page.fill('#milestone-add-title', '形成报告框架');
      await page.fill('#milestone-add-due', `${year}-10-30`);
      await page.selectOption('#milestone-add-unit', 'yanjiushi');
      await page.fill('#milestone-add-reason', '分阶段推进');
      await page.click('form[action$="/milestone-add"] button[type=submit]');
      await page.waitForURL(/done=milestone-add/);
      expect(await page.textContent('.notice')).toContain('已新增分解节点');
      expect(await page.textContent('table.milestones')).toContain('形成报告框架');
      expect((await status(id)).milestones?.map((m) => [m.title, m.units.join()])).toEqual([['形成报告框架', 'yanjiushi']]);

      await page.fill('#cancel-reason', '交办有误');
      await page.click('form[action$="/cancel"] button[type=submit]');
      await page.waitForURL(/done=cancel/);
      await page.fill('#reopen-due', `${year}-12-30`);
      await page.fill('#reopen-reason', '重新明确任务');
      await page.click('form[action$="/reopen"] button[type=submit]');
      await page.waitForURL(/done=reopen/);
      const log = await page.textContent('main');
      expect(log).toContain('重新打开：（原：交办有误）重新明确任务');
      expect(log).toContain('撤销：交办有误');
      await screenshot(page, 'console-reopened');
      expect((await status(id)).due).toBe(`${year}-12-30`);
      await stack.env.client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).terminate('test finished');
    } finally {
      await browser.close();
    }
  });
});
