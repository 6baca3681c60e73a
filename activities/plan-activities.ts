/**
 * What a plan workflow delegates to activities at scale: starting its deliverables in batches (each input built
 * here from the plan snapshot) and reading their aggregate from Temporal (visibility, or one describe per item where
 * the server has no visibility, e.g. the time-skipping test server), so no deliverable signals its plan per change.
 */
import { CancelledFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { isTaskItem, trackedItems } from '../config/task-items.ts';
import type { Plan } from '../config/plan-schema.ts';
import { stoppedStatus } from '../domain/execution-outcome.ts';
import { viewOutcome } from '../domain/on-time-rate.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { deliverableWorkflowId, statusQuery, type DeliverableStatus, type DeliverableStatusView, type DeliverableSummary, type ItemStartContext, type Light, type Notification } from '../workflows/definitions.ts';
import {
  deliverableAttribute, dueAttribute, escalationLevelAttribute, lightAttribute, planAttribute, statusAttribute,
} from '../workflows/search-attributes.ts';
import { identityAttributes } from '../workflows/deliverable-attributes.ts';
import { queueAssignments, type AssignmentBatching, type QueuedEntry } from './assignment-queue.ts';
import { itemOpening } from './item-opening.ts';
import type { NotificationSink } from './notification-sink.ts';
import { createLanes } from './start-lanes.ts';
import { eachLimited, isDeadlineExceeded, isUnimplemented, latestRuns, unlessNotFound, type ListedRun } from './temporal-reads.ts';

/** Deliverables started at once by one activity; enough to keep the server busy, few enough for a 2-core box. */
export const startConcurrency = 16;
/**
 * Deliverables started at once by one worker, whatever the batches it runs: two batches' worth. A plan keeps a
 * batch more in flight (`planStartBatches`), which waits for the lanes the others leave.
 */
export const startLanes = 2 * startConcurrency;
/** Plans up to this size keep one row per deliverable in their status; larger ones give counts only. */
export const rowsKeptUpTo = 1_000;
/** How long a report waits for one item's status query (a replay of its history: well under a second when the worker is up). */
export const statusQueryPatienceMs = 10_000;

/** One batch of a plan's deliverables to start. */
export interface StartBatch extends ItemStartContext {
  readonly deliverableIds: readonly string[];
}

/**
 * Per deliverable in plan order, what the plan knows of its end: `.` open, `d` done on time, `l` done late,
 * `x` done (timeliness unknown), `c` cancelled.
 */
export type Outcomes = string;

/** Ask for the plan's aggregate, and optionally mail a digest or final report built from it. */
export interface PlanReportRequest {
  readonly planId: string;
  readonly planRef: string;
  readonly outcomes: Outcomes;
  readonly notice?: Notification;
  /**
   * Deliverables 督查室 was already told Temporal stopped, and the notice to tell it of any others (its key fixed by
   * the plan, so a retried activity mails the same message).
   */
  readonly stopAlert?: { readonly alerted: readonly string[]; readonly notice: Notification };
}

/** The plan's aggregate as read now. */
export interface PlanAggregate {
  readonly counts: Record<Light, number>;
  /** The request's outcomes with closures seen in Temporal added. */
  readonly outcomes: Outcomes;
  /** Every row, for plans of up to {@link rowsKeptUpTo} items. */
  readonly rows?: DeliverableSummary[];
  /** Every deliverable whose workflow Temporal stopped (terminated, failed …), alerted now or before. */
  readonly stopped: string[];
}

/** What a deliverable's workflow shows of its state without running it. */
interface Observed {
  readonly status?: string;
  readonly light?: string;
  readonly level?: number;
  readonly due?: Date;
  /** Temporal's execution status, e.g. `RUNNING`, `TERMINATED`. */
  readonly execution?: string;
}

/** The plan activities, given where snapshots are read and where notices go. */
export function createPlanActivities({ readPlan, sink, assignmentBatching, queryPatienceMs = statusQueryPatienceMs }: {
  readPlan: (ref: string) => Promise<Plan>; sink: NotificationSink; assignmentBatching?: AssignmentBatching; queryPatienceMs?: number;
}) {
  const inStartLane = createLanes(startLanes);
  return {
    /**
     * Starts each deliverable of the batch that is not started yet (a closed or running one is left alone); returns
     * how many it started. With assignment batching on, it also queues their 交办通知 (one signal per unit), so a
     * deliverable's first task sends nothing: that saves each start an activity and a workflow task.
     */
    async startDeliverables(batch: StartBatch): Promise<number> {
      const { client, info } = Context.current();
      const plan = await readPlan(batch.planRef);
      let started = 0;
      // By the item's place in the batch: starts finish in any order, the units' lists keep the plan's.
      const assignments: (QueuedEntry | undefined)[] = [];
      // A retried attempt cannot tell whether the one before queued what it started: it queues again (the batch
      // drops a notice it holds twice). A first attempt finding an item started is a plan started again: left alone.
      const retried = info.attempt > 1;
      const { deliverableIds, ...start } = batch;
      await eachLimited(deliverableIds, startConcurrency, async (deliverableId, i) => {
        const now = Date.now() + batch.clockOffsetMs;
        // Shown from the start, so the deliverable's first task need not upsert them.
        const { workflowId, input, attributes, memo, assignment } = itemOpening(plan, start, deliverableId, now, { queueAssignment: assignmentBatching !== undefined });
        // The batches get a reference (the notice is built again from the snapshot when mailed): a fifth of the bytes.
        const queued = assignment && { notice: assignment, queued: { key: assignment.key, workflowId, deliverableId, queuedAt: now, start } };
        try {
          await inStartLane(() => client.workflow.start('deliverableWorkflow', {
            workflowId, taskQueue: info.taskQueue, args: [input], ...(memo ? { memo } : {}),
            // A plan started again (after a failure or termination) must not restart deliverables that already closed.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [...identityAttributes(input), ...attributes],
          }));
          started += 1;
          assignments[i] = queued;
        } catch (err) {
          // Started before (by an earlier attempt or run of this plan): that is the one we want.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          if (retried) assignments[i] = queued;
        }
        if (i % 50 === 0) Context.current().heartbeat(i);
      });
      // Until this returns the activity is not done: a crash before it is retried, and the retry queues again.
      const queued = assignments.filter((a) => a !== undefined);
      if (assignmentBatching && queued.length > 0) await queueAssignments(queued, assignmentBatching);
      return started;
    },

    /** Reads the plan's aggregate; with a notice, fills its rows and delivers it (a digest or the final report). */
    async planReport(request: PlanReportRequest): Promise<PlanAggregate> {
      const plan = await readPlan(request.planRef);
      const { client, cancellationSignal } = Context.current();
      const { rows, outcomes } = summarise(plan, await observeDeliverables(client, plan), request.outcomes);
      await enrichFromStatus(client, plan, rows, cancellationSignal, queryPatienceMs);
      if (cancellationSignal.aborted) throw new CancelledFailure('the worker is shutting down: the report is retried, not sent half-read');
      if (request.notice) await sink.deliver({ ...request.notice, context: { ...request.notice.context, rows } });
      const stopped = rows.filter((r) => r.status === 'terminated' || r.status === 'failed');
      const alert = request.stopAlert;
      const alerted = new Set(alert?.alerted);
      const unalerted = stopped.filter((r) => !alerted.has(r.deliverableId));
      // A stopped workflow sends nothing more, and its status query still answers its last (green) state.
      if (alert && unalerted.length > 0) await sink.deliver({ ...alert.notice, context: { ...alert.notice.context, rows: unalerted } });
      const counts: Record<Light, number> = { green: 0, yellow: 0, red: 0, grey: 0 };
      for (const row of rows) counts[row.light] += 1;
      return { counts, outcomes, rows: rows.length <= rowsKeptUpTo ? rows : undefined, stopped: stopped.map((r) => r.deliverableId) };
    },
  };
}

/** Each deliverable's state in Temporal: one paged visibility listing, or a describe per deliverable where there is none. */
async function observeDeliverables(client: Client, plan: Plan): Promise<Map<string, Observed>> {
  const found = new Map<string, Observed>();
  try {
    // A deliverable that continued as new is listed once per run; the newest run counts.
    for (const info of await latestRuns(client, `${planAttribute.name} = '${plan.id}'`)) {
      const id = info.typedSearchAttributes.get(deliverableAttribute);
      if (id !== undefined) found.set(id, observedOf(info));
    }
    return found;
  } catch (err) {
    if (!isUnimplemented(err)) throw err;
  }
  await eachLimited(trackedItems(plan).map((d) => d.id), startConcurrency, async (id) => {
    const description = await unlessNotFound(client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).describe());
    if (description) found.set(id, observedOf(description));
  });
  return found;
}

function observedOf(info: ListedRun | WorkflowExecutionDescription): Observed {
  const attrs = info.typedSearchAttributes;
  return {
    status: attrs.get(statusAttribute), light: attrs.get(lightAttribute), level: attrs.get(escalationLevelAttribute), due: attrs.get(dueAttribute),
    execution: info.status.name,
  };
}

/** Rows in plan order, closures known to the plan laid over what visibility shows (it may lag a moment). */
function summarise(plan: Plan, observed: Map<string, Observed>, known: Outcomes): { rows: DeliverableSummary[]; outcomes: Outcomes } {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const outcomes: string[] = [];
  const rows = trackedItems(plan).map((d, i): DeliverableSummary => {
    const seen = observed.get(d.id);
    let outcome = known[i] ?? '.';
    if (outcome === '.' && seen?.status === 'done') outcome = 'x';
    if (outcome === '.' && seen?.status === 'cancelled') outcome = 'c';
    outcomes.push(outcome);
    const closed = outcome !== '.';
    const stopped = closed ? undefined : stoppedStatus(seen?.execution);
    const lead = resolveUnitIds(plan, d.units)[0]!;
    return {
      deliverableId: d.id, number: d.number, title: d.title, leadUnitId: lead, leadUnitName: names.get(lead) ?? lead,
      status: closed ? (outcome === 'c' ? 'cancelled' : 'done') : (stopped ?? (seen?.status as DeliverableStatus | undefined) ?? 'assigned'),
      light: closed ? 'grey' : stopped ? 'red' : ((seen?.light as Light | undefined) ?? 'green'),
      due: seen?.due ? seen.due.toISOString().slice(0, 10) : d.due,
      escalationLevel: seen?.level ?? 0,
      onTime: outcome === 'd' ? true : outcome === 'l' ? false : undefined,
      ...(isTaskItem(plan, d.id) ? { itemKind: 'task' as const } : {}),
    };
  });
  return { rows, outcomes: outcomes.join('') };
}

/**
 * What only a deliverable's status tells: whether a completion met its due date, as the one on-time definition says
 * (domain/on-time-rate.ts), and the latest progress report. Asked of the items that wait for acceptance or whose
 * closure the plan did not hear of (a plan started again) — every other completed item told its plan when it closed —
 * and, for plans small enough to list every row, of every open item for its progress text.
 */
/**
 * Each status query needs a workflow worker. A worker shutting down stops taking workflow tasks yet waits for this
 * activity, and an in-flight query is not cut short by the client's abort signal (seen: 30 s), so on cancellation
 * the activity stops waiting for the queries and the remaining rows go unread. A query unanswered after
 * {@link statusQueryPatienceMs} leaves its row unread too (and says so in the worker's log): a report waits for no
 * single item (before, a query with no worker to answer it held the report 30 s on the dev server, and a query the
 * server never answers would hold it until the activity's timeout, and then each retry).
 */
async function enrichFromStatus(client: Client, plan: Plan, rows: DeliverableSummary[], cancelled: AbortSignal, patienceMs: number): Promise<void> {
  const abandoned = new Promise<undefined>((resolve) => {
    if (cancelled.aborted) resolve(undefined);
    else cancelled.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
  const everyOpen = rows.length <= rowsKeptUpTo;
  const asked = rows.map((row, i) => [row, i] as const).filter(([row]) =>
    ((row.status === 'awaiting_acceptance' || row.status === 'done') && row.onTime === undefined) || (everyOpen && row.status !== 'done' && row.status !== 'cancelled'));
  await eachLimited(asked, startConcurrency, async ([row, i]) => {
    if (cancelled.aborted) return;
    const workflowId = deliverableWorkflowId(plan.id, row.deliverableId);
    const asking = client.withDeadline(Date.now() + patienceMs, () => client.workflow.getHandle(workflowId).query(statusQuery)).catch((err: unknown) => {
      if (isDeadlineExceeded(err)) Context.current().log.warn('plan report: a status query went unanswered; the row is reported without it', { workflowId, waitedMs: patienceMs });
      return undefined;
    });
    const view = await Promise.race([asking, abandoned]);
    if (!view) return;
    const completed = view.status === 'awaiting_acceptance' || view.status === 'done';
    const latestProgress = latestProgressOf(view);
    rows[i] = { ...row, ...(completed && row.onTime === undefined ? { onTime: viewOutcome(view, calendar).outcome === 'on_time' } : {}), ...(latestProgress ? { latestProgress } : {}) };
  });
}

/** The newest progress report of any unit, cut short as the deliverable's own summary cuts it. */
function latestProgressOf(view: DeliverableStatusView): DeliverableSummary['latestProgress'] {
  const newest = view.units.filter((u) => u.lastProgress && u.lastProgressNote !== undefined).sort((a, b) => (a.lastProgress! < b.lastProgress! ? 1 : -1))[0];
  if (!newest) return undefined;
  const note = newest.lastProgressNote!;
  return {
    unitName: newest.name, at: newest.lastProgress!, note: note.length > 200 ? `${note.slice(0, 199)}…` : note,
    ...(newest.lastProgressPercent === undefined ? {} : { percent: newest.lastProgressPercent }), ...(newest.lastProgressStage ? { stage: newest.lastProgressStage } : {}),
  };
}
