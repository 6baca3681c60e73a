/** One annex deliverable as a durable workflow: assigns, reminds, escalates and records until it is done. */
import {
  allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import type { ZodType } from 'zod';
import {
  acceptInput, acceptUpdate, acknowledgeInput, acknowledgeUpdate, cancelInput, cancelUpdate, confirmInput, confirmUpdate, deliverableChangedSignal, escalateInput,
  escalateUpdate, extensionDecisionInput, extensionDecisionUpdate, extensionRequestInput, extensionRequestUpdate,
  deliveryFailedSignal, progressInput, instructInput, instructUpdate, answerInstructionInput, answerInstructionUpdate, progressUpdate, rejectInput, rejectUpdate, statusQuery,
  carriedQuery, reviseInput, reviseUpdate, type ReopenInput,
  milestoneDoneInput, milestoneDoneUpdate, milestoneExtensionInput, milestoneExtensionUpdate, noticeRoundGraceMs, noticesDeliveredSignal,
  type ActionResult, type DeliverableInput, type DeliverableStatusView, type Notification,
} from './definitions.ts';
import { DeliverableMachine, type DeliverableState, type DueNotice } from './deliverable-machine.ts';
import { deliverNotification } from './notify-activity.ts';
import { changedAttributes, stateAttributes } from './deliverable-attributes.ts';
import { noticeSlotAttribute, unitsAttribute } from './search-attributes.ts';
import { unitFacts } from './unit-facts.ts';
import { createItemRound, createNoticePublisher, inheritedPublication, noticesAhead } from './notice-rounds.ts';
import { packNotice, publishedNotices } from './notice-packing.ts';
import { consoleFactAttributes } from './console-facts.ts';

/**
 * Marks histories whose milestone changes (a revision listing milestones, a milestone's date moved) mail their units a
 * 分解节点调整通知; those made before it mailed nothing, and replay so.
 */
const milestoneNoticesPatch = 'milestone-change-notices';

/**
 * Runs one deliverable; `carried` is the state handed over by continue-as-new, or by the closed run a `reopen`
 * starts again (a new run of the same workflow id, its history kept in the earlier runs and its log carried).
 */
export async function deliverableWorkflow(input: DeliverableInput, carried?: DeliverableState, reopen?: ReopenInput): Promise<DeliverableStatusView> {
  const planNow = () => Date.now() + input.clockOffsetMs;
  // A run whose starter queued the assignment opens at the instant the starter built it, so both tell the same time.
  const openedAt = input.assignmentQueuedAt ?? planNow();
  const machine = new DeliverableMachine(workflowInfo().workflowId, input, carried ?? DeliverableMachine.initialState(input, openedAt));
  let version = 0;
  let sending = 0;
  let planTold = false;
  // Signals to the plan not landed yet: a run started with `closesAfterTellingPlan` waits for them before it ends.
  let telling = 0;
  const tellPlan = (planWorkflowId: string) => {
    telling += 1;
    // Losing it (e.g. the plan was terminated) must not stop the deliverable.
    void getExternalWorkflowHandle(planWorkflowId).signal(deliverableChangedSignal, machine.summary())
      .catch(() => undefined)
      .finally(() => (telling -= 1));
  };
  const settled = () => sending === 0 && (input.closesAfterTellingPlan !== true || telling === 0) && allHandlersFinished();

  const send = (notices: readonly Notification[]) => {
    for (const notice of notices) {
      sending += 1;
      void deliverNotification(packNotice(notice))
        .catch((err: unknown) => {
          send(machine.deliveryFailed(notice, failureMessage(err), planNow()));
          changed();
        })
        .finally(() => (sending -= 1));
    }
  };

  // A change is one upsert (state and slot attributes together); runs started before show it as their histories do.
  const oneUpsert = input.showsInOneUpsert === true;
  const { memo, typedSearchAttributes } = workflowInfo();
  // Runs from before read their memo alone, as they always did: they clear it when they withdraw.
  const inherited = oneUpsert ? inheritedPublication(memo, typedSearchAttributes.get(noticeSlotAttribute)) : publishedNotices(memo);
  const noticesDue = createNoticePublisher(inherited);
  // The item's side of its plan's notice rounds (items started with `noticeRounds`).
  const round = createItemRound({ machine, published: () => noticesDue.due, send, changed: () => changed(), planNow });

  /**
   * Shows the item as it stands in its search attributes: its state, and (in rounds) its next notices, published
   * ahead while their instant is ahead; while a round's notices await its report, their publication stays what that
   * round may still be reading.
   */
  const show = (now = planNow(), upcoming?: readonly DueNotice[]) => {
    if (oneUpsert && round.pending === undefined) noticesDue.stage(input.noticeRounds ? noticesAhead(machine, upcoming ?? machine.upcoming(now), now) : undefined);
    const wanted: SearchAttributeUpdatePair[] = oneUpsert ? [...stateAttributes(machine), noticesDue.slotAttribute] : stateAttributes(machine);
    // Runs started before items showed the console its facts show none: their histories say so.
    if (input.showsConsoleFacts) wanted.push(...consoleFactAttributes(machine.consoleFacts));
    // Runs started before `startedWithAttributes` existed (and not since shown in one upsert) upsert every attribute
    // on every change: their histories say so.
    const upsert = oneUpsert || input.startedWithAttributes ? changedAttributes(workflowInfo().typedSearchAttributes, wanted) : wanted;
    if (upsert.length > 0) upsertSearchAttributes(upsert);
  };

  const changed = () => {
    version += 1;
    show();
    // The plan reads its aggregate from visibility; it is told only of the closure (once), which ends its year.
    if (input.planWorkflowId && machine.closed && !planTold) {
      planTold = true;
      tellPlan(input.planWorkflowId);
    }
  };

  // The run's opening comes before any handler is set: an update that arrived with the run's first task is handled
  // as soon as its handler is set, and must find the item assigned (or reopened).
  if (!carried) {
    const assignment = machine.assign(openedAt);
    // Queued by the plan's start activity (the same notice: same key), so the units' batches already hold it.
    if (input.assignmentQueuedAt === undefined) send(assignment);
  }
  if (reopen) {
    send(machine.reopen(reopen, planNow()));
    // The plan counted the item as closed: it learns that it is open again.
    if (input.planWorkflowId) tellPlan(input.planWorkflowId);
  }
  changed();
  setHandler(noticesDeliveredSignal, (report) => round.heard(report));

  // Every update answers a small result (never the full view): Temporal stores each answer in history.
  const handle = <T>(
    update: UpdateDefinition<ActionResult, [T]>, schema: ZodType<T>, check: (arg: T, now: number) => void,
    act: (arg: T, now: number) => Notification[], message: (arg: T) => string,
  ) =>
    setHandler(update, (arg) => {
      const now = planNow();
      // Whatever a round's instant mailed happened before this action.
      round.fire(now);
      send(act(arg, now));
      changed();
      // A unit's action (its input names the unit) answers with what the unit's result page shows.
      const unitId = (arg as { unitId?: unknown }).unitId;
      const facts = typeof unitId === 'string' ? { facts: unitFacts(machine.view(now), unitId) } : {};
      return { ok: true, status: machine.status, light: machine.light, message: message(arg), ...facts };
    }, {
      validator: (arg) => check(schema.parse(arg), planNow()),
    });

  handle(confirmUpdate, confirmInput, (a) => machine.checkConfirm(a), (a, now) => machine.confirm(a, now), () => '已确认完成。');
  handle(progressUpdate, progressInput, (a, now) => machine.checkProgress(a, now), (a, now) => machine.reportProgress(a, now), () => '已报告进展。');
  handle(extensionRequestUpdate, extensionRequestInput, (a, now) => machine.checkExtensionRequest(a, now), (a, now) => machine.requestExtension(a, now),
    () => `已提交，等待${input.office?.supervisor ?? '督查部门'}决定。`);
  handle(extensionDecisionUpdate, extensionDecisionInput, (a, now) => machine.checkExtensionDecision(a, now), (a, now) => machine.decideExtension(a, now),
    (a) => (a.approved ? '已同意延期。' : '已不同意延期。'));
  handle(escalateUpdate, escalateInput, () => machine.checkEscalate(), (a, now) => machine.escalate(a, now), () => '已督办。');
  handle(acceptUpdate, acceptInput, () => machine.checkAcceptOrReject(), (a, now) => machine.accept(a, now), () => '已验收通过。');
  handle(rejectUpdate, rejectInput, () => machine.checkAcceptOrReject(), (a, now) => machine.reject(a, now), () => '已退回。');
  handle(cancelUpdate, cancelInput, () => machine.checkCancel(), (a, now) => machine.cancel(a, now), () => '已撤销。');
  handle(milestoneDoneUpdate, milestoneDoneInput, (a) => machine.checkMilestoneDone(a), (a, now) => machine.completeMilestone(a, now),
    (a) => `已标记节点“${machine.input.milestones?.find((m) => m.id === a.milestoneId)?.title ?? a.milestoneId}”完成。`);
  handle(milestoneExtensionUpdate, milestoneExtensionInput, (a, now) => machine.checkMilestoneExtension(a, now),
    (a, now) => machine.extendMilestone(a, now, patched(milestoneNoticesPatch)), (a) => `节点期限已调整至${a.to}。`);
  let acknowledged = '';
  handle(acknowledgeUpdate, acknowledgeInput, (a, now) => machine.checkAcknowledge(a, now), (a, now) => ((acknowledged = machine.acknowledge(a, now)), []), () => acknowledged);
  handle(instructUpdate, instructInput, (a) => machine.checkInstruct(a), (a, now) => machine.instruct(a, now), () => '已批示，已通知责任单位。');
  handle(answerInstructionUpdate, answerInstructionInput, (a) => machine.checkAnswerInstruction(a), (a, now) => machine.answerInstruction(a, now), () => '已答复批示。');
  handle(reviseUpdate, reviseInput, (a, now) => machine.checkRevise(a, now), (a, now) => {
    // Asked only of a revision that lists milestones: a history without the notice replays without it.
    const notices = machine.revise(a, now, a.milestones !== undefined && patched(milestoneNoticesPatch));
    if (a.units) upsertSearchAttributes([{ key: unitsAttribute, value: machine.input.units.map((u) => u.unitId) }]);
    return notices;
  }, () => '已调整。');
  setHandler(statusQuery, () => machine.view(planNow()));
  setHandler(carriedQuery, () => ({ input: machine.input, state: machine.state }));
  // A notice mailed on this deliverable's behalf (the combined 交办通知) that failed for good: recorded like its own.
  setHandler(deliveryFailedSignal, (report) => {
    round.fire(planNow());
    send(machine.deliveryFailed(report, report.error, planNow()));
    changed();
  });

  while (!machine.closed) {
    // Checked on every pass, so a run that grows by updates alone (no timer firing) also hands over in time; not
    // while a round's notices await its report, which only this run would hear.
    if (round.pending === undefined && historyTooLong(input.historyLimit)) {
      await condition(settled);
      await continueAsNew<typeof deliverableWorkflow>(machine.input, machine.state);
    }
    const now = planNow();
    if (machine.catchUp(now)) changed();
    round.fire(now);
    round.settle(now);
    const seen = version;
    const upcoming = machine.upcoming(now);
    const at = upcoming[0]?.at;
    // In rounds, notices whose instant is ahead wait published for the plan's round; past it they go out from here.
    // While a round's notices await its report, their publication stays what that round may still be reading.
    if (oneUpsert) show(now, upcoming);
    else if (round.pending === undefined) noticesDue.publish(input.noticeRounds ? noticesAhead(machine, upcoming, now) : undefined);
    const roundAt = round.pending?.at ?? (at !== undefined && noticesDue.due?.at === at ? at : undefined);
    // Notices this item mails itself at their instant (not in rounds, or not published ahead).
    const ownAt = at !== roundAt ? at : undefined;
    const wakeAt = Math.min(roundAt === undefined ? Infinity : roundAt + noticeRoundGraceMs, ownAt ?? Infinity);
    // An action (confirmation, extension, …) wakes the loop early so the schedule is recomputed from the new state;
    // the round's report, so its notices are recorded (the next pass fires and settles them).
    const woken = () => version !== seen || round.reported(roundAt);
    if (wakeAt === Infinity) {
      await condition(woken);
      continue;
    }
    if (wakeAt > now && (await condition(woken, wakeAt - now))) continue;
    if (wakeAt !== ownAt) continue;
    send(machine.fire(upcoming));
    changed();
  }
  // Closed inside a round's grace: its report, or the end of the grace, still settles the notices logged as sent
  // (their publication stays until then: the round may still be reading it).
  if (round.pending !== undefined) {
    const { at } = round.pending;
    const graceLeft = at + noticeRoundGraceMs - planNow();
    if (graceLeft > 0) await condition(() => round.reported(at), graceLeft);
    round.settle(planNow(), true);
  }
  if (oneUpsert) show();
  else noticesDue.publish(undefined);
  await condition(settled);
  return machine.view();
}

// A run hands over to a fresh one (continue-as-new) long before Temporal's limits (51,200 events, 50 MB):
// at most a tenth of them, whatever the server suggests.
const defaultHistoryLimit = 2_000;
const historyBytesLimit = 2 * 1024 * 1024;

function historyTooLong(eventLimit = defaultHistoryLimit): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > eventLimit || info.historySize > historyBytesLimit;
}

function failureMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}
