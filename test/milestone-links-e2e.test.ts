/**
 * 分解 end to end on the dev server: the lead opens 节点完成 from its real assignment mail in headless Chromium and
 * presses the button, the workflow records the milestone done, and the console's detail page shows it; the
 * supervisor marks the next one in the console.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../web/auth/session.ts';
import { createConsoleGateway } from '../web/console/console-gateway.ts';
import { createConsoleRoutes, type ConsoleEnv } from '../web/console/routes.ts';
import { statusQuery, type DeliverableInput, type Recipient } from '../workflows/definitions.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { planYear } from './helpers/plan-clock.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { actionLinks, sentTo, waitForMail } from './helpers/mailbox.ts';

let stack: LinkStack;
beforeAll(async () => {
  stack = await startLinkStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** The stack's d10 (综合指导司 leads, 办公室 helps; due 30 December) in two steps; 方案 is 综合指导司's alone. */
function withMilestones(input: DeliverableInput): DeliverableInput {
  const [zonghe, bangongshi] = input.units as [Recipient, Recipient];
  return {
    ...input,
    milestones: [
      { id: 'fangan', title: '统计工作意见方案', due: `${planYear}-12-28`, units: [zonghe] },
      { id: 'zhengqiu', title: '征求意见', due: `${planYear}-12-29`, units: [zonghe, bangongshi] },
    ],
  };
}

const session: Session = { user: { email: 'wang@xinfang.example', name: '督查室 王主任', roles: { 'xinfang-2015': 'supervisor' } }, csrfToken: 'c0ffee'.repeat(5) + 'ab', expiresAt: Date.now() + 3_600_000 };

/** The console's routes over the stack's dev server, behind a fixed session (sign-in is tested on its own). */
function consoleApp(): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use('*', async (c, next) => {
    c.set('session', session);
    await next();
  });
  app.route('/console', createConsoleRoutes({
    gateway: createConsoleGateway(stack.env.client), now: () => Date.now(),
    plans: [{ id: 'xinfang-2015', title: '2015 年信访工作要点', units: [{ id: 'zonghe', name: '综合指导司' }, { id: 'bangongshi', name: '办公室' }, { id: 'duchashi', name: '督查室' }] }],
  }));
  return app;
}

/** The link after a label (`节点完成：https://…`) in a mail's text part. */
function linkAfter(text: string, label: string): string | undefined {
  return new RegExp(`${label}：(https?://\\S+)`).exec(text)?.[1];
}

describe('a milestone marked done from the real mail', () => {
  it('records the lead’s 节点完成 click in the workflow, refuses a second one, and the console shows the milestone done', async () => {
    const handle = await stack.startDeliverable(withMilestones);
    const leadMail = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    const text = leadMail.mail.text ?? '';
    expect(text).toContain('分解节点：统计工作意见方案');
    const link = linkAfter(text, '节点完成');
    expect(link).toBeDefined();
    // 签收, 确认完成, 报告进展, 申请延期 and 节点完成.
    expect(actionLinks(leadMail)).toHaveLength(5);
    // 办公室 does not mark 方案: its mail lists the milestones but carries no 节点完成 link.
    const helperMail = await waitForMail(stack.sink, (m) => sentTo('bangongshi@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    expect(helperMail.mail.text).toContain('分解节点：统计工作意见方案');
    expect(linkAfter(helperMail.mail.text ?? '', '节点完成')).toBeUndefined();

    // GET only shows the milestone and a button.
    const shown = await fetch(link!);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('统计工作意见方案');
    expect(page).toContain('<button type="submit">节点完成</button>');
    expect((await handle.query(statusQuery)).milestones?.[0]?.doneAt).toBeUndefined();

    // A person opens the link in a real browser, writes a note and presses the button.
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(link!);
      await page.fill('#note', '方案已印发征求意见');
      await Promise.all([page.waitForURL(link!), page.click('button[type=submit]')]);
      await page.waitForSelector('.notice.ok');
      expect(await page.textContent('.notice.ok')).toBe('已标记节点“统计工作意见方案”完成。');
      await screenshot(page, 'milestone-done-by-link');
    } finally {
      await browser.close();
    }
    const view = await handle.query(statusQuery);
    expect(view.milestones?.map((m) => [m.id, m.status, m.doneBy])).toEqual([['fangan', 'done', 'zonghe'], ['zhengqiu', 'assigned', undefined]]);
    expect(view.events.at(-1)).toMatchObject({ type: 'action', what: 'milestone_done', by: 'zonghe', note: '统计工作意见方案: 方案已印发征求意见' });

    const again = await fetch(link!, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({}) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already done');

    // The console: 方案 done by 综合指导司 at its time, 征求意见 still open with its button; the supervisor marks it.
    const app = consoleApp();
    const deliverableId = handle.workflowId.split('/')[1]!;
    const detail = `/console/plans/xinfang-2015/deliverables/${deliverableId}`;
    const before = await (await app.request(detail)).text();
    expect(before).toContain('<h2>分解节点</h2>');
    const fanganRow = /<tr data-milestone="fangan">[\s\S]*?<\/tr>/.exec(before)?.[0] ?? '';
    expect(fanganRow).toContain(`${view.milestones![0]!.doneAt!.slice(0, 16).replace('T', ' ')}（综合指导司）`);
    expect(fanganRow).not.toContain('标记完成</button>');
    expect(/<tr data-milestone="zhengqiu">[\s\S]*?<\/tr>/.exec(before)?.[0]).toContain('标记完成</button>');

    const form = (fields: Record<string, string>) => ({
      method: 'POST', body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    // 调整节点期限: not past the item's own due date (30 December); to it, the schedule follows.
    const tooLate = await app.request(`${detail}/milestone-extend`, form({ milestone: 'zhengqiu', to: `${planYear}-12-31`, reason: '会签' }));
    expect(tooLate.status).toBe(409);
    expect(await tooLate.text()).toContain('晚于事项办理期限');
    const extended = await app.request(`${detail}/milestone-extend`, form({ milestone: 'zhengqiu', to: `${planYear}-12-30`, reason: '需与统计局会签' }));
    expect(extended.status).toBe(303);
    expect((await handle.query(statusQuery)).milestones?.[1]).toMatchObject({ due: `${planYear}-12-30`, originalDue: `${planYear}-12-29` });

    const posted = await app.request(`${detail}/milestone-done`, form({ milestone: 'zhengqiu' }));
    expect(posted.status).toBe(303);
    const after = await (await app.request(`${posted.headers.get('Location')}`)).text();
    expect(after).toContain('已标记节点完成');
    expect(/<tr data-milestone="zhengqiu">[\s\S]*?<\/tr>/.exec(after)?.[0]).toContain('督查室 王主任');
    // An unknown milestone is refused in words, nothing changed.
    const unknown = await app.request(`${detail}/milestone-done`, form({ milestone: 'yinfa' }));
    expect(unknown.status).toBe(409);
    expect(await unknown.text()).toContain('本事项没有节点“yinfa”');
    await handle.terminate('test finished');
  });
});
