import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusQuery } from '../workflows/definitions.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import type { ParsedMessage } from '../devtools/mail-store.ts';
import { actionLinks, sentTo, waitForMail } from './helpers/mailbox.ts';

// Dev server, real SMTP sink, web app and worker; the assignment goes through its unit's batch (one item: the single
// 交办通知) after the stack's short quiet window.
let stack: LinkStack;
beforeAll(async () => {
  stack = await startLinkStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('from the assignment mail to the workflow, on the dev server', () => {
  it('confirms, reports progress and asks for more time through the links in real mail', async () => {
    const handle = await stack.startDeliverable();
    const leadMail = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    expect(leadMail.mail.subject).toContain('出台关于进一步加强和规范信访统计工作的意见');
    const [acknowledge, confirm, , extension] = classify(actionLinks(leadMail));
    expect(acknowledge).toContain('/a/');
    expect(confirm.startsWith(`${stack.web.url}/a/`)).toBe(true);

    // GET only shows.
    const shown = await fetch(confirm);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('确认完成');
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();

    const helperMail = await waitForMail(stack.sink, (m) => sentTo('bangongshi@xinfang.example')(m) && actionLinks(m).length > 0);
    // Under `completion: lead` a 协办单位 is not asked to confirm: its mail links to 签收, progress and extension only.
    const helperLinks = actionLinks(helperMail);
    expect(helperLinks).toHaveLength(3);
    expect(helperMail.mail.text).not.toContain('确认完成：');
    const helperProgress = helperLinks[1]!;
    const progressed = await fetch(helperProgress, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ note: '已完成征求意见稿' }) });
    expect(progressed.status).toBe(200);
    expect((await handle.query(statusQuery)).units.find((u) => u.unitId === 'bangongshi')!.lastProgress).toBeDefined();

    const asked = await fetch(extension, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ to: '2027-01-29', note: '需与国家统计局会签' }) });
    // 2027 is beyond the calendar: refused in words, nothing changed.
    expect(asked.status).toBe(409);
    expect(await asked.text()).toContain('不在工作日历中');
    const askedAgain = await fetch(extension, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ to: '2026-12-31', note: '需与国家统计局会签' }) });
    expect(askedAgain.status).toBe(200);
    expect((await handle.query(statusQuery)).pendingExtension).toMatchObject({ unitId: 'zonghe', to: '2026-12-31' });

    const confirmed = await fetch(confirm, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ note: '意见已印发' }) });
    expect(confirmed.status).toBe(200);
    const status = await handle.query(statusQuery);
    expect(status.status).toBe('awaiting_acceptance');
    expect(status.units[0]).toMatchObject({ unitId: 'zonghe', note: '意见已印发' });
    const again = await fetch(confirm, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({}) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already confirmed');
    // 督查室 hears of the confirmation by mail.
    await waitForMail(stack.sink, (m) => sentTo('duchashi@xinfang.example')(m) && (m.mail.subject ?? '').includes('待验收'));
    await handle.terminate('test finished');
  });

  it('acknowledges (签收) on POST only, answers a repeat kindly, and refuses tampered tokens and bad forms with nothing changed', async () => {
    const handle = await stack.startDeliverable();
    const ours = (m: ParsedMessage) => actionLinks(m).filter((link) => claimsOf(link).w === handle.workflowId);
    const mail = await waitForMail(stack.sink, (m) => sentTo('bangongshi@xinfang.example')(m) && ours(m).length > 0);
    const acknowledge = ours(mail).find((link) => claimsOf(link).a === 'acknowledge')!;
    expect(mail.mail.text).toContain(`签收：${acknowledge}`);
    const acknowledgedAt = async () => (await handle.query(statusQuery)).units.find((u) => u.unitId === 'bangongshi')!.acknowledgedAt;

    // A mail scanner's GET shows the button and changes nothing.
    const shown = await fetch(acknowledge);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<button type="submit">签收</button>');
    expect(await acknowledgedAt()).toBeUndefined();

    const badForm = await fetch(acknowledge, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ hold: 'yes' }) });
    expect(badForm.status).toBe(400);
    const tampered = `${acknowledge.slice(0, -3)}${acknowledge.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await fetch(tampered, { method: 'POST', headers: stack.formHeaders(), body: '' })).status).toBe(403);
    const foreign = await fetch(acknowledge, { method: 'POST', headers: { ...stack.formHeaders(), Origin: 'https://evil.example' }, body: '' });
    expect(foreign.status).toBe(403);
    expect(await acknowledgedAt()).toBeUndefined();

    const done = await fetch(acknowledge, { method: 'POST', headers: stack.formHeaders(), body: '' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('已签收。');
    const at = await acknowledgedAt();
    expect(at).toBeDefined();
    // A second click is answered as the fact it is, and records nothing new.
    const again = await fetch(acknowledge, { method: 'POST', headers: stack.formHeaders(), body: '' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('无需重复签收');
    const view = await handle.query(statusQuery);
    expect(view.units.find((u) => u.unitId === 'bangongshi')!.acknowledgedAt).toBe(at);
    expect(view.events.filter((e) => e.what === 'acknowledge')).toHaveLength(1);
    // The 协办单位 cannot hold escalation, and the item is not overdue anyway.
    const hold = await fetch(acknowledge, { method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ hold: '1' }) });
    expect(hold.status).toBe(409);
    expect(await hold.text()).toContain('只有牵头单位');
    await handle.terminate('test finished');
  });
});

/** The readable claims of an action link's token (signed, not secret): workflow and action. */
function claimsOf(link: string): { w: string; a: string } {
  return JSON.parse(Buffer.from(link.split('/a/')[1]!.split('.')[0]!, 'base64url').toString('utf8')) as { w: string; a: string };
}

/** The four links of a lead's mail, in the order the mail lists them: 签收, confirm, progress, extension. */
function classify(links: string[]): [string, string, string, string] {
  expect(links).toHaveLength(4);
  return links as [string, string, string, string];
}
