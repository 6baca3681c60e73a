/**
 * The deliverable lifecycle as a plain state machine: schedule, actions, checks and the notices each produces.
 * Pure and deterministic (time is passed in), so the workflow only orchestrates and tests can drive it directly.
 */
import { DateTime } from 'luxon';
import { rememberingZone } from '../domain/remembering-zone.ts';
import { effectiveLadder, nextScheduledNotices, nextSendInstant, firstOverdueDay, type LadderLevel, type ScheduledNotice } from '../domain/deliverable-schedule.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { completedOnTime } from '../domain/on-time-rate.ts';
import { reportsRequired } from '../domain/report-schedule.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';
import { Acknowledgement, initialAcknowledgement, type AcknowledgementNotice, type AcknowledgementState } from './acknowledgement.ts';
import type { AttachmentRecord } from './attachment-refs.ts';
import { currentEvidence, evidenceRefusal, recordEvidence } from './completion-evidence.ts';
import { eventLogLimit, heldConfirmationLeadMs } from './definitions.ts';
import { PeriodicReports, type ReportDue, type ReportingState } from './periodic-reports.ts';
import { InstructionBook, type InstructionRecord, type InstructionReminder } from './instructions.ts';
import type {
  AcknowledgeInput, AnswerInstructionInput, InstructInput,
  AcceptInput, CancelInput, ConfirmInput, DeliverableInput, DeliverableStatus, DeliverableStatusView, DeliverableSummary,
  EscalateInput, ExtensionDecisionInput, ExtensionRequestInput, Light, LogEvent, Notification, NotificationContext,
  NotificationKind, ProgressInput, ProgressStage, Recipient, RejectInput, MilestoneDoneInput, MilestoneExtensionInput, ReopenInput, ReviseInput,
} from './definitions.ts';
import type { ItemFacts } from './console-facts.ts';
import { milestoneChangeList, milestoneChanges, reopenState, revisionNote, revisionOf, unitsTold } from './deliverable-changes.ts';
import { ruleChanges, ruleLines } from './policy-changes.ts';
import { MilestoneActionError, Milestones, type MilestoneNotice, type MilestoneState } from './milestones.ts';

/** A call the lifecycle does not allow now; rejected by the update validator, so it never enters history. */
export class InvalidActionError extends Error {
  override readonly name = 'InvalidActionError';
}

/** A unit posted more often than its limit allows; refused by the validator, so a flood leaves no history. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
}

/**
 * The same unit asked again while its request still waits for 督查室. Refused by the validator (no event, no
 * mail, no history), and callers show it as the answer it is: the request is in.
 */
export class AlreadySubmittedError extends Error {
  override readonly name = 'AlreadySubmittedError';
}

/** A unit reports progress at most once an hour: the log keeps what matters, and a script cannot flood it. */
export const progressIntervalMs = 60 * 60 * 1000;
/** A unit asks for an extension at most once an hour (each request mails 督查室). */
export const extensionRequestIntervalMs = 60 * 60 * 1000;

/** The whole state of one deliverable, plain JSON. */
export interface DeliverableState {
  phase: 'open' | 'awaiting_acceptance' | 'done' | 'cancelled';
  due: IsoDate;
  originalDue: IsoDate;
  level: number;
  overdue: boolean;
  urged: boolean;
  acted: boolean;
  confirmations: Record<string, { at: string; note?: string }>;
  lastProgress: Record<string, string>;
  /** The text of each unit's last progress report (absent in state carried over from before it was kept). */
  progressNotes?: Record<string, string>;
  pendingExtension?: { unitId: string; to: IsoDate; reason: string; at: string };
  /** Scheduled notices at or before this plan-time instant are handled. */
  cursor: number;
  /** Set when the calendar cannot place the next notice; automatic notices pause until an extension. */
  schedulePaused?: string;
  /** Counter behind every notification key. */
  seq: number;
  completedAt?: string;
  closedReason?: string;
  /** The newest log entries, at most `eventLogLimit`. */
  events: LogEvent[];
  /** Counts of the entries that fell out of `events` (absent until the log first overflows). */
  olderEvents?: { count: number; byKind: Record<string, number>; byUnit: Record<string, number> };
  /** When each unit last asked for an extension (absent in states carried over from older versions). */
  lastExtensionRequest?: Record<string, string>;
  /** The percent or stage each unit gave with its last progress report, when it gave one. */
  progressDetails?: Record<string, { percent?: number; stage?: ProgressStage }>;
  /** 定期报送 (workflows/periodic-reports.ts); absent when the policy asks for no periodic reports. */
  reporting?: ReportingState;
  /** 签收 per unit, the 催签 schedule's start and the lead's escalation hold (absent in states from before 签收). */
  acknowledgement?: AcknowledgementState;
  /** 办结材料: references to the files confirmations carried, oldest first (absent until the first). */
  attachments?: AttachmentRecord[];
  /** Leadership instructions (批示) and their answers; absent until the first one. */
  instructions?: InstructionRecord[];
  /** Each milestone's state, by id (absent when the item has no milestones: today's behaviour, old histories replay). */
  milestones?: Record<string, MilestoneState>;
  /** The 完成确认 awaiting its plan's round at `at` (`confirmationsInRounds`); absent when none waits. */
  heldConfirmation?: { at: number; context: NotificationContext };
}

/** A notice of the deliverable's own schedule, or a 催签 of its 签收 sub-machine. */
type OwnNotice = ScheduledNotice | AcknowledgementNotice;

/** The 完成确认 an item in rounds holds for the plan's next slot. */
interface HeldConfirmationDue {
  readonly kind: 'held_confirmation';
  readonly at: number;
}

/** A notice the schedule, a 催签, an unanswered 批示, a periodic report deadline or a held 完成确认 makes due. */
export type DueNotice = OwnNotice | InstructionReminder | ReportDue | HeldConfirmationDue;

const lights: Record<DeliverableStatus, Light> = {
  assigned: 'green',
  in_progress: 'green',
  awaiting_acceptance: 'green',
  due_soon: 'yellow',
  lagging: 'yellow',
  overdue: 'red',
  escalated: 'red',
  done: 'grey',
  cancelled: 'grey',
  terminated: 'red',
  failed: 'red',
};

/** Drives one deliverable; every method takes the current plan time and returns the notices to send. */
export class DeliverableMachine {
  private readonly calendar: WorkingDayCalendar;
  private ladder: LadderLevel[];
  private reports: PeriodicReports;
  private ack: Acknowledgement;
  private instructionBook: InstructionBook;

  constructor(
    readonly workflowId: string,
    // Changed only by `revise` (mid-year change of units or title); the workflow hands the changed one on.
    public input: DeliverableInput,
    readonly state: DeliverableState,
  ) {
    this.calendar = new WorkingDayCalendar(input.timezone, input.calendarOverrides);
    this.ladder = ladderOf(input);
    this.reports = new PeriodicReports(this.calendar, input.policy, input.units[0]!.unitId);
    this.instructionBook = this.instructionBookFor(input);
    this.ack = this.acknowledgementFor(input);
  }

  /** The state of a deliverable that starts at `now`. */
  static initialState(input: DeliverableInput, now: number): DeliverableState {
    return {
      phase: 'open', due: input.due, originalDue: input.due, level: 0, overdue: false, urged: false, acted: false,
      confirmations: {}, lastProgress: {}, cursor: now, seq: 0, events: [], acknowledgement: initialAcknowledgement(now),
      ...reportingOf(input, now),
      ...(input.milestones?.length ? { milestones: Milestones.initialState(input.milestones) } : {}),
    };
  }

  /** The item's status: its own, or its earliest open milestone's when that is worse (a late 方案 makes the item red). */
  get status(): DeliverableStatus {
    const own = this.ownStatus;
    return this.state.phase === 'open' ? this.milestones?.combine(own) ?? own : own;
  }

  /** The escalation level shown: the item's own, or its driving milestone's when higher. */
  get escalationLevel(): number {
    return this.state.phase === 'open' ? Math.max(this.state.level, this.milestones?.driving()?.level ?? 0) : this.state.level;
  }

  /** The milestones sub-machine over this state, or undefined when the item has none. */
  private get milestones(): Milestones | undefined {
    const states = this.state.milestones;
    return states ? new Milestones(states, { input: this.input, calendar: this.calendar, ladder: this.ladder, itemDue: this.state.due }) : undefined;
  }

  private get ownStatus(): DeliverableStatus {
    const s = this.state;
    if (s.phase !== 'open') return s.phase;
    if (s.level > 0) return 'escalated';
    if (s.overdue) return 'overdue';
    if (s.reporting?.lagging) return 'lagging';
    if (s.urged) return 'due_soon';
    return s.acted ? 'in_progress' : 'assigned';
  }

  /** The traffic light of the current status. */
  get light(): Light {
    return lights[this.status];
  }

  get closed(): boolean {
    return this.state.phase === 'done' || this.state.phase === 'cancelled';
  }

  /** What the console counts of this item without asking it: who has signed for it (签收), its unanswered 批示. */
  get consoleFacts(): ItemFacts {
    const waiting = new Set(this.ack.unacknowledged().map((u) => u.unitId));
    return { acknowledged: this.input.units.map((u) => u.unitId).filter((unitId) => !waiting.has(unitId)), openInstructions: this.instructionBook.openCount };
  }

  /** True while automatic reminders and escalations run. */
  get scheduling(): boolean {
    return this.state.phase === 'open' && this.state.schedulePaused === undefined;
  }

  /** The due date after moving off a day off. */
  get effectiveDue(): IsoDate {
    return this.calendar.onOrAfter(this.state.due);
  }

  // ---- the schedule ----

  /** The next automatic notices, or an empty list; pauses the schedule (with an event) if the calendar runs out. */
  upcoming(now: number): DueNotice[] {
    // Held only while the item awaits acceptance, when its own schedule is at rest: the held notice is all there is.
    const held = this.state.heldConfirmation;
    if (held !== undefined) return [{ kind: 'held_confirmation', at: held.at }];
    if (!this.scheduling) return [];
    try {
      return earliestOf(this.scheduledAfterCursor(), [...this.instructionBook.nextReminders(), ...this.reportDues()]);
    } catch (err) {
      if (!(err instanceof UncoveredYearError)) throw err;
      this.state.schedulePaused = err.message;
      this.log(now, { type: 'failure', what: 'schedule_paused', note: err.message });
      return [];
    }
  }

  /**
   * Brings the status in line with the clock when the item started (or resumed) late: past its due date it is
   * overdue at once, though the notice itself waits for the next send slot. Returns whether anything changed.
   */
  catchUp(now: number): boolean {
    const milestones = this.scheduling && (this.milestones?.catchUp(now) ?? false);
    return this.catchUpOwn(now) || milestones;
  }

  private catchUpOwn(now: number): boolean {
    if (!this.scheduling || this.state.overdue) return false;
    try {
      if (now < this.calendar.instantAt(firstOverdueDay(this.calendar, this.state.due), this.input.policy.sendHour)) return false;
    } catch {
      return false;
    }
    this.state.overdue = true;
    return true;
  }

  /** The notices {@link fire} would send now, this machine left as it is (a copy of it fires them): the same keys and text. */
  preview(all: readonly DueNotice[]): Notification[] {
    return new DeliverableMachine(this.workflowId, this.input, JSON.parse(JSON.stringify(this.state)) as DeliverableState).fire(all);
  }

  /** Sends the notices due at their instant and moves the cursor past it. */
  fire(all: readonly DueNotice[]): Notification[] {
    const out: Notification[] = [];
    const notices = all.filter((n) => !('milestoneId' in n));
    const ofMilestones = all.filter((n): n is MilestoneNotice => 'milestoneId' in n);
    if (ofMilestones.length > 0) {
      for (const n of ofMilestones) this.state.cursor = Math.max(this.state.cursor, n.at);
      out.push(...this.milestones!.fire(ofMilestones).map((d) => this.notify(d.at, d.kind, d.to, d.cc, d.context)));
    }
    // An escalation at the same instant carries the overdue news: each unit gets one mail, not 超期 and 督办 apart.
    const escalating = notices.some((n) => n.kind === 'escalation');
    for (const notice of notices) {
      if (notice.kind === 'held_confirmation') {
        out.push(...this.releaseHeldConfirmation(notice.at));
        continue;
      }
      if (notice.kind === 'report_due') {
        out.push(...this.reportDeadline(notice.at));
        continue;
      }
      // A 批示 reminder counts per 批示 and leaves the schedule's cursor alone.
      if (notice.kind === 'instruction_reminder') {
        out.push(...this.remindInstruction(notice));
        continue;
      }
      this.state.cursor = Math.max(this.state.cursor, notice.at);
      if (notice.kind === 'acknowledgement_reminder') {
        // From the second 催签 on, the supervisor is copied: someone should pick up the phone.
        out.push(this.notify(notice.at, 'acknowledgement_reminder', this.ack.unacknowledged(), notice.round > 1 ? [this.input.supervisor] : [], {
          round: notice.round, workingDaysSinceAssignment: notice.workingDaysSinceAssignment,
        }));
      } else if (notice.kind === 'reminder') {
        if (notice.stage === '催办') this.state.urged = true;
        out.push(this.notify(notice.at, 'reminder', this.unconfirmedUnits(), [], { stage: notice.stage, workingDaysLeft: notice.workingDaysLeft }));
      } else if (notice.kind === 'overdue') {
        this.state.overdue = true;
        if (escalating) continue;
        out.push(this.notify(notice.at, 'overdue', this.unconfirmedUnits(), [this.input.supervisor], { workingDaysOverdue: notice.workingDaysOverdue }));
      } else {
        const merged = notices.some((n) => n.kind === 'overdue');
        out.push(this.raiseTo(notice.at, notice.level, { manual: false, workingDaysOverdue: notice.workingDaysOverdue }, merged ? [this.input.supervisor] : []));
      }
    }
    return out;
  }

  /** The assignment notice (交办通知) to every responsible unit. */
  assign(now: number): Notification[] {
    return [this.notify(now, 'assignment', this.input.units, [], {})];
  }

  // ---- checks (run by update validators: a failing check leaves no trace in history) ----

  checkConfirm({ unitId, attachments }: ConfirmInput): void {
    this.requireUnit(unitId);
    if (this.state.phase === 'awaiting_acceptance' || this.closed) throw new InvalidActionError(`${this.describePhase()}，无需再次确认 (already confirmed)`);
    if (this.state.confirmations[unitId]) throw new InvalidActionError(`${this.unitName(unitId)}已确认完成 (already confirmed)`);
    const refused = evidenceRefusal(this.state, attachments);
    if (refused) throw new InvalidActionError(refused);
  }

  checkProgress({ unitId }: ProgressInput, now: number): void {
    this.requireUnit(unitId);
    this.requireOpen();
    this.requireInterval(this.state.lastProgress[unitId], progressIntervalMs, now, '报告进展', 'progress reports are limited to one per unit per hour');
  }

  /** The plan's own supervisor (督查室, 督查处 …); a neutral word for inputs recorded before plans carried names. */
  private get supervisorName(): string {
    return this.input.office?.supervisor ?? '督查部门';
  }

  checkExtensionRequest({ unitId, to }: ExtensionRequestInput, now: number): void {
    this.requireUnit(unitId);
    this.requireOpen();
    const pending = this.state.pendingExtension;
    if (pending?.unitId === unitId) {
      throw new AlreadySubmittedError(`延期申请（至${pending.to}）已提交，等待${this.supervisorName}决定 (already submitted, awaiting the supervisor's decision)`);
    }
    this.requireInterval(this.state.lastExtensionRequest?.[unitId], extensionRequestIntervalMs, now, '申请延期', 'extension requests are limited to one per unit per hour');
    this.requireFutureDate(to, now);
    if (to <= this.state.due) throw new InvalidActionError(`申请的期限 ${to} 不晚于当前期限 ${this.state.due}`);
  }

  checkExtensionDecision({ approved, to }: ExtensionDecisionInput, now: number): void {
    this.requireOpen();
    if (!this.state.pendingExtension && !(approved && to)) throw new InvalidActionError('没有待审批的延期申请；直接延期须给出新期限');
    if (approved) {
      const target = to ?? this.state.pendingExtension!.to;
      this.requireFutureDate(target, now);
      if (target === this.state.due) throw new InvalidActionError(`新期限 ${target} 与当前期限相同`);
    }
  }

  checkEscalate(): void {
    this.requireOpen();
  }

  checkAcceptOrReject(): void {
    if (this.state.phase !== 'awaiting_acceptance') throw new InvalidActionError(`${this.describePhase()}，尚无待验收的完成确认 (nothing to accept or reject)`);
  }

  checkAcknowledge(input: AcknowledgeInput, now: number): void {
    this.requireUnit(input.unitId);
    this.ack.check(input, now);
  }

  checkCancel(): void {
    if (this.closed) throw new InvalidActionError(`${this.describePhase()}，不能撤销`);
  }

  checkRevise({ units, title, milestones, policy, escalation }: ReviseInput, now: number): void {
    if (this.closed) throw new InvalidActionError(`${this.describePhase()}，不能调整；请先重新打开`);
    const sameUnits = !units || units.map((u) => u.unitId).join() === this.input.units.map((u) => u.unitId).join();
    // A kept milestone's date is not the revision's to move (extendMilestone moves it, its ladder restarting).
    const sameMilestones = !milestones || milestoneChanges(this.input.milestones ?? [], milestones, { before: this.input.units, after: units ?? this.input.units }).length === 0;
    const sameRules = (!policy && !escalation)
      || ruleChanges(this.input, { policy: policy ?? this.input.policy, escalation: escalation ?? this.input.escalation }).length === 0;
    if (sameUnits && (title === undefined || title === this.input.title) && sameMilestones && sameRules) {
      throw new InvalidActionError('责任单位、标题、分解节点和提醒督办规则均无变化 (nothing to change)');
    }
    if (!sameMilestones) this.checkMilestoneRevision(milestones!, units ?? this.input.units, now);
    // Awaiting 验收, the rules that brought it there (who confirms, whether 督查室 accepts) are not changed under it.
    if (!sameRules && this.state.phase !== 'open') throw new InvalidActionError(`${this.describePhase()}，不能调整提醒与督办规则`);
  }

  /** Milestones listed by a revision: units among the item's; a new one dated after today, by the item's date. */
  private checkMilestoneRevision(listed: NonNullable<ReviseInput['milestones']>, units: readonly Recipient[], now: number): void {
    if (this.state.phase !== 'open') throw new InvalidActionError(`${this.describePhase()}，不能调整分解节点`);
    const onItem = new Set(units.map((u) => u.unitId));
    const had = new Set((this.input.milestones ?? []).map((m) => m.id));
    for (const m of listed) {
      const stranger = m.units?.find((u) => !onItem.has(u.unitId));
      if (stranger) throw new InvalidActionError(`节点“${m.title}”的单位${stranger.name}不是事项的责任单位 (not a unit of the item)`);
      if (had.has(m.id)) continue;
      // A new milestone starts its own schedule: a date already past would have it overdue and escalated at once.
      this.requireFutureDate(m.due, now);
      if (this.calendar.onOrAfter(m.due) > this.effectiveDue) {
        throw new InvalidActionError(`节点“${m.title}”的期限 ${m.due} 晚于事项办理期限 ${this.effectiveDue}；请先延长事项期限 (after the item's due date)`);
      }
    }
  }

  /** Reopening needs a closed item and a future date the calendar covers (checked before the new run starts). */
  checkReopen({ due }: ReopenInput, now: number): void {
    if (!this.closed) throw new InvalidActionError(`${this.describePhase()}，无需重新打开 (not closed)`);
    this.requireFutureDate(due, now);
  }

  // ---- actions (run by update handlers after their checks passed) ----

  confirm({ unitId, note, attachments }: ConfirmInput, now: number): Notification[] {
    this.state.confirmations[unitId] = { at: this.iso(now), note };
    this.ack.acted(unitId, now);
    recordEvidence(this.state, unitId, this.iso(now), attachments);
    this.state.acted = true;
    this.log(now, { type: 'action', what: 'confirm', by: unitId, note, ...(attachments?.length ? { attachments } : {}) });
    return this.completeIfReached(now, unitId, note);
  }

  /** Completion once the confirmations the policy needs are in: awaiting acceptance, or closed. */
  private completeIfReached(now: number, unitId: string, note: string | undefined): Notification[] {
    if (!this.completionReached()) return [];
    this.state.completedAt = this.iso(now);
    this.milestones?.closeWithItem(this.iso(now));
    if (this.input.policy.acceptanceRequired) {
      this.state.phase = 'awaiting_acceptance';
      const evidence = currentEvidence(this.state);
      const context = { unitId, reason: note, ...(evidence.length ? { attachments: evidence } : {}) };
      const slot = this.roundSlotFor(now);
      if (slot === undefined) return [this.notify(now, 'confirmation', [this.input.supervisor], [], context)];
      this.state.heldConfirmation = { at: slot, context: { ...context, confirmedAt: this.iso(now) } };
      return [];
    }
    return this.close(now, 'done', '已办结');
  }

  /**
   * The plan's send slot a 完成确认 waits for (`confirmationsInRounds`): the first far enough ahead for the round to
   * find it published. `undefined` (mail it now) for items not in rounds, and when the calendar cannot place the slot.
   */
  private roundSlotFor(now: number): number | undefined {
    if (!this.input.noticeRounds || !this.input.confirmationsInRounds) return undefined;
    try {
      return nextSendInstant(this.calendar, this.input.policy.sendHour, now + heldConfirmationLeadMs);
    } catch (err) {
      if (err instanceof UncoveredYearError) return undefined;
      throw err;
    }
  }

  /** The held 完成确认, now at its round's slot: recorded and mailed as the slot's notice. */
  private releaseHeldConfirmation(at: number): Notification[] {
    const held = this.state.heldConfirmation;
    if (held === undefined) return [];
    delete this.state.heldConfirmation;
    return [this.notify(at, 'confirmation', [this.input.supervisor], [], held.context)];
  }

  reportProgress({ unitId, note, percent, stage }: ProgressInput, now: number): Notification[] {
    this.state.lastProgress[unitId] = this.iso(now);
    (this.state.progressNotes ??= {})[unitId] = note;
    if (percent !== undefined || stage !== undefined || this.state.progressDetails?.[unitId]) {
      (this.state.progressDetails ??= {})[unitId] = { ...(percent === undefined ? {} : { percent }), ...(stage === undefined ? {} : { stage }) };
    }
    this.reports.reported(this.state.reporting, unitId, now);
    this.ack.acted(unitId, now);
    this.state.acted = true;
    this.log(now, { type: 'action', what: 'progress', by: unitId, note });
    return [];
  }

  requestExtension({ unitId, to, reason }: ExtensionRequestInput, now: number): Notification[] {
    this.state.pendingExtension = { unitId, to, reason, at: this.iso(now) };
    (this.state.lastExtensionRequest ??= {})[unitId] = this.iso(now);
    this.ack.acted(unitId, now);
    this.state.acted = true;
    this.log(now, { type: 'action', what: 'extension_request', by: unitId, note: `${to}: ${reason}` });
    return [this.notify(now, 'extension_request', [this.input.supervisor], [], { unitId, requestedDue: to, reason })];
  }

  decideExtension({ approved, to, reason, by }: ExtensionDecisionInput, now: number): Notification[] {
    const requested = this.state.pendingExtension?.to;
    const previousDue = this.state.due;
    this.state.pendingExtension = undefined;
    if (approved) {
      this.state.due = to ?? requested!;
      this.milestones?.followItem(previousDue, this.state.due);
      // A new due date rebuilds the schedule from now: the item is on time again and the ladder starts over.
      Object.assign(this.state, { overdue: false, urged: false, level: 0, cursor: now, schedulePaused: undefined });
      this.ack.endHold();
    }
    this.log(now, { type: 'action', what: approved ? 'extension_approved' : 'extension_denied', by, note: approved ? `${previousDue} → ${this.state.due}: ${reason}` : reason });
    return [this.notify(now, 'extension_decision', this.input.units, [this.input.supervisor], { approved, reason, by, requestedDue: requested ?? to, previousDue })];
  }

  escalate({ remark, by }: EscalateInput, now: number): Notification[] {
    const next = this.ladder.find((l) => l.level > this.state.level) ?? this.ladder.at(-1)!;
    this.log(now, { type: 'action', what: 'escalate', by, note: remark });
    this.ack.endHold();
    return [this.raiseTo(now, next.level, { manual: true, remark, by })];
  }

  /** 签收 (and, for the lead on an overdue item, the hold on automatic escalation); returns the answer to show. */
  acknowledge(input: AcknowledgeInput, now: number): string {
    return this.ack.acknowledge(input, now);
  }

  accept({ by, note }: AcceptInput, now: number): Notification[] {
    this.log(now, { type: 'action', what: 'accept', by, note });
    return this.close(now, 'done', note ?? '验收通过');
  }

  reject({ by, reason }: RejectInput, now: number): Notification[] {
    // 督查室 decided before the round told it: the held 完成确认 has nothing left to ask.
    delete this.state.heldConfirmation;
    this.state.phase = 'open';
    this.state.confirmations = {};
    this.state.completedAt = undefined;
    this.milestones?.reopenWithItem();
    // Notices that fell due while awaiting acceptance are not sent late; the schedule resumes from now.
    this.state.cursor = Math.max(this.state.cursor, now);
    this.reports.resume(this.state.reporting, now);
    this.log(now, { type: 'action', what: 'reject', by, note: reason });
    return [this.notify(now, 'rejection', this.input.units, [this.input.supervisor], { reason, by })];
  }

  cancel({ by, reason }: CancelInput, now: number): Notification[] {
    this.log(now, { type: 'action', what: 'cancel', by, note: reason });
    return this.close(now, 'cancelled', reason);
  }

  /**
   * 督查室 changes the responsible units (the first leads), the title or the milestones of an open item: added units
   * get the 交办通知, units that leave (and, when the lead changes, every unit) a 责任单位调整通知, and the other units
   * of a milestone added, removed, renamed or re-assigned a 分解节点调整通知 (unless `tellsMilestoneUnits` is false: a
   * run replaying a revision made before that notice existed). Removed units' confirmations no longer count; progress
   * reports stay in the log.
   */
  revise(change: ReviseInput, now: number, tellsMilestoneUnits = true): Notification[] {
    const previous = this.input;
    const before = previous.units;
    const { input, added, removed, leadChanged } = revisionOf(this.input, change);
    this.input = input;
    if (change.milestones) this.state.milestones = Milestones.revisedState(this.state.milestones, input.milestones);
    this.ladder = ladderOf(input);
    this.reports = new PeriodicReports(this.calendar, input.policy, input.units[0]!.unitId);
    this.instructionBook = this.instructionBookFor(input);
    this.ack = this.acknowledgementFor(input);
    for (const unit of removed) delete this.state.confirmations[unit.unitId];
    this.log(now, { type: 'action', what: 'revise', by: change.by, note: revisionNote(previous, input, change) });
    const told = leadChanged ? [...removed, ...input.units.filter((u) => !added.includes(u))] : removed;
    const milestonesChanged = change.milestones && tellsMilestoneUnits ? milestoneChangeList(previous.milestones ?? [], input.milestones ?? [], { before: previous.units, after: input.units }) : [];
    // A unit that joins reads the milestones in its 交办通知; one told of the new units reads them there.
    const toldOtherwise = new Set([...added, ...told].map((u) => u.unitId));
    const toldOfMilestones = unitsTold(previous, input, milestonesChanged).filter((u) => !toldOtherwise.has(u.unitId));
    const notices = [
      ...(added.length > 0 ? [this.notify(now, 'assignment', added, [], { reason: change.reason })] : []),
      ...(told.length > 0 ? [this.notify(now, 'units_changed', told, [], { reason: change.reason, by: change.by, previousUnits: before })] : []),
      ...(toldOfMilestones.length > 0
        ? [this.notify(now, 'milestones_changed', toldOfMilestones, [], { reason: change.reason, by: change.by, milestoneChanges: milestonesChanged.map((c) => c.text) })]
        : []),
    ];
    // Removing the one unit still to confirm completes the item: every remaining unit has confirmed.
    const last = Object.entries(this.state.confirmations).sort(([, a], [, b]) => (a.at < b.at ? 1 : -1))[0];
    if (this.state.phase === 'open' && last) notices.push(...this.completeIfReached(now, last[0], last[1].note));
    return notices;
  }

  /** The first step of a reopened run: open again until the new due date, the schedule from now, the units told. */
  reopen(change: ReopenInput, now: number): Notification[] {
    const previous = this.state.closedReason;
    Object.assign(this.state, reopenState(change.due, now));
    // Reports are counted afresh from the reopening, as after a rejection.
    this.reports.resume(this.state.reporting, now);
    this.log(now, { type: 'action', what: 'reopen', by: change.by, note: `${previous ? `（原：${previous}）` : ''}${change.reason}；新期限 ${change.due}` });
    return [this.notify(now, 'reopened', this.input.units, [this.input.supervisor], { reason: change.reason, by: change.by })];
  }

  checkMilestoneDone(input: MilestoneDoneInput): void {
    if (input.unitId !== undefined) this.requireUnit(input.unitId);
    this.requireOpen();
    this.milestoneCheck(() => this.requireMilestones().checkDone(input));
  }

  checkMilestoneExtension(input: MilestoneExtensionInput, now: number): void {
    this.requireOpen();
    this.milestoneCheck(() => this.requireMilestones().checkExtension(input, this.calendar.dateOf(now)));
  }

  /** A milestone is done: its notices stop; nothing is mailed (the console and the log show it). */
  completeMilestone(input: MilestoneDoneInput, now: number): Notification[] {
    const milestones = this.requireMilestones();
    milestones.done(input, this.iso(now));
    if (input.unitId) this.ack.acted(input.unitId, now);
    this.state.acted = true;
    this.log(now, { type: 'action', what: 'milestone_done', by: input.unitId ?? input.by, note: `${milestones.title(input.milestoneId)}${input.note ? `: ${input.note}` : ''}` });
    return [];
  }

  /**
   * 督查室 moves a milestone's date: its schedule is rebuilt from now (as an item's is on an extension), and its units get a 分解节点调整通知
   * (unless `tellsMilestoneUnits` is false: a run replaying a move made before that notice existed).
   */
  extendMilestone(input: MilestoneExtensionInput, now: number, tellsMilestoneUnits = true): Notification[] {
    const milestones = this.requireMilestones();
    const previous = milestones.extend(input);
    this.state.cursor = Math.max(this.state.cursor, now);
    const title = milestones.title(input.milestoneId);
    this.log(now, { type: 'action', what: 'milestone_extended', by: input.by, note: `${title} ${previous} → ${input.to}: ${input.reason}` });
    if (!tellsMilestoneUnits) return [];
    const moved = `节点“${title}”期限由 ${previous} 调整为 ${input.to}`;
    return [this.notify(now, 'milestones_changed', milestones.unitsOf(input.milestoneId), [], { reason: input.reason, by: input.by, milestoneChanges: [moved] })];
  }

  checkInstruct(input: InstructInput): void {
    if (this.closed) throw new InvalidActionError(`${this.describePhase()}，不能再批示 (closed)`);
    this.instructionBook.checkInstruct(input);
  }

  /** A 批示: recorded, logged, and mailed to every responsible unit with a copy to the supervisor. */
  instruct(input: InstructInput, now: number): Notification[] {
    const record = this.instructionBook.create(input, this.iso(now));
    (this.state.instructions ??= []).push(record);
    this.log(now, { type: 'action', what: 'instruct', by: input.by, note: input.text });
    return [this.notify(now, 'instruction', this.input.units, [this.input.supervisor], { by: input.by, instruction: { id: record.id, by: record.by, at: record.at, text: record.text } })];
  }

  checkAnswerInstruction(input: AnswerInstructionInput): void {
    this.requireUnit(input.unitId);
    this.instructionBook.checkAnswer(input);
  }

  /** A unit's answer to a 批示: recorded, logged, and mailed to the supervisor (leadership reads it in the console). */
  answerInstruction({ unitId, instructionId, text }: AnswerInstructionInput, now: number): Notification[] {
    const record = this.instructionBook.checkAnswer({ unitId, instructionId, text });
    record.answers[unitId] = { at: this.iso(now), text };
    this.log(now, { type: 'action', what: 'answer_instruction', by: unitId, note: text });
    return [this.notify(now, 'instruction_answer', [this.input.supervisor], [], {
      unitId, instruction: { id: record.id, by: record.by, at: record.at, text: record.text, answer: text },
    })];
  }

  /** Records that a notice could not be delivered, and tells 督查室 (unless that notice was itself such a report). */
  deliveryFailed(failed: Pick<Notification, 'key' | 'kind' | 'to'>, error: string, now: number): Notification[] {
    this.log(now, { type: 'failure', what: failed.kind, to: failed.to.map((r) => r.unitId), note: error });
    if (failed.kind === 'delivery_failure') return [];
    return [this.notify(now, 'delivery_failure', [this.input.supervisor], [], { failedKind: failed.kind, failedKey: failed.key, error })];
  }

  // ---- views ----

  view(now?: number): DeliverableStatusView {
    const s = this.state;
    const leadId = this.input.units[0]!.unitId;
    const next = this.scheduling ? this.peek() : undefined;
    const held = s.heldConfirmation;
    return {
      workflowId: this.workflowId, planId: this.input.planId, deliverableId: this.input.deliverableId, number: this.input.number,
      title: this.input.title, status: this.status, light: this.light, due: this.effectiveDue,
      // Both dates as working days, so a due date that merely moved off a weekend does not read as extended.
      originalDue: this.calendar.onOrAfter(s.originalDue),
      escalationLevel: this.escalationLevel,
      units: this.input.units.map((u) => ({
        unitId: u.unitId, name: u.name, lead: u.unitId === leadId,
        confirmedAt: s.confirmations[u.unitId]?.at, note: s.confirmations[u.unitId]?.note, lastProgress: s.lastProgress[u.unitId],
        lastProgressNote: s.progressNotes?.[u.unitId], acknowledgedAt: this.ack.acknowledgedAt(u.unitId),
        lastProgressPercent: s.progressDetails?.[u.unitId]?.percent, lastProgressStage: s.progressDetails?.[u.unitId]?.stage,
      })),
      pendingExtension: s.pendingExtension, closedReason: s.closedReason, events: s.events, olderEvents: s.olderEvents,
      completion: this.input.policy.completion, office: this.input.office, attachments: s.attachments, instructions: this.instructionBook.view(),
      ...(this.milestones ? { milestones: this.milestones.views({ status: this.ownStatus, level: s.level }) } : {}),
      // Awaiting acceptance, the next notice is the 完成确认 held for the plan's round: 督查室 sees when it goes out.
      nextNotice: held ? { kind: 'confirmation', at: this.iso(held.at) } : next ? { kind: next.kind, at: this.iso(next.at) } : undefined,
      ...(this.input.itemKind ? { itemKind: this.input.itemKind } : {}),
      rules: ruleLines(this.input),
      ...(s.reporting ? { reporting: this.reportingView(s.reporting) } : {}),
      ...(this.input.clockOffsetMs ? { clockOffsetMs: this.input.clockOffsetMs } : {}),
      ...this.ack.view(now ?? s.cursor),
    };
  }

  summary(): DeliverableSummary {
    const onTime = this.state.completedAt === undefined ? undefined : completedOnTime(this.calendar.dateOf(DateTime.fromISO(this.state.completedAt).toMillis()), this.effectiveDue);
    return {
      deliverableId: this.input.deliverableId, number: this.input.number, title: this.input.title, leadUnitId: this.input.units[0]!.unitId, leadUnitName: this.input.units[0]!.name,
      status: this.status, light: this.light, due: this.effectiveDue, escalationLevel: this.escalationLevel, onTime,
      latestProgress: this.latestProgress(),
      ...(this.input.itemKind ? { itemKind: this.input.itemKind } : {}),
    };
  }

  /** The newest progress report of any unit, its text cut short: the plan keeps one per deliverable. */
  private latestProgress(): DeliverableSummary['latestProgress'] {
    const [unitId, at] = Object.entries(this.state.lastProgress).sort(([, a], [, b]) => (a < b ? 1 : a > b ? -1 : 0))[0] ?? [];
    const note = unitId ? this.state.progressNotes?.[unitId] : undefined;
    if (!unitId || !at || note === undefined) return undefined;
    return { unitName: this.unitName(unitId), at, note: note.length > 200 ? `${note.slice(0, 199)}…` : note, ...this.state.progressDetails?.[unitId] };
  }


  // ---- internals ----

  /** The next report deadline as a list (empty when the item reports on no schedule). */
  private reportDues(): ReportDue[] {
    const due = this.reports.next(this.state.reporting);
    return due ? [due] : [];
  }

  /** A report deadline passed: a 催报 to the lead when its report is missing. */
  private reportDeadline(at: number): Notification[] {
    const reporting = this.state.reporting;
    if (!reporting) return [];
    const outcome = this.reports.deadline(reporting, at);
    if (!outcome.remind) return [];
    return [this.notify(at, 'report_reminder', [this.input.units[0]!], [], {
      reportCadence: this.reports.cadence, reportsMissed: outcome.missed,
      ...(outcome.lastReport === undefined ? {} : { lastReportAt: this.iso(outcome.lastReport) }),
    })];
  }

  private reportingView(reporting: ReportingState): NonNullable<DeliverableStatusView['reporting']> {
    let next: ReportDue | undefined;
    try {
      next = this.scheduling ? this.reports.next(reporting) : undefined;
    } catch {
      next = undefined;
    }
    return {
      cadence: this.reports.cadence, lagging: reporting.lagging, missed: reporting.missed,
      ...(next ? { nextDeadline: this.iso(next.at) } : {}),
      ...(reporting.lastReport === undefined ? {} : { lastReportAt: this.iso(reporting.lastReport) }),
    };
  }

  private remindInstruction({ at, instructionId }: InstructionReminder): Notification[] {
    const record = this.state.instructions?.find((r) => r.id === instructionId);
    if (!record) return [];
    record.reminders += 1;
    const to = this.instructionBook.unanswering(record).map((id) => this.input.units.find((u) => u.unitId === id)!);
    return [this.notify(at, 'instruction', to, [this.input.supervisor], {
      by: record.by, instruction: { id: record.id, by: record.by, at: record.at, text: record.text, reminder: record.reminders },
    })];
  }

  private scheduledAfterCursor(): OwnNotice[] {
    const after = this.state.cursor;
    const escalationNotBefore = this.ack.escalationNotBefore(after);
    const scheduled: OwnNotice[] = nextScheduledNotices(
      { calendar: this.calendar, due: this.state.due, policy: this.input.policy, ladder: this.ladder, currentLevel: this.state.level, ...(escalationNotBefore ? { escalationNotBefore } : {}) },
      after,
    );
    // A 催签 joins the schedule's earliest instant, or comes alone when it is earlier.
    const reminder = this.ack.nextReminder(after);
    const own = !reminder || reminder.at > scheduled[0]!.at ? scheduled : reminder.at === scheduled[0]!.at ? [reminder, ...scheduled] : [reminder];
    return withMilestoneNotices(own, this.milestones?.upcoming(after) ?? []);
  }

  private requireMilestones(): Milestones {
    const milestones = this.milestones;
    if (!milestones) throw new InvalidActionError('本事项没有分解节点 (no milestones)');
    return milestones;
  }

  private milestoneCheck(check: () => void): void {
    try {
      check();
    } catch (err) {
      if (err instanceof MilestoneActionError) throw new InvalidActionError(err.message);
      throw err;
    }
  }

  private peek(): OwnNotice | undefined {
    try {
      return this.scheduledAfterCursor()[0];
    } catch {
      return undefined;
    }
  }

  private raiseTo(now: number, level: number, context: NotificationContext, alsoCopied: readonly Recipient[] = []): Notification {
    this.state.level = Math.max(this.state.level, level);
    const rung = this.input.escalation.find((l) => l.level === level)!;
    const cc = [...rung.recipients, ...alsoCopied.filter((r) => !rung.recipients.some((c) => c.unitId === r.unitId))];
    return this.notify(now, 'escalation', this.unconfirmedUnits(), cc, { ...context, level, levelLabel: rung.label });
  }

  private close(now: number, phase: 'done' | 'cancelled', reason: string): Notification[] {
    // Accepted or cancelled before the round: nobody is left to ask for acceptance.
    delete this.state.heldConfirmation;
    this.state.phase = phase;
    this.state.closedReason = reason;
    return [this.notify(now, phase === 'done' ? 'completion' : 'cancellation', this.input.units, [this.input.supervisor], { reason, approved: phase === 'done' ? true : undefined })];
  }

  private completionReached(): boolean {
    const confirmed = (u: Recipient) => this.state.confirmations[u.unitId] !== undefined;
    return this.input.policy.completion === 'lead' ? confirmed(this.input.units[0]!) : this.input.units.every(confirmed);
  }

  private unconfirmedUnits(): Recipient[] {
    const open = this.input.units.filter((u) => !this.state.confirmations[u.unitId]);
    return open.length > 0 ? open : [...this.input.units];
  }

  private notify(at: number, kind: NotificationKind, to: readonly Recipient[], cc: readonly Recipient[], context: NotificationContext): Notification {
    this.state.seq += 1;
    const scheduledFor = this.iso(at);
    this.record({
      at: scheduledFor, type: 'notice', what: kind, to: [...new Set([...to, ...cc].map((r) => r.unitId))],
      ...(context.milestone ? { note: `节点：${context.milestone.title}` } : {}),
    });
    const lead = this.input.units[0]!;
    return {
      key: `${this.workflowId}#${this.state.seq}`, kind, planId: this.input.planId, workflowId: this.workflowId,
      deliverable: {
        id: this.input.deliverableId, number: this.input.number, title: this.input.title, taskTitle: this.input.taskTitle, due: this.effectiveDue, leadUnitId: lead.unitId, units: this.input.units,
        completion: this.input.policy.completion, ...(this.input.itemKind ? { itemKind: this.input.itemKind } : {}),
        ...(this.input.policy.acknowledgementPausesEscalation ? { escalationHoldDays: this.input.policy.acknowledgementPausesEscalation } : {}),
        ...(this.state.milestones ? { milestones: this.milestones!.openForNotice() } : {}),
      },
      to, cc: cc.filter((c) => !to.some((t) => t.unitId === c.unitId)), scheduledFor, timezone: this.input.timezone, context,
      ...(this.input.office ? { office: this.input.office } : {}),
    };
  }

  private log(now: number, event: Omit<LogEvent, 'at'>): void {
    this.record({ at: this.iso(now), ...event });
  }

  /** Appends to the log; the oldest entries beyond the limit are folded into counts, so state and history stay bounded. */
  private record(event: LogEvent): void {
    const events = this.state.events;
    events.push(event);
    if (events.length <= eventLogLimit) return;
    const older = (this.state.olderEvents ??= { count: 0, byKind: {}, byUnit: {} });
    for (const dropped of events.splice(0, events.length - eventLogLimit)) {
      older.count += 1;
      const kind = `${dropped.type}:${dropped.what}`;
      older.byKind[kind] = (older.byKind[kind] ?? 0) + 1;
      if (dropped.by) older.byUnit[dropped.by] = (older.byUnit[dropped.by] ?? 0) + 1;
    }
  }

  /** Refuses a post that comes sooner than `intervalMs` after the unit's last one. */
  private requireInterval(last: string | undefined, intervalMs: number, now: number, action: string, english: string): void {
    if (last === undefined) return;
    const lastMs = DateTime.fromISO(last).toMillis();
    if (now - lastMs >= intervalMs) return;
    const clock = (ms: number) => DateTime.fromMillis(ms, { zone: rememberingZone(this.input.timezone) }).toFormat('M月d日 HH:mm');
    throw new RateLimitedError(`本单位已于 ${clock(lastMs)} ${action}，每小时至多一次，请于 ${clock(lastMs + intervalMs)} 后再试 (${english})`);
  }

  private iso(epochMillis: number): string {
    return DateTime.fromMillis(epochMillis, { zone: rememberingZone(this.input.timezone) }).toISO()!;
  }

  private requireUnit(unitId: string): void {
    if (!this.input.units.some((u) => u.unitId === unitId)) throw new InvalidActionError(`单位“${unitId}”不是本事项的责任单位 (not a responsible unit)`);
  }

  private requireOpen(): void {
    if (this.state.phase !== 'open') throw new InvalidActionError(`${this.describePhase()}，不能再办理此操作`);
  }

  private requireFutureDate(date: IsoDate, now: number): void {
    if (date <= this.calendar.dateOf(now)) throw new InvalidActionError(`期限 ${date} 不在今天之后 (not a future date)`);
    if (!this.calendar.covers(date)) throw new InvalidActionError(`${date} 所在年份不在工作日历中 (year not covered by the calendar)`);
  }

  private describePhase(): string {
    return { open: '事项办理中', awaiting_acceptance: '事项已确认完成、待验收', done: '事项已办结', cancelled: '事项已撤销' }[this.state.phase];
  }

  /** The 签收 sub-machine over this machine's live state, for the current units and policy. */
  private acknowledgementFor(input: DeliverableInput): Acknowledgement {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host reads the live state through getters
    const machine = this;
    return new Acknowledgement((this.state.acknowledgement ??= { by: {} }), {
      calendar: this.calendar, policy: input.policy, units: input.units,
      get effectiveDue() { return machine.effectiveDue; },
      get phase() { return machine.state.phase; },
      get overdue() { return machine.state.overdue; },
      get level() { return machine.state.level; },
      get escalationPending() { return machine.ladder.some((l) => l.level > machine.state.level); },
      iso: (at) => this.iso(at),
      log: (at, event) => this.log(at, event),
    });
  }

  private instructionBookFor(input: DeliverableInput): InstructionBook {
    return new InstructionBook(input, this.calendar, () => this.state.instructions, (message) => {
      throw new InvalidActionError(message);
    });
  }

  private unitName(unitId: string): string {
    return this.input.units.find((u) => u.unitId === unitId)?.name ?? unitId;
  }
}

function ladderOf(input: DeliverableInput): LadderLevel[] {
  return effectiveLadder(
    input.escalation.map((l) => ({ level: l.level, threshold: l.threshold, recipientIds: l.recipients.map((r) => r.unitId) })),
    input.units.map((u) => u.unitId),
  );
}

/** The milestones' notices join the item's own at the earliest instant of either (the cursor is shared, so all of one instant go together). */
function withMilestoneNotices(own: readonly OwnNotice[], ofMilestones: readonly MilestoneNotice[]): OwnNotice[] {
  if (ofMilestones.length === 0) return [...own];
  const earliest = Math.min(...own.map((n) => n.at), ...ofMilestones.map((n) => n.at));
  return [...own, ...ofMilestones].filter((n) => n.at === earliest);
}

/** The report slice a new deliverable starts with: present only when its policy asks for periodic reports. */
function reportingOf(input: DeliverableInput, now: number): { reporting?: ReportingState } {
  if (!reportsRequired(input.policy)) return {};
  return { reporting: { periodStart: now, lagging: false, missed: 0 } };
}

/** The notices due first: the schedule's (with 催签), the 批示 reminders' and the report deadline's earliest instant, all notices at it. */
function earliestOf(scheduled: readonly OwnNotice[], others: readonly (InstructionReminder | ReportDue)[]): DueNotice[] {
  const first = Math.min(scheduled[0]?.at ?? Infinity, ...others.map((n) => n.at));
  return [...scheduled.filter((n) => n.at === first), ...others.filter((n) => n.at === first)];
}
