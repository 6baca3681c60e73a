import { describe, expect, it } from 'vitest';
import { createWebApp } from '../web/app.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import type { DeliverableInput } from '../workflows/definitions.ts';
import { beijing, useDeliverableHarness, type DeliverableRun } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });
const publicUrl = 'http://127.0.0.1:8080';
const signer = new LinkSigner([{ id: 'k1', secret: 'VhsceW9L71EUfgmWIXRAZfbFp3H1qNB83I7XtWqL' }]);
const day = 86_400_000;

const withHold = (input: DeliverableInput): DeliverableInput => ({ ...input, policy: { ...input.policy, acknowledgeWithin: 3, acknowledgementPausesEscalation: 15 } });
const app = () => createWebApp({ gateway: createTemporalGateway(harness().env.client), signer, publicUrl, now: () => Date.now() });
const link = (run: DeliverableRun, unitId: string) => `/a/${signer.mint({ workflowId: run.handle.workflowId, unitId, action: 'acknowledge', expiresAt: Date.now() + 30 * day })}`;
const post = (path: string, form: Record<string, string> = {}) =>
  app().request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: publicUrl } });

/** d10 (综合指导司 leads, 办公室 helps), due 30 September 2015, on 9 October: overdue and at 督办 level 1. */
async function overdueItem(): Promise<DeliverableRun> {
  const run = await harness().startDeliverable('d10', beijing('2015-09-21 10:00'), withHold);
  await run.runUntil(beijing('2015-10-09 10:00'));
  return run;
}

describe('the 签收 page of an overdue item', () => {
  it('offers the lead 已签收·正在办理, holds automatic escalation on POST, and answers a second press kindly', async () => {
    const run = await overdueItem();
    const page = await (await app().request(link(run, 'zonghe'))).text();
    expect(page).toContain('<button type="submit">已签收·正在办理</button>');
    expect(page).toContain('自动督办将暂停15个工作日');
    expect((await run.status()).escalationHold).toBeUndefined();

    const held = await post(link(run, 'zonghe'), { hold: '1' });
    expect(held.status).toBe(200);
    expect(await held.text()).toContain('自动督办暂停至2015-10-29（15个工作日）');
    expect((await run.status()).escalationHold).toMatchObject({ until: '2015-10-29', level: 1 });

    const again = await post(link(run, 'zonghe'), { hold: '1' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('已记录“正在办理”，自动督办暂停至2015-10-29');
    const after = await (await app().request(link(run, 'zonghe'))).text();
    expect(after).not.toContain('已签收·正在办理</button>');
    expect(after).toContain('自动督办暂停至2015年10月29日');
    expect((await run.status()).events.filter((e) => e.what === 'escalation_hold')).toHaveLength(1);
  });

  it('offers a 协办单位 only 签收, and refuses its forged hold with 409 and nothing changed', async () => {
    const run = await overdueItem();
    const page = await (await app().request(link(run, 'bangongshi'))).text();
    expect(page).toContain('<button type="submit">签收</button>');
    expect(page).not.toContain('已签收·正在办理');
    const forged = await post(link(run, 'bangongshi'), { hold: '1' });
    expect(forged.status).toBe(409);
    expect(await forged.text()).toContain('只有牵头单位可以暂停自动督办');
    const view = await run.status();
    expect(view.escalationHold).toBeUndefined();
    expect(view.units.find((u) => u.unitId === 'bangongshi')!.acknowledgedAt).toBeUndefined();
  });

  it('is linked from the lead’s 督办 mail only when the plan allows the hold', async () => {
    const run = await overdueItem();
    const escalation = await run.delivered('escalation');
    const links = createLinkMaker({ signer, publicUrl, now: () => Date.now() });
    expect(links(escalation, 'zonghe')?.acknowledge).toMatch(/\/a\//);
    expect(links(escalation, 'bangongshi')?.acknowledge).toBeUndefined();
    const withoutHold = { ...escalation.deliverable!, escalationHoldDays: undefined };
    expect(links({ ...escalation, deliverable: withoutHold }, 'zonghe')?.acknowledge).toBeUndefined();
    // The assignment offers 签收 to every unit.
    const assignment = run.notices().find((n) => n.kind === 'assignment')!;
    expect(links(assignment, 'bangongshi')?.acknowledge).toMatch(/\/a\//);
  });
});
