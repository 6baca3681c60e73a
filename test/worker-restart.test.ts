/** A `duban worker` killed mid-delivery and replaced: every notice still arrives, and a repeated one keeps its key. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { readOutbox, type OutboxEntry } from '../activities/outbox-sink.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { planSnapshotDir, savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { deliverableWorkflowId, planWorkflowId, statusQuery, taskQueue } from '../workflows/definitions.ts';
import type { planWorkflow } from '../workflows/plan.ts';
import { allSearchAttributes } from '../workflows/search-attributes.ts';
import { childEnvironment, waitFor, WorkerProcess } from './helpers/duban-cli.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const planFile = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'duban-restart-'));
const outbox = join(dataDir, 'outbox.jsonl');
// Plan time starts this long before the first reminder. A deliverable that starts after a reminder's instant rightly
// never sends it, and the kill can hold up the plan's child starts for the server's sticky-queue timeout (10 s):
// every deliverable must have started before the reminder falls due.
const leadMs = 30_000;
const batchSeconds = 60;
// A notice whose activity was running on the killed worker is retried only after its start-to-close timeout
// (2 minutes) and the retry interval (30 s): the wait has to cover that.
const deliveryDeadlineMs = 200_000;
let server: TestWorkflowEnvironment | undefined;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await server?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a worker killed while notices go out', () => {
  it('is replaced by a new worker that delivers every notice at least once, each under one stable key', async () => {
    const loaded = await loadPlanFile(planFile);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const plan = loaded.plan;
    server = await startDevServer({ searchAttributes: [...allSearchAttributes] });
    // The units' 交办通知 wait longer than the first reminder takes: the kill falls while every batch is still collecting.
    const env = childEnvironment({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir, ASSIGNMENT_BATCH_SECONDS: String(batchSeconds) });

    // The first reminder of the plan: the earliest due item's first offset, at the send hour on a working day.
    const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
    const first = [...plan.deliverables].sort((a, b) => a.due.localeCompare(b.due))[0]!;
    const reminderAt = calendar.instantAt(calendar.addWorkingDays(calendar.onOrAfter(first.due), -plan.policy.reminderOffsets[0]!), plan.policy.sendHour);
    const reminderIso = DateTime.fromMillis(reminderAt, { zone: plan.timezone }).toISO()!;

    workers.push(await WorkerProcess.start(env));
    await server.client.workflow.start<typeof planWorkflow>('planWorkflow', {
      workflowId: planWorkflowId(plan.id), taskQueue,
      args: [planWorkflowInput(plan, { clockOffsetMs: reminderAt - leadMs - Date.now(), planRef: await savePlanSnapshot(plan, planSnapshotDir(dataDir)) })],
    });

    const atKill = await waitFor('the first delivered notice', async () => {
      const entries = await readOutbox(outbox);
      return entries.length > 0 ? entries : undefined;
    }, 60_000, 5);
    const linesAtKill = atKill.length;
    const killed = await workers[0]!.kill();
    expect(killed.signal).toBe('SIGKILL');
    workers.push(await WorkerProcess.start(env));

    const deliverableIds = plan.deliverables.map((d) => deliverableWorkflowId(plan.id, d.id));
    const expected: { workflowId: string; kind: string; scheduledFor?: string }[] = [
      ...deliverableIds.map((workflowId) => ({ workflowId, kind: 'assignment' })),
      { workflowId: deliverableWorkflowId(plan.id, first.id), kind: 'reminder', scheduledFor: reminderIso },
    ];
    const missing = (entries: OutboxEntry[]) =>
      expected.filter((e) => !entries.some(({ notification: n }) =>
        n.workflowId === e.workflowId && n.kind === e.kind && (e.scheduledFor === undefined || n.scheduledFor === e.scheduledFor)));
    let stillMissing: unknown[] = [];
    const entries = await waitFor('every expected notice in the outbox', async () => {
      const all = await readOutbox(outbox);
      stillMissing = missing(all);
      return stillMissing.length === 0 ? all : undefined;
    }, deliveryDeadlineMs, 200).catch((err: Error) => Promise.reject(new Error(`${err.message}; missing ${JSON.stringify(stillMissing)}`)));

    // Whatever else the workflows recorded as sent is in the outbox too.
    for (const workflowId of deliverableIds) {
      const { events } = await server.client.workflow.getHandle(workflowId).query(statusQuery);
      for (const event of events.filter((e) => e.type === 'notice')) {
        expect(entries.some(({ notification: n }) => n.workflowId === workflowId && n.kind === event.what && n.scheduledFor === event.at), `${workflowId} ${event.what} ${event.at}`).toBe(true);
      }
    }

    // The kill happened before everything had gone out, or the test proved nothing about a restart.
    expect(linesAtKill).toBeLessThan(expected.length);
    // … and before any combined 交办通知 had gone out: the kill fell mid-batch, and the new worker mailed every one.
    expect(atKill.filter((e) => e.notification.kind === 'assignment')).toEqual([]);
    const batchesByUnit = new Map<string, Set<string>>();
    for (const { batch } of entries.filter((e) => e.notification.kind === 'assignment')) {
      expect(batch).toBeDefined();
      batchesByUnit.set(batch!.unitId, (batchesByUnit.get(batch!.unitId) ?? new Set()).add(batch!.key));
    }
    // One mail per unit.
    for (const [unitId, keys] of batchesByUnit) expect([unitId, keys.size]).toEqual([unitId, 1]);
    expect(entries.find((e) => e.notification.kind === 'reminder')?.notification.context.stage).toBe('提醒');

    // A notice written twice (delivered, then retried after the kill) is the same notice under the same key …
    const byKey = new Map<string, OutboxEntry[]>();
    for (const entry of entries) byKey.set(entry.notification.key, [...(byKey.get(entry.notification.key) ?? []), entry]);
    for (const copies of byKey.values()) {
      for (const copy of copies) expect(copy.notification).toEqual(copies[0]!.notification);
    }
    // … and no notice went out under two keys.
    const keysByNotice = new Map<string, Set<string>>();
    for (const { notification: n } of entries) {
      const identity = `${n.workflowId} ${n.kind} ${n.scheduledFor}`;
      keysByNotice.set(identity, (keysByNotice.get(identity) ?? new Set()).add(n.key));
    }
    for (const [identity, keys] of keysByNotice) expect([identity, [...keys]]).toEqual([identity, [...keys].slice(0, 1)]);

    for (const workflowId of [planWorkflowId(plan.id), ...deliverableIds]) {
      expect([workflowId, (await server.client.workflow.getHandle(workflowId).describe()).status.name]).toEqual([workflowId, 'RUNNING']);
    }
  }, deliveryDeadlineMs + 120_000);

  it('stops cleanly on SIGTERM', async () => {
    const worker = workers.at(-1)!;
    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(worker.log).toContain('duban worker: stopped');
  });
});
