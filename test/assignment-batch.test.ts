/** A plan start on the dev server with real SMTP: every unit gets one 交办通知 listing all its items, with working links. */
import { trackedItems } from '../config/task-items.ts';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { readEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput, planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { createWebApp } from '../web/app.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from '../web/links/link-token.ts';
import { startWebServer, type RunningWebServer } from '../web/server.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import type { AssignmentBatchResult, assignmentBatchWorkflow } from '../workflows/assignment-batch.ts';
import { assignmentBatchWorkflowId, deliverableWorkflowId, statusQuery } from '../workflows/definitions.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { closedPort, waitFor } from './helpers/duban-cli.ts';
import { startScriptedSmtp, type ScriptedSmtp } from './helpers/scripted-smtp.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const linkKeys = 'b1:Qm9sdC1iYXRjaC1rZXktN3hQcTJ2WmtMbTRuUjhzVw';
// A quiet window of workflow (here: wall-clock) time; the 13 starts of the 2015 plan arrive far closer together.
const windowMs = 10_000;
const refused = new Set<string>();
let env: TestWorkflowEnvironment;
let smtp: ScriptedSmtp;
let web: RunningWebServer;
let worker: Worker;
let running: Promise<void>;
let plan: Plan;
const taskQueue = `batch-${randomUUID()}`;

beforeAll(async () => {
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  plan = loaded.plan;
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  smtp = await startScriptedSmtp((address) => (refused.has(address) ? 550 : undefined));
  const port = await closedPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = createWebApp({ gateway: createTemporalGateway(env.client), signer: new LinkSigner(parseLinkKeys(linkKeys)), publicUrl, now: Date.now });
  web = await startWebServer(app, '127.0.0.1', port);
  const settings = readEnvironment({ SMTP_URL: smtp.url, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: publicUrl, LINK_KEYS: linkKeys });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: notificationSinkFor(settings).sink, taskQueue, assignmentBatchMs: windowMs });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await web?.close();
  await smtp?.close();
  await env?.teardown();
});

/** Starts the 2015 plan under its own id at plan time 5 January 2015 08:00 and waits until every unit's batch has finished. */
async function startPlan(planId: string) {
  const start = DateTime.fromISO('2015-01-05T08:00', { zone: plan.timezone }).toMillis();
  const copy = { ...plan, id: planId };
  const input = planWorkflowInput(copy, { clockOffsetMs: start - Date.now(), planRef: await savePlanSnapshot(copy) });
  await env.client.workflow.start(planWorkflow, { args: [input], taskQueue, workflowId: planId });
  // Groups (相关业务司) are resolved to their member units, as the deliverables receive them.
  const assigned = new Map<string, { id: string; number: number; title: string; label: string }[]>();
  for (const d of trackedItems(copy).map((item) => deliverableInput(copy, item.id))) {
    for (const unit of d.units) assigned.set(unit.unitId, [...(assigned.get(unit.unitId) ?? []), { id: d.deliverableId, number: d.number, title: d.title, label: `${d.itemKind === 'task' ? '工作任务' : ''}第${d.number}项` }]);
  }
  const results = new Map<string, AssignmentBatchResult>();
  for (const unitId of assigned.keys()) {
    const handle = env.client.workflow.getHandle<typeof assignmentBatchWorkflow>(assignmentBatchWorkflowId(planId, unitId, '2015-01-05'));
    results.set(unitId, await waitFor(`the batch of ${unitId}`, () => handle.result().catch(() => undefined), 120_000, 200));
  }
  return { assigned, results };
}

const assignmentMailsTo = (address: string) => smtp.received.filter((m) => addressesOf(m).includes(address) && (m.subject ?? '').includes('交办通知'));
const addressesOf = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((t) => t?.value.map((v) => v.address) ?? []);
const linksIn = (m: ParsedMail) => [...(m.text ?? '').matchAll(/https?:\/\/\S+\/a\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g)].map((x) => x[0]);

describe('the combined assignment mail', () => {
  it('gives each unit exactly one 交办通知 listing all its items, each with its own working links and calendar entry', async () => {
    const before = smtp.received.length;
    const planId = `batch-ok-${randomUUID().slice(0, 8)}`;
    const { assigned, results } = await startPlan(planId);
    const units = new Map(plan.units.map((u) => [u.id, u]));
    // Every unit with an item got exactly one assignment mail, whatever the number of its items.
    for (const [unitId, items] of assigned) {
      const address = units.get(unitId)!.emails[0]!;
      expect([unitId, assignmentMailsTo(address).length]).toEqual([unitId, 1]);
      expect(results.get(unitId)).toEqual({ mails: 1, notices: items.length, failed: 0 });
    }
    const assignmentMails = smtp.received.slice(before).filter((m) => (m.subject ?? '').includes('交办通知'));
    expect(assignmentMails).toHaveLength(assigned.size);
    // The plan's start activity queued them: a deliverable's first task records its assignment and runs no activity.
    const opening = (await env.client.workflow.getHandle(deliverableWorkflowId(planId, 'd01')).fetchHistory()).events ?? [];
    expect(opening.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
    expect((await env.client.workflow.getHandle(deliverableWorkflowId(planId, 'd01')).query(statusQuery)).events.map((e) => e.what)).toContain('assignment');

    // 来访接待司 is responsible for many items: one mail lists each with its facts and links, and one calendar holds them all.
    const laifangItems = assigned.get('laifang')!;
    expect(laifangItems.length).toBeGreaterThan(3);
    const [mail] = assignmentMailsTo('laifang@xinfang.example');
    expect(mail!.subject).toContain(`【交办通知】《${plan.title}》督办事项${laifangItems.length}项（最近期限：`);
    for (const item of laifangItems) expect(mail!.text).toContain(`【${item.label}\u3000${item.title}】`);
    expect(mail!.text!.match(/你单位职责：(牵头|协办)单位/g)).toHaveLength(laifangItems.length);
    const ics = mail!.attachments.find((a) => a.filename?.endsWith('.ics'))!.content.toString('utf8');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(laifangItems.length);
    expect(mail!.messageId).toMatch(/\.laifang\.assignments@xinfang\.example>$/);
    const links = linksIn(mail!);
    expect(links.length).toBeGreaterThanOrEqual(laifangItems.length * 2);
    expect(new Set(links).size).toBe(links.length);

    // Follow the first item's progress link (the second link of an item that 来访接待司 leads, or the first of one it supports).
    const first = [...laifangItems].sort((a, b) => a.number - b.number)[0]!;
    // By its full label: a task item (工作任务第1项) and an annex item (第1项) share the number.
    const section = mail!.text!.split(`【${first.label}\u3000`)[1]!.split('\n【')[0]!;
    const progress = /报告进展：(\S+)/.exec(section)![1]!;
    const shown = await fetch(progress);
    expect(shown.status).toBe(200);
    const shownText = await shown.text();
    expect(shownText).toContain(first.title);
    const posted = await fetch(progress, {
      method: 'POST',
      headers: { Origin: new URL(web.url).origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ note: '已部署落实' }),
    });
    expect(posted.status).toBe(200);
    const status = await env.client.workflow.getHandle(deliverableWorkflowId(planId, first.id)).query(statusQuery);
    expect(status.units.find((u) => u.unitId === 'laifang')!.lastProgressNote).toBe('已部署落实');

    // A unit with one item gets it as the single 交办通知, as before.
    const single = [...assigned].find(([, items]) => items.length === 1)!;
    const [singleMail] = assignmentMailsTo(units.get(single[0])!.emails[0]!);
    expect(singleMail!.subject).toContain(`【交办通知】${single[1][0]!.title}`);
  }, 240_000);

  it('reports a combined mail refused for good (550) to every deliverable in it and to the supervision office', async () => {
    refused.add('laifang@xinfang.example');
    try {
      const planId = `batch-550-${randomUUID().slice(0, 8)}`;
      const { assigned, results } = await startPlan(planId);
      const items = assigned.get('laifang')!;
      expect(results.get('laifang')).toEqual({ mails: 0, notices: 0, failed: items.length });
      for (const item of items) {
        const handle = env.client.workflow.getHandle(deliverableWorkflowId(planId, item.id));
        const failure = await waitFor(`the failure in ${item.id}`, async () =>
          (await handle.query(statusQuery)).events.find((e) => e.type === 'failure' && e.what === 'assignment'), 60_000, 200);
        expect(failure).toMatchObject({ to: ['laifang'], note: expect.stringContaining('550') });
      }
      // 督查室 hears of each failed item by mail (投递失败), one report per deliverable.
      const reports = await waitFor('a failure report per item', () => {
        const found = smtp.received.filter((m) => addressesOf(m).includes('duchashi@xinfang.example') && (m.subject ?? '').includes('投递失败'));
        return found.length >= items.length ? found : undefined;
      }, 60_000, 200);
      for (const item of items) expect(reports.some((m) => (m.subject ?? '').includes(item.title))).toBe(true);
    } finally {
      refused.clear();
    }
  }, 240_000);
});
