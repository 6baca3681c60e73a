/**
 * A plan in notice rounds on the dev server (real visibility, real worker, real SMTP): at the send slot the plan's
 * round mails what its items published, each unit one mail, and the items record it without mailing anything.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeRoundResult } from '../activities/notice-round.ts';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { readEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput, planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import {
  acceptUpdate, confirmUpdate, deliverableWorkflowId, heldConfirmationLeadMs, statusQuery,
} from '../workflows/definitions.ts';
import { publishedNotices } from '../workflows/notice-packing.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { allSearchAttributes, noticeSlotAttribute, noticeSlotOf } from '../workflows/search-attributes.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { startScriptedSmtp, type ScriptedSmtp } from './helpers/scripted-smtp.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const linkKeys = 'r1:Um91bmQtbm90aWNlLWtleS03eFBxMnZaa0xtNG5SOHNX';
// Plan time begins this long before the slot: long enough to start the plan's items on a busy box.
const leadMs = 25_000;
// … and to confirm some of them before the last moment a 完成确认 still goes to that slot's round.
const confirmLeadMs = leadMs + heldConfirmationLeadMs + 5_000;
let env: TestWorkflowEnvironment;
let smtp: ScriptedSmtp;
let worker: Worker;
let running: Promise<void>;
let plan: Plan;
const taskQueue = `rounds-${randomUUID()}`;

beforeAll(async () => {
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  plan = loaded.plan;
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  smtp = await startScriptedSmtp(() => undefined);
  const settings = readEnvironment({ SMTP_URL: smtp.url, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: 'http://127.0.0.1:9', LINK_KEYS: linkKeys });
  worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: notificationSinkFor(settings).sink, taskQueue, assignmentBatchMs: 2_000 });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await smtp?.close();
  await env?.teardown();
});

const kindOf = (m: ParsedMail) => String(m.headers.get('x-duban-kind') ?? '');
const keysOf = (m: ParsedMail) => String(m.headers.get('x-duban-notice') ?? '').split(' ').filter(Boolean);
const addressesOf = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((t) => t?.value.map((v) => v.address) ?? []);

/** When the item's log records a notice of `what` as sent, once it does (told by the round, in a task of its own). */
async function loggedAt(handle: WorkflowHandle, what: string): Promise<string | undefined> {
  const view = await waitFor(`${handle.workflowId} recording its ${what}`, async () => {
    const status = await handle.query(statusQuery);
    return status.events.some((e) => e.type === 'notice' && e.what === what) ? status : undefined;
  }, 30_000, 200);
  return view.events.find((e) => e.type === 'notice' && e.what === what)?.at;
}

describe('a plan that mails in rounds', () => {
  it('mails each unit one 提醒 for all its items due at the slot, from the plan’s round; the items record it and mail nothing', async () => {
    // Four annex items due the same day: their first 提醒 falls on one slot.
    const annex = plan.deliverables.slice(0, 4);
    const due = [...annex].sort((a, b) => a.due.localeCompare(b.due))[0]!.due;
    const planId = `rounds-${randomUUID().slice(0, 8)}`;
    const copy: Plan = { ...plan, id: planId, deliverables: plan.deliverables.map((d) => (annex.includes(d) ? { ...d, due } : d)) };
    const calendar = new WorkingDayCalendar(copy.timezone, copy.calendar.overrides);
    const slot = calendar.instantAt(calendar.addWorkingDays(calendar.onOrAfter(due), -copy.policy.reminderOffsets[0]!), copy.policy.sendHour);
    const input = planWorkflowInput(copy, { clockOffsetMs: slot - leadMs - Date.now(), planRef: await savePlanSnapshot(copy), noticeRounds: true });
    expect(input.noticeRounds).toBe(true);
    const planHandle = await env.client.workflow.start(planWorkflow, { args: [input], taskQueue, workflowId: planId });

    // Before the slot, each item has published its 提醒 under the slot's instant.
    const firstItem = env.client.workflow.getHandle(deliverableWorkflowId(planId, annex[0]!.id));
    const published = await waitFor('the first item’s published notices', async () => {
      const description = await firstItem.describe().catch(() => undefined);
      return description?.typedSearchAttributes.get(noticeSlotAttribute) ? description : undefined;
    }, leadMs, 200);
    expect(published.typedSearchAttributes.get(noticeSlotAttribute)).toBe(noticeSlotOf(slot));
    const memo = publishedNotices(published.memo)!;
    expect(memo.at).toBe(slot);
    expect(memo.notices.map((n) => n.kind)).toEqual(['reminder']);

    // Each unit responsible for any of the four gets exactly one 提醒, listing each of its items' notices once.
    const expected = new Map<string, string[]>();
    for (const d of annex) {
      for (const unit of deliverableInput(copy, d.id).units) expected.set(unit.emails[0]!, [...(expected.get(unit.emails[0]!) ?? []), d.id]);
    }
    const reminders = () => smtp.received.filter((m) => kindOf(m) === 'reminder' && keysOf(m).some((k) => k.startsWith(`${planId}/`)));
    const noticesOut = () => reminders().reduce((sum, m) => sum + keysOf(m).length, 0);
    const wanted = [...expected.values()].reduce((sum, ids) => sum + ids.length, 0);
    await waitFor('every unit’s 提醒', () => (noticesOut() >= wanted ? true : undefined), leadMs + 60_000, 200);
    for (const [address, ids] of expected) {
      const mails = reminders().filter((m) => addressesOf(m).includes(address));
      expect([address, mails.length]).toEqual([address, 1]);
      expect([address, keysOf(mails[0]!).map((k) => k.split('/')[1]!.split('#')[0]).sort()]).toEqual([address, [...ids].sort()]);
    }

    // The plan's round did it: one activity for the slot, serving the four items.
    const roundResult = await waitFor('the round’s result in the plan’s history', async () => {
      const events = (await planHandle.fetchHistory()).events ?? [];
      const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNoticeRound');
      const completed = events.find((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString());
      const payload = completed?.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
      return payload ? (JSON.parse(Buffer.from(payload).toString('utf8')) as NoticeRoundResult) : undefined;
    }, 30_000, 200);
    expect(roundResult).toEqual({ items: 4, notices: 4, leftToItems: 0 });

    for (const d of annex) {
      const handle = env.client.workflow.getHandle(deliverableWorkflowId(planId, d.id));
      // Told by the round, the item recorded its 提醒 at the slot …
      expect(await loggedAt(handle, 'reminder')).toBe(DateTime.fromMillis(slot, { zone: copy.timezone }).toISO());
      // … ran no notice activity of its own (its 交办通知 was queued by the plan's start) …
      const events = (await handle.fetchHistory()).events ?? [];
      expect([d.id, events.filter((e) => e.activityTaskScheduledEventAttributes).length]).toEqual([d.id, 0]);
      // … published nothing in its first task (its start carried the slot and notices) and once after the round: the next.
      const told = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'noticesDelivered');
      expect(told).toBeGreaterThan(0);
      expect([d.id, events.slice(0, told).filter((e) => e.workflowPropertiesModifiedEventAttributes).length]).toEqual([d.id, 0]);
      expect([d.id, events.slice(told).filter((e) => e.workflowPropertiesModifiedEventAttributes).length]).toEqual([d.id, 1]);
      // … and published its next notice, a later slot.
      const next = (await handle.describe()).typedSearchAttributes.get(noticeSlotAttribute);
      expect(Date.parse(next!)).toBeGreaterThan(slot);
    }
  }, 180_000);

  it('mails 督查室 one 完成确认 list at the slot for the items confirmed before it, and leaves out an item accepted meanwhile', async () => {
    const planId = `rounds-${randomUUID().slice(0, 8)}`;
    const copy: Plan = { ...plan, id: planId };
    const calendar = new WorkingDayCalendar(copy.timezone, copy.calendar.overrides);
    const slot = calendar.instantAt(calendar.addWorkingDays(calendar.onOrAfter(plan.deliverables[0]!.due), -copy.policy.reminderOffsets[0]!), copy.policy.sendHour);
    const input = planWorkflowInput(copy, { clockOffsetMs: slot - confirmLeadMs - Date.now(), planRef: await savePlanSnapshot(copy), noticeRounds: true });
    await env.client.workflow.start(planWorkflow, { args: [input], taskQueue, workflowId: planId });

    // Three items its lead alone completes: two confirmed, the third confirmed and accepted before the slot.
    const [first, second, accepted] = plan.deliverables.filter((d) => deliverableInput(copy, d.id).policy.completion === 'lead').slice(4, 7).map((d) => ({
      d, handle: env.client.workflow.getHandle(deliverableWorkflowId(planId, d.id)), lead: deliverableInput(copy, d.id).units[0]!.unitId,
    }));
    for (const { d, handle, lead } of [first!, second!, accepted!]) {
      await waitFor(`${d.id} running`, async () => ((await handle.describe().catch(() => undefined))?.status.name === 'RUNNING' ? true : undefined), leadMs, 100);
      await handle.executeUpdate(confirmUpdate, { args: [{ unitId: lead, ...(d === first!.d ? { note: '已印发实施意见' } : {}) }] });
    }
    await accepted!.handle.executeUpdate(acceptUpdate, { args: [{ by: '督查室 王主任' }] });
    // Confirmed early enough: held for this slot (a failure here means the box was too slow to start the plan).
    expect((await first!.handle.describe()).typedSearchAttributes.get(noticeSlotAttribute)).toBe(noticeSlotOf(slot));

    const supervisor = deliverableInput(copy, first!.d.id).supervisor.emails[0]!;
    const confirmations = () => smtp.received.filter((m) => kindOf(m) === 'confirmation' && keysOf(m).some((k) => k.startsWith(`${planId}/`)));
    const [mail] = await waitFor('the round’s 完成确认 list', () => (confirmations().length > 0 ? confirmations() : undefined), confirmLeadMs + 60_000, 200);
    const ids = (m: ParsedMail) => keysOf(m).map((k) => k.split('/')[1]!.split('#')[0]).sort();
    expect(addressesOf(mail!)).toEqual([supervisor]);
    expect(ids(mail!)).toEqual([first!.d.id, second!.d.id].sort());
    expect(mail!.subject).toContain('2项督办事项已确认完成');
    expect(mail!.text).toContain(first!.d.title);
    expect(mail!.text).toContain('已印发实施意见');

    for (const { d, handle } of [first!, second!]) {
      // Told by the round, the item records its 完成确认 at the slot; it never ran a mail activity of its own.
      expect(await loggedAt(handle, 'confirmation')).toBe(DateTime.fromMillis(slot, { zone: copy.timezone }).toISO());
      const events = (await handle.fetchHistory()).events ?? [];
      expect([d.id, events.filter((e) => e.activityTaskScheduledEventAttributes).length]).toEqual([d.id, 0]);
    }
    const closed = await accepted!.handle.query(statusQuery);
    expect([closed.status, closed.events.filter((e) => e.type === 'notice' && e.what === 'confirmation')]).toEqual(['done', []]);
    // Nothing else for the plan's confirmations reaches 督查室 later: the list was the one mail.
    expect(confirmations()).toHaveLength(1);
  }, 240_000);
});
