/** A whole plan: starts every deliverable as a child, keeps their aggregate, sends the weekly digest and a final report. */
import {
  allHandlersFinished, condition, continueAsNew, ParentClosePolicy, setHandler, startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { DateTime } from 'luxon';
import { nextWeeklySlot } from '../domain/weekly-slots.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';
import {
  deliverableChangedSignal, deliverableWorkflowId, planStatusQuery,
  type DeliverableSummary, type Light, type Notification, type NotificationKind, type PlanStatusView, type PlanWorkflowInput,
} from './definitions.ts';
import { deliverableWorkflow } from './deliverable.ts';
import { deliverNotification } from './notify-activity.ts';
import { markStoppedDeliverables, stoppedCheckEveryMs } from './stopped-check.ts';
import { deliverableAttribute, planAttribute, unitsAttribute } from './search-attributes.ts';

/** What a plan run hands to the next one on continue-as-new (plain JSON). */
export interface PlanState {
  summaries: Record<string, DeliverableSummary>;
  started: string[];
  /** Digest slots at or before this plan-time instant are handled. */
  digestCursor: number;
  digestsSent: number;
  seq: number;
  /** Digests or reports that could not be delivered, with the reason (shown in the plan status). */
  failures?: string[];
  /** When the plan last looked for deliverables Temporal stopped (plan time). */
  stoppedCheckCursor?: number;
}

// A plan runs a year and receives a signal per deliverable change: hand over to a fresh run long before
// the history grows large, even when the server does not suggest it yet.
const defaultHistoryLimit = 2_000;

/** Runs a plan until every deliverable is closed. */
export async function planWorkflow(input: PlanWorkflowInput, carried?: PlanState): Promise<PlanStatusView> {
  const planNow = () => Date.now() + input.clockOffsetMs;
  const { workflowId } = workflowInfo();
  const calendar = new WorkingDayCalendar(input.timezone, input.calendarOverrides);
  const state: PlanState = carried ?? {
    summaries: Object.fromEntries(input.deliverables.map((d) => [d.deliverableId, {
      deliverableId: d.deliverableId, number: d.number, title: d.title, leadUnitId: d.units[0]!.unitId, leadUnitName: d.units[0]!.name,
      status: 'assigned', light: 'green', due: d.due, escalationLevel: 0,
    } satisfies DeliverableSummary])),
    started: [], digestCursor: planNow(), digestsSent: 0, seq: 0,
  };
  let sending = 0;

  const view = (): PlanStatusView => {
    const deliverables = Object.values(state.summaries).sort((a, b) => a.number - b.number);
    const counts: Record<Light, number> = { green: 0, yellow: 0, red: 0, grey: 0 };
    for (const d of deliverables) counts[d.light] += 1;
    return { planId: input.planId, title: input.title, deliverables, counts, digestsSent: state.digestsSent, failures: state.failures ?? [], finished: allClosed() };
  };
  // A deliverable Temporal stopped sends nothing more: for the plan it is closed (and shown red, 已终止/失败).
  const closedStatuses = new Set(['done', 'cancelled', 'terminated', 'failed']);
  const allClosed = () => Object.values(state.summaries).every((d) => closedStatuses.has(d.status));
  const send = (kind: NotificationKind, at: number, rows = view().deliverables) => {
    state.seq += 1;
    const notice: Notification = {
      key: `${workflowId}#${kind}-${state.seq}`, kind, planId: input.planId, workflowId, to: [input.supervisor], cc: [],
      scheduledFor: DateTime.fromMillis(at, { zone: input.timezone }).toISO()!, timezone: input.timezone,
      context: { rows }, ...(input.office ? { office: input.office } : {}),
    };
    sending += 1;
    void deliverNotification(notice)
      .catch((err: unknown) => void (state.failures ??= []).push(`${notice.scheduledFor} ${kind}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (sending -= 1));
  };

  setHandler(deliverableChangedSignal, (summary) => {
    if (state.summaries[summary.deliverableId]) state.summaries[summary.deliverableId] = summary;
  });
  setHandler(planStatusQuery, view);

  for (const deliverable of input.deliverables) {
    if (state.started.includes(deliverable.deliverableId)) continue;
    try {
      await startChild(deliverableWorkflow, {
        workflowId: deliverableWorkflowId(input.planId, deliverable.deliverableId),
        args: [{ ...deliverable, planWorkflowId: workflowId }],
        // Deliverables outlive any one run of the plan (continue-as-new) and a terminated plan.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A plan started again (after a failure or termination) must not restart deliverables that already closed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: planAttribute, value: input.planId },
          { key: deliverableAttribute, value: deliverable.deliverableId },
          { key: unitsAttribute, value: deliverable.units.map((u) => u.unitId) },
        ],
      });
    } catch (err) {
      // Started before (by an earlier run of this plan): that is the one we want.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    state.started.push(deliverable.deliverableId);
  }

  while (!allClosed()) {
    let slot: number | undefined;
    try {
      slot = nextWeeklySlot(calendar, input.sendHour, state.digestCursor);
    } catch (err) {
      if (!(err instanceof UncoveredYearError)) throw err;
    }
    // Besides the weekly digest, a weekly look for deliverables Temporal terminated or failed: they cannot say
    // so themselves, and would otherwise stay green in the digest and never be chased again.
    const checkAt = (state.stoppedCheckCursor ??= planNow()) + (input.stoppedCheckEveryMs ?? stoppedCheckEveryMs);
    const wakeAt = slot === undefined ? checkAt : Math.min(slot, checkAt);
    if (!(await condition(allClosed, Math.max(1, wakeAt - planNow())))) {
      if (planNow() >= checkAt) {
        state.stoppedCheckCursor = planNow();
        const stopped = await markStoppedDeliverables(input.planId, state.summaries);
        if (stopped.length > 0) send('deliverable_stopped', planNow(), stopped);
      }
      if (slot !== undefined && planNow() >= slot) {
        state.digestCursor = slot;
        state.digestsSent += 1;
        send('digest', slot);
      }
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? defaultHistoryLimit)) {
      await condition(() => sending === 0 && allHandlersFinished());
      await continueAsNew<typeof planWorkflow>(input, state);
    }
  }
  send('final_report', planNow());
  await condition(() => sending === 0 && allHandlersFinished());
  return view();
}
