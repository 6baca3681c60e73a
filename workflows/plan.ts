/**
 * A whole plan: starts its deliverables in batches, sends the weekly digest and a final report. It keeps no row per
 * deliverable: the aggregate is read from Temporal by an activity at each digest, and a deliverable tells its plan
 * only that it closed, so a plan of 10,000 items costs its confirmations nothing and its history stays small.
 */
import { ActivityFailure, allHandlersFinished, condition, continueAsNew, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import { rememberingZone } from '../domain/remembering-zone.ts';
import type { Activities } from '../activities/index.ts';
import type { Outcomes, PlanAggregate } from '../activities/plan-activities.ts';
import { nextSendInstant } from '../domain/deliverable-schedule.ts';
import { nextWeeklySlot } from '../domain/weekly-slots.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';
import {
  deliverableChangedSignal, planSourceQuery, planStatusQuery, revisePlanInput, revisePlanUpdate,
  type Light, type Notification, type NotificationKind, type PlanStatusView, type PlanWorkflowInput, type StartBatches,
} from './definitions.ts';

/** What a plan run hands to the next one on continue-as-new (plain JSON). */
export interface PlanState {
  /** Deliverables (in plan order) whose start is done. */
  startedThrough: number;
  outcomes: Outcomes;
  /** Digest slots at or before this plan-time instant are handled. */
  digestCursor: number;
  /** Notice rounds (plans in rounds) at or before this plan-time instant are done; absent in runs from before rounds. */
  roundCursor?: number;
  digestsSent: number;
  seq: number;
  /** The aggregate as of the last digest or report. */
  last?: { counts: Record<Light, number>; rows?: PlanAggregate['rows'] };
  /** Deliverables whose stopped workflow 督查室 has been told of (once each). */
  stopAlerted?: string[];
  /** Digests or reports that could not be delivered, with the reason (shown in the plan status). */
  failures?: string[];
}

// Hand over to a fresh run long before the history grows large, even when the server does not suggest it yet.
const defaultHistoryLimit = 2_000;
const historySizeLimit = 4 * 1024 * 1024;
/** How runs whose input has no `startBatches` start their items: their histories were written so. */
const earlierStartBatches: StartBatches = { size: 250, inFlight: 2 };

const { startDeliverables } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});
// A round retries for a few minutes only: past its grace its items mail their notices themselves.
const { deliverNoticeRound } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});
// As for every notice: transient failures retry without limit, a permanent one is recorded.
const { planReport } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', nonRetryableErrorTypes: ['PermanentDeliveryError'] },
});

/** Runs a plan until every deliverable is closed. */
export async function planWorkflow(original: PlanWorkflowInput, carried?: PlanState): Promise<PlanStatusView> {
  // Replaced by `revisePlan` (a mid-year change: a new snapshot, items added at the end); handed on as it is.
  let input = original;
  const planNow = () => Date.now() + input.clockOffsetMs;
  const { workflowId } = workflowInfo();
  const calendar = new WorkingDayCalendar(input.timezone, input.calendarOverrides);
  const state: PlanState = carried ?? { startedThrough: 0, outcomes: '.'.repeat(input.deliverableIds.length), digestCursor: planNow(), digestsSent: 0, seq: 0 };
  const position = new Map(input.deliverableIds.map((id, i) => [id, i]));
  let reporting = 0;

  const allClosed = () => !state.outcomes.includes('.');
  const historyTooLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? defaultHistoryLimit) || info.historySize > historySizeLimit;
  };
  const view = (): PlanStatusView => ({
    planId: input.planId, title: input.title, total: input.deliverableIds.length, deliverables: state.last?.rows ?? [],
    counts: state.last?.counts ?? { green: input.deliverableIds.length, yellow: 0, red: 0, grey: 0 },
    digestsSent: state.digestsSent, failures: state.failures ?? [], finished: allClosed(),
  });
  /** Takes an aggregate in; closures signalled meanwhile are kept. */
  const absorb = (aggregate: PlanAggregate) => {
    state.outcomes = [...state.outcomes].map((known, i) => (known === '.' ? aggregate.outcomes[i] ?? '.' : known)).join('');
    state.last = { counts: aggregate.counts, rows: aggregate.rows };
  };
  const noticeOf = (kind: NotificationKind, at: number): Notification => {
    state.seq += 1;
    return {
      key: `${workflowId}#${kind}-${state.seq}`, kind, planId: input.planId, workflowId, to: [input.supervisor], cc: [],
      scheduledFor: DateTime.fromMillis(at, { zone: rememberingZone(input.timezone) }).toISO()!, timezone: input.timezone, context: {},
      ...(input.office ? { office: input.office } : {}),
    };
  };
  const report = async (kind?: NotificationKind, at?: number) => {
    const notice = kind ? noticeOf(kind, at!) : undefined;
    // Checked at each digest: a deliverable Temporal stopped is marked in the rows and 督查室 is mailed once.
    const stopAlert = notice ? { alerted: state.stopAlerted ?? [], notice: noticeOf('deliverable_stopped', at!) } : undefined;
    reporting += 1;
    try {
      const aggregate = await planReport({ planId: input.planId, planRef: input.planRef, outcomes: state.outcomes, notice, stopAlert });
      absorb(aggregate);
      if (stopAlert) state.stopAlerted = aggregate.stopped;
    } catch (err) {
      if (!notice) throw err;
      (state.failures ??= []).push(`${notice.scheduledFor} ${kind}: ${failureMessage(err)}`);
    } finally {
      reporting -= 1;
    }
  };
  let rounding = false;
  let handingOver = false;
  /**
   * The notice rounds (`noticeRounds`): at each send slot one activity mails what the items due then published. A
   * round that fails is given up (its items mail their own after their grace); a slot the calendar does not cover yet
   * ends the rounds of this run, and every item mails its own from then on.
   */
  const runRounds = async () => {
    state.roundCursor ??= planNow();
    while (!allClosed() && !handingOver) {
      let slot: number;
      try {
        slot = nextSendInstant(calendar, input.sendHour, state.roundCursor);
      } catch (err) {
        if (err instanceof UncoveredYearError) return;
        throw err;
      }
      if (await condition(() => allClosed() || handingOver, Math.max(1, slot - planNow()))) return;
      state.roundCursor = slot;
      rounding = true;
      try {
        await deliverNoticeRound({ planId: input.planId, planRef: input.planRef, at: slot });
      } catch (err) {
        // A failed round is in history as the activity's failure; the items' own sends cover it.
        if (!(err instanceof ActivityFailure)) throw err;
      } finally {
        rounding = false;
      }
    }
  };
  const handOver = async () => {
    handingOver = true;
    await condition(() => reporting === 0 && !rounding && allHandlersFinished());
    await continueAsNew<typeof planWorkflow>(input, state);
  };

  const startBatch = (deliverableIds: readonly string[]) => ({
    planRef: input.planRef, planWorkflowId: workflowId, deliverableIds, clockOffsetMs: input.clockOffsetMs,
    ...(input.noticeRounds ? { noticeRounds: { sendHour: input.sendHour } } : {}),
  });

  setHandler(deliverableChangedSignal, (summary) => {
    const i = position.get(summary.deliverableId);
    // An item that is open again (reopened) counts as open: `.`.
    const mark = summary.status === 'cancelled' ? 'c' : summary.status !== 'done' ? '.' : summary.onTime === true ? 'd' : summary.onTime === false ? 'l' : 'x';
    if (i !== undefined && mark) state.outcomes = state.outcomes.slice(0, i) + mark + state.outcomes.slice(i + 1);
  });
  setHandler(planStatusQuery, view);
  setHandler(planSourceQuery, () => ({ planRef: input.planRef, deliverableIds: input.deliverableIds, clockOffsetMs: input.clockOffsetMs }));
  setHandler(revisePlanUpdate, async (change) => {
    const added = change.deliverableIds.slice(input.deliverableIds.length);
    input = { ...input, planRef: change.planRef, deliverableIds: change.deliverableIds };
    added.forEach((id, i) => position.set(id, state.outcomes.length + i));
    state.outcomes += '.'.repeat(added.length);
    // Started here (idempotent, as every start): an item the start loop also reaches is started once.
    const started = added.length === 0 ? 0 : await startDeliverables(startBatch(added));
    return { started };
  }, {
    validator: (change) => {
      const { deliverableIds, basedOn } = revisePlanInput.parse(change);
      if (basedOn !== undefined && basedOn !== input.planRef) throw new Error('the plan changed since this change was prepared (stale)');
      const kept = input.deliverableIds;
      if (deliverableIds.length < kept.length || kept.some((id, i) => deliverableIds[i] !== id)) throw new Error('the new item list must keep every item in its place (items are cancelled, never removed)');
      if (new Set(deliverableIds).size !== deliverableIds.length) throw new Error('an item id is listed twice');
    },
  });

  // Beside the plan's own loop; a cancelled plan stops it too (the main loop answers the cancellation).
  if (input.noticeRounds) void runRounds().catch((err: unknown) => (isCancellation(err) ? undefined : Promise.reject(err)));

  // Starts in batches of ids, a new batch as soon as one finishes; each activity builds the inputs from the plan
  // snapshot and skips what already runs or ran, so a batch repeated after a hand-over or a retry is harmless.
  const startedBefore = state.startedThrough;
  const inFlight = new Map<number, Promise<number>>();
  let next = state.startedThrough;
  while (next < input.deliverableIds.length || inFlight.size > 0) {
    const batches = input.startBatches ?? earlierStartBatches;
    while (inFlight.size < batches.inFlight && next < input.deliverableIds.length && !historyTooLong()) {
      const from = next;
      next = Math.min(input.deliverableIds.length, from + batches.size);
      inFlight.set(from, startDeliverables(startBatch(input.deliverableIds.slice(from, next))).then(() => from));
    }
    if (inFlight.size === 0) {
      await handOver();
      continue;
    }
    inFlight.delete(await Promise.race(inFlight.values()));
    // Everything before the earliest batch still running is started.
    state.startedThrough = Math.min(next, ...inFlight.keys());
  }
  // A plan started again after a failure learns what already closed.
  if (!carried && startedBefore === 0) await report();

  while (!allClosed()) {
    let slot: number | undefined;
    try {
      slot = nextWeeklySlot(calendar, input.sendHour, state.digestCursor);
    } catch (err) {
      if (!(err instanceof UncoveredYearError)) throw err;
    }
    const wake = () => allClosed() || historyTooLong();
    if (slot === undefined) {
      await condition(wake);
    } else if (!(await condition(wake, Math.max(1, slot - planNow())))) {
      state.digestCursor = slot;
      state.digestsSent += 1;
      await report('digest', slot);
    }
    if (!allClosed() && historyTooLong()) await handOver();
  }
  await report('final_report', planNow());
  await condition(() => reporting === 0 && allHandlersFinished());
  return view();
}

function failureMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}
