/**
 * Runs a plan's year on the time-skipping test server: the real plan and deliverable workflows, notices recorded in
 * memory, scripted units acting through the same updates the web pages and CLI use.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import {
  acceptUpdate, cancelUpdate, confirmUpdate, deliverableWorkflowId, escalateUpdate, extensionDecisionUpdate, extensionRequestUpdate, milestoneDoneUpdate,
  planWorkflowId, statusQuery,
  type ActionResult, type DeliverableStatusView, type Notification, type PlanStatusView,
} from '../workflows/definitions.ts';
import type { deliverableWorkflow } from '../workflows/deliverable.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { MemoryMeter, type MemoryFigures, type ProgressTick } from './progress.ts';
import { supervisorActor, type ScriptedAction, type SimulationScript } from './script.ts';
import { startSimulationServer } from './server.ts';
import { stallGuard } from './stall-guard.ts';

/** An action as it went: done, or refused by the workflow's validator (e.g. a confirmation after the item closed). */
export interface PerformedAction {
  readonly action: ScriptedAction;
  readonly outcome: 'done' | 'refused';
  readonly message?: string;
}

/** Everything a run leaves for the summary and the timeline. */
export interface SimulationResult {
  readonly plan: Plan;
  readonly script: SimulationScript;
  /** Every notice delivered, in plan-time order. */
  readonly notifications: Notification[];
  readonly actions: PerformedAction[];
  /** Each deliverable's final status, with its event log. */
  readonly deliverables: DeliverableStatusView[];
  /** Each deliverable's status when the run ended, before what was still open was cancelled. */
  readonly atEnd: DeliverableStatusView[];
  readonly planView: PlanStatusView;
  readonly timings: { readonly serverMs: number; readonly workerMs: number; readonly yearMs: number; readonly totalMs: number };
  readonly memory: MemoryFigures;
}

/** What a run needs from its caller. */
export interface SimulationOptions {
  readonly plan: Plan;
  readonly script: SimulationScript;
  /** The environment, for finding the test server binary (TEMPORAL_TEST_SERVER_PATH, DUBAN_TOOLS_DIR). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (tick: ProgressTick) => void;
  readonly log?: (line: string) => void;
  /** Real time a single step (a simulated week, an action, a result) may take before the run fails as stalled; 60 s and 10 ms an item by default. */
  readonly stallLimitMs?: number;
}

const week = 7 * 86_400_000;
// A simulated week takes well under a second, the first (the plan's start, about 2 ms an item) a few seconds; CI's
// busiest runs stay far below. A plan of thousands of items gets 10 ms more for each.
const stallLimitFor = (plan: Plan) => 60_000 + 10 * plan.deliverables.length;

/** Runs the simulation to its end and tears everything down, also on failure. */
export async function runSimulation({ plan: given, script, env, onProgress, log, stallLimitMs = stallLimitFor(given) }: SimulationOptions): Promise<SimulationResult> {
  // The rehearsal scripts and figures are about the annex deliverables: task items (trackTasks) are not simulated.
  const plan = { ...given, trackTasks: undefined };
  const began = performance.now();
  const memory = new MemoryMeter();
  const server = await startSimulationServer(env, log);
  const serverMs = performance.now() - began;
  try {
    const delivered = new Map<string, { notice: Notification; at: number }>();
    // A retried delivery carries the same key; keep one.
    const sink: NotificationSink = {
      async deliver(notice) {
        delivered.set(notice.key, { notice, at: DateTime.fromISO(notice.scheduledFor).toMillis() });
      },
      // A combined 交办通知 still counts each notice once, as issued.
      async deliverAssignments(_unit, notices) {
        for (const notice of notices) delivered.set(notice.key, { notice, at: DateTime.fromISO(notice.scheduledFor).toMillis() });
      },
    };
    const workerStart = performance.now();
    const taskQueue = `simulate-${randomUUID()}`;
    const worker = await createDubanWorker({ connection: server.nativeConnection, namespace: server.namespace ?? 'default', sink, taskQueue });
    const workerMs = performance.now() - workerStart;
    const yearStart = performance.now();

    const outcome = await worker.runUntil(async () => {
      const client = server.client;
      const clockOffsetMs = script.start - (await server.currentTimeMs());
      const planNow = async () => (await server.currentTimeMs()) + clockOffsetMs;
      // Without notice rounds, whatever the plan's size: the time-skipping server has no visibility to list a slot's
      // items (a round would describe every item at every slot), and the notices and their instants are the same.
      const planHandle = await client.workflow.start(planWorkflow, {
        args: [planWorkflowInput(plan, { clockOffsetMs, planRef: await savePlanSnapshot(plan), noticeRounds: false })], taskQueue, workflowId: planWorkflowId(plan.id),
      });
      const handles = new Map<string, WorkflowHandle<typeof deliverableWorkflow>>(
        plan.deliverables.map((d) => [d.id, client.workflow.getHandle<typeof deliverableWorkflow>(deliverableWorkflowId(plan.id, d.id))]),
      );
      const step = stallGuard(stallLimitMs, async () => [
        `plan time ${new Date(await planNow()).toISOString()}`,
        ...(await pendingWork([planHandle, ...handles.values()])),
      ]);
      const at = (instant: number) => DateTime.fromMillis(instant, { zone: plan.timezone }).toFormat('yyyy-MM-dd HH:mm');
      const performed: PerformedAction[] = [];
      const perform = async (action: ScriptedAction) => {
        const handle = handles.get(action.deliverableId)!;
        try {
          await step(`${action.kind} of ${action.deliverableId} at ${at(action.at)}`, update(handle, action));
          performed.push({ action, outcome: 'done' });
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) {
            performed.push({ action, outcome: 'refused', message: refusal(err) });
            return;
          }
          // A closed workflow takes no updates at all; that is a refusal too, not a failure of the run.
          const { status } = await step(`reading ${action.deliverableId}'s status`, handle.describe());
          if (status.name === 'RUNNING') throw err;
          performed.push({ action, outcome: 'refused', message: `工作流已结束（${status.name}），事项已办结或已撤销，不再受理` });
        }
      };

      // Stops: every scripted instant, and a progress tick per simulated week.
      const ticks = Array.from({ length: Math.ceil((script.end - script.start) / week) }, (_, i) => script.start + (i + 1) * week).filter((t) => t < script.end);
      const instants = [...new Set([...script.actions.map((a) => a.at), ...ticks, script.end])].sort((a, b) => a - b);
      const tickSet = new Set(ticks);
      for (const instant of instants) {
        const wait = instant - (await planNow());
        if (wait > 0) await step(`the server skipped time to ${at(instant)}`, server.sleep(wait));
        for (const action of script.actions.filter((a) => a.at === instant)) await perform(action);
        if (tickSet.has(instant) || instant === script.end) {
          memory.sample();
          onProgress?.({
            date: DateTime.fromMillis(instant, { zone: plan.timezone }).toISODate()!,
            fraction: (instant - script.start) / (script.end - script.start), notices: delivered.size,
          });
        }
      }

      // The year is over: note where each item stands (the figures count that), then close what is still open, so
      // every workflow ends.
      const endDate = DateTime.fromMillis(script.end, { zone: plan.timezone }).toISODate()!;
      const atEnd: DeliverableStatusView[] = [];
      for (const deliverable of plan.deliverables) {
        const view = await step(`querying ${deliverable.id} at the end`, handles.get(deliverable.id)!.query(statusQuery));
        atEnd.push(view);
        if (view.status === 'done' || view.status === 'cancelled') continue;
        await perform({
          at: script.end, date: endDate, deliverableId: deliverable.id, kind: 'cancel',
          input: { by: supervisorActor(plan), reason: `模拟结束（${endDate}）时仍未办结（${view.status}）` },
        });
      }
      memory.sampleChildren();
      const planView = await step('waiting for the plan to close', planHandle.result());
      // One at a time: on the time-skipping server each `result()` unlocks and relocks time skipping, and
      // overlapping calls unbalance its lock.
      const deliverables: DeliverableStatusView[] = [];
      for (const d of plan.deliverables) deliverables.push(await step(`waiting for ${d.id} to close`, handles.get(d.id)!.result()));
      return { performed, planView, deliverables, atEnd };
    });

    const notifications = [...delivered.values()].sort((a, b) => a.at - b.at || sequence(a.notice) - sequence(b.notice)).map((d) => d.notice);
    const yearMs = performance.now() - yearStart;
    return {
      plan, script, notifications, actions: outcome.performed, deliverables: outcome.deliverables, atEnd: outcome.atEnd, planView: outcome.planView,
      timings: { serverMs, workerMs, yearMs, totalMs: performance.now() - began }, memory: memory.stop(),
    };
  } finally {
    memory.stop();
    await server.teardown();
  }
}

function update(handle: WorkflowHandle<typeof deliverableWorkflow>, action: ScriptedAction): Promise<ActionResult> {
  switch (action.kind) {
    case 'confirm': return handle.executeUpdate(confirmUpdate, { args: [action.input] });
    case 'accept': return handle.executeUpdate(acceptUpdate, { args: [action.input] });
    case 'extension_request': return handle.executeUpdate(extensionRequestUpdate, { args: [action.input] });
    case 'extension_decision': return handle.executeUpdate(extensionDecisionUpdate, { args: [action.input] });
    case 'escalate': return handle.executeUpdate(escalateUpdate, { args: [action.input] });
    case 'cancel': return handle.executeUpdate(cancelUpdate, { args: [action.input] });
    case 'milestone_done': return handle.executeUpdate(milestoneDoneUpdate, { args: [action.input] });
  }
}

/** The validator's reason for refusing an update (the SDK wraps it in an update failure). */
function refusal(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** The counter in a notice key (`…#12`, `…#digest-3`), to order notices of one instant as they were issued. */
function sequence(notice: Notification): number {
  return Number(/(\d+)$/.exec(notice.key)?.[1] ?? 0);
}

// PendingActivityState and PendingWorkflowTaskState share their first values.
const pendingState: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel requested' };

/** Each workflow that is still open, with the activities it waits on: what holds the time-skipping server's clock. */
async function pendingWork(handles: readonly WorkflowHandle[]): Promise<string[]> {
  const lines: string[] = [];
  for (const handle of handles) {
    // Not started yet (the plan starts its items in batches): nothing of it can be waiting.
    const description = await handle.describe().catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
    if (description?.status.name !== 'RUNNING') continue;
    const { raw } = description;
    const activities = (raw.pendingActivities ?? []).map((a) =>
      `${a.activityType?.name ?? '?'} (${pendingState[a.state ?? 0] ?? 'state ?'}, attempt ${a.attempt ?? 1}${a.lastFailure?.message ? `, last failure: ${a.lastFailure.message}` : ''})`);
    // A workflow task in flight holds the clock as an activity does (time then runs at real speed).
    const task = raw.pendingWorkflowTask;
    if (task) activities.push(`a workflow task (${pendingState[task.state ?? 0] ?? 'state ?'}, attempt ${task.attempt ?? 1})`);
    lines.push(`${handle.workflowId}: running${activities.length > 0 ? `, waiting on ${activities.join(', ')}` : ''}`);
  }
  return lines;
}
