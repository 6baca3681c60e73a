/**
 * Every message a deliverable or plan workflow understands, with its zod-checked input, declared once and
 * imported by workflows, worker, web, CLI and tests.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { policySchema, type Policy } from '../config/plan-schema.ts';
import { isIsoDate, type IsoDate } from '../domain/iso-date.ts';
import type { CalendarYearOverride } from '../domain/working-days.ts';
import { attachmentRefs, type AttachmentRecord, type AttachmentRef } from './attachment-refs.ts';

/** Where a deliverable stands in its lifecycle. */
export type DeliverableStatus =
  | 'assigned'
  | 'in_progress'
  | 'due_soon'
  | 'lagging' // 报送滞后: a periodic progress report is missing (yellow, whatever the due date)
  | 'overdue'
  | 'escalated'
  | 'awaiting_acceptance'
  | 'done'
  | 'cancelled'
  // The two below are never set by the workflow: Temporal stopped it (terminated, or failed / timed out), seen
  // through visibility by the console, `duban status` and the plan's daily check.
  | 'terminated'
  | 'failed';

/** The traffic light 督查室 sees. */
export type Light = 'green' | 'yellow' | 'red' | 'grey';

/** A unit as a notification needs it: who, by which name, at which addresses. */
export interface Recipient {
  readonly unitId: string;
  readonly name: string;
  readonly emails: readonly string[];
}

/**
 * The names an office signs and addresses its notices with, taken from the plan (never hard-coded): the issuing
 * organisation (发文机关), its supervision office (督查室 / 督查处 …) and the leadership at the top of the ladder.
 */
export interface OfficeNames {
  /** The plan's title, e.g. `2015 年信访工作要点`. */
  readonly planTitle: string;
  /** 发文机关, e.g. 国家信访局 or XX省人民政府办公厅; empty when the plan names none. */
  readonly organisation: string;
  /** The supervisor unit's name, e.g. 督查室 or 督查处. */
  readonly supervisor: string;
  /** The top escalation level's units, e.g. 局领导 or 秘书长、分管副秘书长. */
  readonly leadership: string;
}

/** One escalation level as a deliverable applies it. */
export interface EscalationLevel {
  readonly level: number;
  /** 督办, 通报, … */
  readonly label: string;
  readonly recipients: readonly Recipient[];
  /** Working days overdue at which this level starts. */
  readonly threshold: number;
}

/** Everything a deliverable workflow needs, resolved from the plan before it starts (workflows read no files). */
export interface DeliverableInput {
  readonly planId: string;
  readonly planTitle: string;
  /** Workflow id of the plan workflow to keep informed, when started by one. */
  readonly planWorkflowId?: string;
  readonly deliverableId: string;
  readonly number: number;
  readonly title: string;
  readonly taskTitle: string;
  /** Responsible units in the document's order; the first leads. */
  readonly units: readonly Recipient[];
  readonly supervisor: Recipient;
  readonly escalation: readonly EscalationLevel[];
  readonly due: IsoDate;
  readonly timezone: string;
  readonly calendarOverrides: readonly CalendarYearOverride[];
  readonly policy: Policy;
  /**
   * Added to the workflow clock to give plan time. Zero in production; a rehearsal or simulation of a past
   * year runs with a fixed negative offset, so the year's calendar applies while Temporal's clock runs on.
   */
  readonly clockOffsetMs: number;
  /** History length at which a run hands over to a fresh one (continue-as-new); default 2,000 (tests set it low). */
  readonly historyLimit?: number;
  /** The office's own names; absent only in inputs recorded before plans carried them. */
  readonly office?: OfficeNames;
  /**
   * Set by a starter that gave the workflow its state search attributes at start (`openingStart`): the workflow then
   * upserts only those that change. Absent in runs started before, which upsert all of them on every change.
   */
  readonly startedWithAttributes?: boolean;
  /**
   * Set by starters since a change is shown in one upsert: the run upserts its state and its notice slot together,
   * and withdraws a publication by the slot alone (its memo stays, read by no round). On a confirmation that is one
   * event and one visibility write instead of three. Absent in runs started before, which keep their three (their
   * histories say so), also when they continue as new.
   */
  readonly showsInOneUpsert?: boolean;
  /**
   * Set by starters since items show the console what it counts of them without a query ({@link ConsoleFacts}, as
   * search attributes in the same upsert as their state). Absent in runs started before, which show none (their
   * histories say so), also when they continue as new: the console counts them only by their status query.
   */
  readonly showsConsoleFacts?: boolean;
  /**
   * Set when whoever started the run already queued its 交办通知 in the units' assignment batches (the plan's start
   * activity does, several items per signal): the plan time (epoch ms) it built that notice at. The workflow opens and
   * records the assignment at that instant (the same notice, key and time) and sends nothing for it. Absent: the
   * workflow sends it itself, as runs started before did.
   */
  readonly assignmentQueuedAt?: number;
  /**
   * Set by the start activity of a plan that mails its send-hour notices in rounds (`planWorkflow`'s notice rounds):
   * the workflow publishes each next notice ahead (search attribute and memo) and lets the plan's round mail it,
   * sending it itself only when no round reported it delivered within {@link noticeRoundGraceMs}. Absent: it sends
   * every notice itself, as runs started before did.
   */
  readonly noticeRounds?: boolean;
  /**
   * Set by starters since a plan in rounds tells 督查室 of completions in its rounds: in an item with `noticeRounds`,
   * the 完成确认 (待验收) waits for the plan's next send slot, published as its notices are, and 督查室 gets one
   * mail listing every item confirmed since the slot before. A confirmation is then one workflow task (no mail
   * activity behind it). Absent: the notice goes out at once, as runs started before sent it (their histories say so).
   */
  readonly confirmationsInRounds?: boolean;
  /**
   * Set by starters since a run closes (or continues as new) only once its signals to its plan have landed. The
   * time-skipping test server locks its clock for a workflow's signal to another and unlocks it when the signal lands,
   * but only while the signalling run is open: a run that closed first (its last mail done before the signal landed,
   * a race lost under load) left the clock running at real speed, and a simulation stalled. Absent: the run closes at
   * once, as runs started before did (their histories say so).
   */
  readonly closesAfterTellingPlan?: boolean;
  /** `task`: a plan task (工作任务) with no annex deliverable, tracked by its reports; absent: an annex deliverable (附件事项). */
  readonly itemKind?: ItemKind;
  /** 分解: the item's milestones in date order, each reminded and escalated on its own (`workflows/milestones.ts`). */
  readonly milestones?: readonly MilestoneInput[];
  /**
   * Set by inputs built since milestones follow a change of the item's units (责任单位调整, `revisionOf`): one without
   * units of its own goes to the item's units as they are now, and one with its own loses those the item lost.
   * Absent: every milestone keeps the units it started with, as runs started before did (their histories say so).
   */
  readonly milestoneUnitsFollowItem?: boolean;
}

/** One milestone (节点) of a deliverable, e.g. 方案 → 征求意见 → 印发: its own due date and units (the first marks it done). */
export interface MilestoneInput {
  readonly id: string;
  readonly title: string;
  readonly due: IsoDate;
  /**
   * Its own units; absent: the item's `units` (a plan's milestone without units of its own), so an item sent to every
   * county does not carry them once more per milestone. Inputs built before always listed them.
   */
  readonly units?: readonly Recipient[];
}

/** A milestone as the status query shows it. */
export interface MilestoneView {
  readonly id: string;
  readonly title: string;
  /** The current due date, moved off a day off. */
  readonly due: IsoDate;
  readonly originalDue: IsoDate;
  readonly units: readonly string[];
  readonly status: DeliverableStatus;
  readonly light: Light;
  readonly escalationLevel: number;
  readonly doneAt?: string;
  readonly doneBy?: string;
  /** True when the item's completion closed it, not a mark of its own. */
  readonly closedWithItem?: boolean;
}

/** The milestone a notice is about, and the open milestones a notice lists (for the 节点完成 link). */
export interface NoticeMilestone {
  readonly id: string;
  readonly title: string;
  readonly due: IsoDate;
  /** The unit that marks it done (its first unit). */
  readonly leadUnitId: string;
}

/** What a tracked item is: an annex deliverable (附件事项, absent) or a task of the plan (工作任务). */
export type ItemKind = 'task';

/** The kinds of notice duban sends; each has its own mail template. */
export type NotificationKind =
  | 'assignment' // 交办通知
  | 'reminder' // 催办提醒 (提醒 first, then 催办)
  | 'overdue' // 超期通知
  | 'escalation' // 督办通知 / 通报
  | 'extension_request' // 延期申请 (to 督查室)
  | 'extension_decision' // 延期申请结果
  | 'confirmation' // 完成确认, awaiting 督查室's acceptance (to 督查室)
  | 'rejection' // 验收退回
  | 'completion' // 办结通知 (accepted, or closed on confirmation when no acceptance is required)
  | 'cancellation' // 撤销通知
  | 'units_changed' // 责任单位调整通知 (to units removed, or all when the lead changed)
  | 'milestones_changed' // 分解节点调整通知 (to the units of the milestones added, removed, renamed, re-assigned or moved)
  | 'reopened' // 重新交办通知: a closed item opened again with a new due date
  | 'report_reminder' // 催报: a periodic progress report is missing (to the lead unit)
  | 'delivery_failure' // a notice could not be delivered (to 督查室)
  | 'acknowledgement_reminder' // 催签: the assignment is not yet acknowledged (签收)
  | 'deliverable_stopped' // a deliverable's workflow was terminated or failed (to 督查室)
  | 'digest' // 周报
  | 'final_report' // 年度总结
  | 'instruction' // 领导批示 (and its reminder while unanswered), to the responsible units, copying the supervisor
  | 'instruction_answer'; // a unit's answer to a 批示 (to the supervisor)

/** A notice to send, carrying everything a real email needs. */
export interface Notification {
  /** Stable per (workflow, notice): a retried send carries the same key, so the mail layer can recognise it. */
  readonly key: string;
  readonly kind: NotificationKind;
  readonly planId: string;
  readonly workflowId: string;
  readonly deliverable?: {
    readonly id: string;
    readonly number: number;
    readonly title: string;
    /** The task (工作任务) the item belongs to; absent in notices recorded before it was carried. */
    readonly taskTitle?: string;
    readonly due: IsoDate;
    readonly leadUnitId: string;
    readonly units: readonly Recipient[];
    /** Who must confirm completion: the lead only, or every unit (the policy's `completion`). */
    readonly completion?: 'lead' | 'all';
    /** The open milestones, earliest first (absent when the item has none). */
    readonly milestones?: readonly NoticeMilestone[];
    /** `task` for a plan task tracked as an item (工作任务); absent for an annex deliverable. */
    readonly itemKind?: ItemKind;
    /** Working days the lead's 已签收·正在办理 holds automatic escalation (policy); absent: no hold. */
    readonly escalationHoldDays?: number;
  };
  readonly to: readonly Recipient[];
  readonly cc: readonly Recipient[];
  /** The plan-time instant this notice belongs to (ISO, in the plan's zone). */
  readonly scheduledFor: string;
  readonly timezone: string;
  /** Kind-specific facts: reminder stage, escalation level, remarks, reasons, digest rows. */
  readonly context: NotificationContext;
  /** The office's names, for address, body and signature; absent only in notices recorded before plans carried them. */
  readonly office?: OfficeNames;
}

/** Kind-specific content of a notice. */
export interface NotificationContext {
  readonly stage?: '提醒' | '催办';
  readonly workingDaysLeft?: number;
  readonly workingDaysOverdue?: number;
  readonly level?: number;
  readonly levelLabel?: string;
  readonly manual?: boolean;
  readonly remark?: string;
  readonly reason?: string;
  readonly by?: string;
  readonly unitId?: string;
  readonly approved?: boolean;
  readonly requestedDue?: IsoDate;
  readonly previousDue?: IsoDate;
  readonly failedKind?: NotificationKind;
  readonly failedKey?: string;
  readonly error?: string;
  readonly rows?: readonly DeliverableSummary[];
  /** 责任单位调整: the units before the change (the notice's deliverable carries the new ones). */
  readonly previousUnits?: readonly Recipient[];
  /** 分解节点调整: what changed, one line per milestone (`新增节点“…”（2026-12-18）`). */
  readonly milestoneChanges?: readonly string[];
  /** Set on a reminder, overdue notice or escalation about one milestone rather than the item's own due date. */
  readonly milestone?: NoticeMilestone;
  /** 催报: how often reports are due (`每10个工作日`), when the lead last reported (ISO) and how many periods in a row it missed. */
  readonly reportCadence?: string;
  readonly lastReportAt?: string;
  readonly reportsMissed?: number;
  /** 催签: working days since the assignment, and which 催签 this is (1 for the first). */
  readonly workingDaysSinceAssignment?: number;
  readonly round?: number;
  /** 办结材料 of the confirmations a completion notice reports (names and sizes; the files stay in the store). */
  readonly attachments?: readonly AttachmentRecord[];
  /** When the units confirmed (ISO, plan zone), on a 完成确认 mailed later than that, in the plan's round. */
  readonly confirmedAt?: string;
  /** The 批示 a notice is about (`instruction`, `instruction_answer`). */
  readonly instruction?: InstructionNotice;
}

/** A 批示 as a notice carries it: which, whose, what, and (for an answer or a reminder) what else is known. */
export interface InstructionNotice {
  readonly id: string;
  readonly by: string;
  readonly at: string;
  readonly text: string;
  /** Set on a reminder: the how-many-th (1, 2, …) reminder for this 批示. */
  readonly reminder?: number;
  /** Set on `instruction_answer`: the answering unit's text. */
  readonly answer?: string;
}

/** A leadership instruction (批示) on a deliverable, and the units' answers to it. */
export interface InstructionView {
  readonly id: string;
  /** Who wrote it (name and address, as signed in). */
  readonly by: string;
  /** Plan-time instant, ISO. */
  readonly at: string;
  readonly text: string;
  /** Answers by unit id. */
  readonly answers: Readonly<Record<string, { readonly at: string; readonly text: string }>>;
  /** True once the units whose answer counts (the lead, or every unit under `completion: all`) have answered. */
  readonly answered: boolean;
  /** Reminders sent while unanswered. */
  readonly reminders: number;
}

/** One line of the compact event log: what was sent to whom, who did what, when. */
export interface LogEvent {
  /** Plan-time instant, ISO in the plan's zone. */
  readonly at: string;
  readonly type: 'notice' | 'action' | 'failure';
  /** Notification kind, or the action taken. */
  readonly what: string;
  readonly by?: string;
  readonly to?: readonly string[];
  readonly note?: string;
  /** References to the files a confirmation carried (never their bytes). */
  readonly attachments?: readonly AttachmentRef[];
}

/** Per-unit confirmation state. */
export interface UnitState {
  readonly unitId: string;
  readonly name: string;
  readonly lead: boolean;
  readonly confirmedAt?: string;
  readonly note?: string;
  readonly lastProgress?: string;
  /** The text of the unit's last progress report. */
  readonly lastProgressNote?: string;
  /** The percent done (0–100) or stage the unit gave with its last report, when it gave one. */
  readonly lastProgressPercent?: number;
  readonly lastProgressStage?: ProgressStage;
  /** When the unit acknowledged the assignment (签收), plan time, ISO; absent: not yet. */
  readonly acknowledgedAt?: string;
}

/** Where a periodic-report item stands: how often, when next due, and whether a report is missing (报送滞后). */
export interface ReportingView {
  readonly cadence: string;
  readonly lagging: boolean;
  readonly nextDeadline?: string;
  readonly lastReportAt?: string;
  readonly missed: number;
}

/** The answer of the `status` query. */
export interface DeliverableStatusView {
  readonly workflowId: string;
  readonly planId: string;
  readonly deliverableId: string;
  readonly number: number;
  readonly title: string;
  readonly status: DeliverableStatus;
  readonly light: Light;
  readonly due: IsoDate;
  readonly originalDue: IsoDate;
  readonly escalationLevel: number;
  readonly units: readonly UnitState[];
  readonly pendingExtension?: { readonly unitId: string; readonly to: IsoDate; readonly reason: string; readonly at: string };
  readonly nextNotice?: { readonly kind: NotificationKind; readonly at: string };
  readonly closedReason?: string;
  /** The newest entries of the event log (at most {@link eventLogLimit}). */
  readonly events: readonly LogEvent[];
  /** What the log no longer holds in full: counts of the older entries, so nothing vanishes without a trace. */
  readonly olderEvents?: OlderEventsSummary;
  /** Who must confirm completion (absent in views of workflows started before it was recorded: read as 'all'). */
  readonly completion?: 'lead' | 'all';
  readonly office?: OfficeNames;
  /** The item's milestones in date order (absent when it has none). */
  readonly milestones?: readonly MilestoneView[];
  /** Present when the item's policy asks for periodic reports. */
  readonly reporting?: ReportingView;
  /** The rules the item runs by, in words, name and value (提醒时点（到期前工作日）, 10、5、1 …); absent from workers before them. */
  readonly rules?: readonly (readonly [name: string, value: string])[];
  readonly itemKind?: ItemKind;
  /** Plan time minus wall-clock time when not zero (a rehearsal): pages add it to "now" to tell a report's age. */
  readonly clockOffsetMs?: number;
  /** The lead's hold on automatic escalation (已签收·正在办理): until which working day, taken when; absent: none. */
  readonly escalationHold?: { readonly until: IsoDate; readonly at: string; readonly level: number };
  /** The 签收 policy in force (absent: no 催签, no hold). */
  readonly acknowledgement?: { readonly within?: number; readonly pausesEscalation?: number; readonly leadMayHold?: boolean };
  /** 办结材料 submitted with confirmations, oldest first (also those of confirmations sent back since). */
  readonly attachments?: readonly AttachmentRecord[];
  /** Leadership instructions (批示), oldest first; absent when none was ever written. */
  readonly instructions?: readonly InstructionView[];
}

/** How many log entries a deliverable keeps in full; older ones are only counted (keeps state and history bounded). */
export const eventLogLimit = 100;

/** Counts of the log entries dropped from the full log, per kind (`action:progress`, `notice:reminder`, …) and per unit. */
export interface OlderEventsSummary {
  readonly count: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byUnit: Readonly<Record<string, number>>;
}

/**
 * What every update answers. Small on purpose: Temporal keeps each update's result in history, so answering
 * with the whole view (event log and notes) made history grow with the square of the number of actions.
 * Callers that need the full view ask the `status` query, which costs no history.
 */
export interface ActionResult {
  readonly ok: true;
  readonly status: DeliverableStatus;
  readonly light: Light;
  /** What happened, in Chinese, for the person who acted. */
  readonly message: string;
  /** For a unit's action: the item as its result page shows it, so the page needs no status query after the update. */
  readonly facts?: UnitFacts;
}

/**
 * The part of a deliverable's view a unit's result page reads: the item, and of the units only the one that acted
 * and the lead, without their notes (a few hundred bytes, where the full view with its log runs to kilobytes).
 */
export type UnitFacts = Pick<DeliverableStatusView, 'number' | 'title' | 'status' | 'light' | 'due' | 'originalDue' | 'escalationLevel' | 'completion' | 'attachments'> & {
  readonly units: readonly Pick<UnitState, 'unitId' | 'name' | 'lead' | 'confirmedAt' | 'acknowledgedAt'>[];
};

/** One deliverable's row in the plan's digest and report. */
export interface DeliverableSummary {
  readonly deliverableId: string;
  readonly number: number;
  readonly title: string;
  readonly leadUnitId: string;
  readonly leadUnitName: string;
  readonly status: DeliverableStatus;
  readonly light: Light;
  readonly due: IsoDate;
  readonly escalationLevel: number;
  /** True once closed and it was confirmed by its (effective) due date. */
  readonly onTime?: boolean;
  /** The latest progress report of any unit: who, when (plan time, ISO) and what. */
  readonly latestProgress?: { readonly unitName: string; readonly at: string; readonly note: string; readonly percent?: number; readonly stage?: ProgressStage };
  readonly itemKind?: ItemKind;
}

const isoDate = z.string().refine(isIsoDate, { message: 'expected a date written YYYY-MM-DD' });
const unitId = z.string().min(1).max(64);
/** The longest note, reason or remark accepted; longer ones are refused, not cut, so nobody's text is silently lost. */
export const noteMaxLength = 2000;
const note = z.string().max(noteMaxLength, { message: `内容不能超过 ${noteMaxLength} 字 (longer than ${noteMaxLength} characters)` });
const actor = z.string().min(1).max(100);

/** Input of `confirm`: a responsible unit says its part is done. */
export const confirmInput = z.object({ unitId, note: note.optional(), attachments: attachmentRefs.optional() }).strict();
/**
 * The stages a unit may give with a report instead of (or beside) a percent: 已启动 (started), 推进中 (under way),
 * 基本完成 (essentially done; confirming completion is a separate step).
 */
export const progressStages = ['已启动', '推进中', '基本完成'] as const;
export type ProgressStage = (typeof progressStages)[number];
/** Input of `reportProgress`: the text, and optionally how far along (percent 0–100) or a stage. */
export const progressInput = z.object({
  unitId, note: note.min(1), percent: z.number().int().min(0).max(100).optional(), stage: z.enum(progressStages).optional(),
}).strict();
/** Input of `requestExtension`: a unit asks for a later due date. */
export const extensionRequestInput = z.object({ unitId, to: isoDate, reason: note.min(1) }).strict();
/** Input of `decideExtension`: 督查室 approves (to the requested or another date) or denies; approving with no request extends directly. */
export const extensionDecisionInput = z
  .object({ approved: z.boolean(), to: isoDate.optional(), reason: note.min(1), by: actor })
  .strict();
/** Input of `escalate`: 督办 by hand with a remark the units receive. */
export const escalateInput = z.object({ remark: note.min(1), by: actor }).strict();
/** Input of `accept`. */
export const acceptInput = z.object({ by: actor, note: note.optional() }).strict();
/** Input of `reject`: back to the units with a reason. */
export const rejectInput = z.object({ by: actor, reason: note.min(1) }).strict();
/** Input of `acknowledge` (签收); `holdEscalation`: the lead also holds automatic escalation of an overdue item. */
export const acknowledgeInput = z.object({ unitId, holdEscalation: z.boolean().optional() }).strict();
/** Input of `cancel`. */
export const cancelInput = z.object({ by: actor, reason: note.min(1) }).strict();

const milestoneId = z.string().min(1).max(64);
/** Input of `completeMilestone`: the milestone's lead unit (by link) or the supervisor (by console, `by`) marks it done. */
export const milestoneDoneInput = z
  .object({ milestoneId, unitId: unitId.optional(), by: actor.optional(), note: note.optional() })
  .strict()
  .refine((i) => (i.unitId === undefined) !== (i.by === undefined), { message: 'give either unitId (a unit) or by (the supervisor)' });
/** Input of `extendMilestone`: the supervisor moves a milestone's date (not past the item's due date). */
export const milestoneExtensionInput = z.object({ milestoneId, to: isoDate, reason: note.min(1), by: actor }).strict();
/** Input of `instruct`: leadership writes a 批示 the responsible units must answer. */
export const instructInput = z.object({ by: actor, text: note.min(1) }).strict();
/** Input of `answerInstruction`: a responsible unit answers one 批示. */
export const answerInstructionInput = z.object({ unitId, instructionId: z.string().min(1).max(16), text: note.min(1) }).strict();

export type ConfirmInput = z.infer<typeof confirmInput>;
export type ProgressInput = z.infer<typeof progressInput>;
export type ExtensionRequestInput = z.infer<typeof extensionRequestInput>;
export type ExtensionDecisionInput = z.infer<typeof extensionDecisionInput>;
export type EscalateInput = z.infer<typeof escalateInput>;
export type AcceptInput = z.infer<typeof acceptInput>;
export type RejectInput = z.infer<typeof rejectInput>;
export type CancelInput = z.infer<typeof cancelInput>;
export type MilestoneDoneInput = z.infer<typeof milestoneDoneInput>;
export type MilestoneExtensionInput = z.infer<typeof milestoneExtensionInput>;
export type AcknowledgeInput = z.infer<typeof acknowledgeInput>;
export type InstructInput = z.infer<typeof instructInput>;
export type AnswerInstructionInput = z.infer<typeof answerInstructionInput>;

// No zod regex checks here (z.email, .regex): the worker freezes this module, and zod resets a pattern's lastIndex
// on every use. The addresses come from a validated plan; this only keeps nonsense out of history.
const emailAddress = z.string().min(3).max(254).refine((s) => /^[^\s@]+@[^\s@]+$/.test(s), { message: 'not an e-mail address' });
const recipientInput = z.object({
  unitId, name: z.string().min(1).max(200), emails: z.array(emailAddress).min(1).max(20),
}).strict();
/** A milestone as a revision lists it: as the plan file now has it (its units, when its own, resolved to addresses). */
const revisedMilestone = z.object({
  id: milestoneId, title: z.string().trim().min(1).max(500), due: isoDate, units: z.array(recipientInput).min(1).max(50).optional(),
}).strict();
/** An escalation rung as a revision gives it: as the plan file now builds it for the item. */
const revisedEscalationLevel = z.object({
  level: z.number().int().min(1).max(10), label: z.string().trim().min(1).max(50), recipients: z.array(recipientInput).min(1).max(50),
  threshold: z.number().int().min(0),
}).strict();
/**
 * Input of `revise` (mid-year change by 督查室): new responsible units (the first leads), a new title, the item's
 * milestones (分解节点) as they now stand, in date order (those added start their own schedule, those left out stop,
 * those kept keep their state, their dates moving by `extendMilestone`, and take the new title and units), and/or its
 * reminder and escalation rules (`policy` with the `escalation` ladder built from it), from which its schedule is
 * worked out again.
 */
export const reviseInput = z.object({
  units: z.array(recipientInput).min(1).max(50)
    .refine((units) => new Set(units.map((u) => u.unitId)).size === units.length, { message: '责任单位不能重复 (a unit is listed twice)' }).optional(),
  title: z.string().trim().min(1).max(500).optional(),
  milestones: z.array(revisedMilestone).max(50)
    .refine((list) => new Set(list.map((m) => m.id)).size === list.length, { message: '节点不能重复 (a milestone is listed twice)' }).optional(),
  policy: policySchema.optional(),
  escalation: z.array(revisedEscalationLevel).min(1).max(10).optional(),
  reason: note.min(1),
  by: actor,
}).strict();
/** Reopening a closed item (a new run of its workflow, started with the old run's state): why, by whom, until when. */
export const reopenInput = z.object({ due: isoDate, reason: note.min(1), by: actor }).strict();
export type ReviseInput = z.infer<typeof reviseInput>;
export type ReopenInput = z.infer<typeof reopenInput>;

export const confirmUpdate = defineUpdate<ActionResult, [ConfirmInput]>('confirm');
export const progressUpdate = defineUpdate<ActionResult, [ProgressInput]>('reportProgress');
export const extensionRequestUpdate = defineUpdate<ActionResult, [ExtensionRequestInput]>('requestExtension');
export const extensionDecisionUpdate = defineUpdate<ActionResult, [ExtensionDecisionInput]>('decideExtension');
export const escalateUpdate = defineUpdate<ActionResult, [EscalateInput]>('escalate');
export const acceptUpdate = defineUpdate<ActionResult, [AcceptInput]>('accept');
export const rejectUpdate = defineUpdate<ActionResult, [RejectInput]>('reject');
export const cancelUpdate = defineUpdate<ActionResult, [CancelInput]>('cancel');
export const milestoneDoneUpdate = defineUpdate<ActionResult, [MilestoneDoneInput]>('completeMilestone');
export const milestoneExtensionUpdate = defineUpdate<ActionResult, [MilestoneExtensionInput]>('extendMilestone');
export const acknowledgeUpdate = defineUpdate<ActionResult, [AcknowledgeInput]>('acknowledge');
export const instructUpdate = defineUpdate<ActionResult, [InstructInput]>('instruct');
export const answerInstructionUpdate = defineUpdate<ActionResult, [AnswerInstructionInput]>('answerInstruction');
export const statusQuery = defineQuery<DeliverableStatusView>('status');
export const reviseUpdate = defineUpdate<ActionResult, [ReviseInput]>('revise');
/** A deliverable's input and state as a new run would take them (asked of a closed run to reopen it). */
export const carriedQuery = defineQuery<{ input: DeliverableInput; state: unknown }>('carried');

/**
 * Input of a plan workflow: the address of its stored snapshot and its deliverable ids, never every deliverable's
 * input (a 10,000-item plan's inputs are ten times the server's payload limit); activities build each input from
 * the snapshot where the deliverable starts.
 */
export interface PlanWorkflowInput {
  readonly planId: string;
  readonly title: string;
  readonly timezone: string;
  readonly calendarOverrides: readonly CalendarYearOverride[];
  readonly supervisor: Recipient;
  readonly sendHour: number;
  /** Content address of the plan snapshot (`activities/plan-snapshots.ts`), in DATA_DIR/plans. */
  readonly planRef: string;
  /** Deliverable ids in the plan's order. */
  readonly deliverableIds: readonly string[];
  readonly clockOffsetMs: number;
  readonly office?: OfficeNames;
  /** History length at which a run hands over to a fresh one (continue-as-new); default 2,000. */
  readonly historyLimit?: number;
  /**
   * Whether the plan mails its items' send-hour notices itself, in one round per send slot (set by `plan start` for
   * large plans, {@link noticeRoundsFrom}); its items are started with `noticeRounds`. Absent: each item mails its own.
   */
  readonly noticeRounds?: boolean;
  /** How the plan starts its items (set by `plan start`); runs started before it was set start 2 batches of 250 at once. */
  readonly startBatches?: StartBatches;
}

/** A plan starts its items in activities of `size` items each, `inFlight` of them at once. */
export interface StartBatches {
  readonly size: number;
  readonly inFlight: number;
}

/**
 * Plans started now: one batch more in flight than a worker's start lanes hold (`activities/start-lanes.ts`), so the
 * next batch is waiting for lanes when one ends, rather than scheduled only then.
 */
export const planStartBatches: StartBatches = { size: 250, inFlight: 3 };

/**
 * Plans of at least this many items mail in rounds: at 09:00 a plan of thousands would otherwise wake every item
 * whose notice falls due, and the mail waits on thousands of workflow tasks; small plans keep one path, the item's own.
 */
export const noticeRoundsFrom = 200;

/**
 * How long after its instant an item in rounds waits for the round's report before it mails the notice itself: long
 * enough for a round of thousands of notices, short enough that a round that failed delays mail by minutes only.
 */
export const noticeRoundGraceMs = 15 * 60_000;

/**
 * A 完成确认 held for its plan's round (`confirmationsInRounds`) goes to the first send slot at least this far ahead:
 * published a moment before a slot, it might not yet be in visibility when the round lists (it would then go out
 * alone after the grace; nothing is lost either way).
 */
export const heldConfirmationLeadMs = 30_000;

/** What a round reports to each item it mailed for: the instant, and the notices that failed for good (recorded as such). */
export interface NoticesDelivered {
  readonly at: number;
  readonly failures: readonly DeliveryFailureReport[];
}

/** The memo key under which an item in rounds publishes its next notices: {@link NoticesDue}. */
export const noticesDueMemoKey = 'noticesDue';

/**
 * What the console's dashboard counts of every item of a plan, read from visibility so that a plan of thousands
 * needs no status query per item: the units that have not acknowledged it (签收) and its unanswered 批示.
 */
export interface ConsoleFacts {
  readonly unacknowledged: readonly string[];
  readonly openInstructions: number;
}

/** An item's next send-hour notices as the round reads them (memo), built ahead from the item's state. */
export interface NoticesDue {
  readonly at: number;
  readonly notices: readonly Notification[];
}

/** The answer of the plan workflow's `planStatus` query, as of its last aggregate (each digest, and the end). */
export interface PlanStatusView {
  readonly planId: string;
  readonly title: string;
  /** Number of deliverables in the plan. */
  readonly total: number;
  /** One row per deliverable for plans of up to 1,000 items; larger plans leave it empty (read visibility: `duban status`). */
  readonly deliverables: readonly DeliverableSummary[];
  readonly counts: Readonly<Record<Light, number>>;
  readonly digestsSent: number;
  /** Digests or reports that could not be delivered. */
  readonly failures: readonly string[];
  readonly finished: boolean;
}


/** Sent by a deliverable to its plan once, when it closes (done or cancelled): the plan's aggregate otherwise comes from visibility. */
export const deliverableChangedSignal = defineSignal<[DeliverableSummary]>('deliverableChanged');
export const planStatusQuery = defineQuery<PlanStatusView>('planStatus');

/** A plan's current snapshot and item list (changed by `revisePlan`). */
export interface PlanSource {
  readonly planRef: string;
  readonly deliverableIds: readonly string[];
  readonly clockOffsetMs: number;
}
/** Input of `revisePlan`: the new snapshot; its ids extend the old list (items are never removed, only cancelled). */
export const revisePlanInput = z.object({
  planRef: z.string().refine((s) => /^[0-9a-f]{32}$/.test(s), { message: 'not a plan snapshot address' }),
  deliverableIds: z.array(z.string().min(1).max(64)).min(1),
  /** The snapshot the change was made against: refused when the plan has moved on since (two changes at once). */
  basedOn: z.string().optional(),
}).strict();
export type RevisePlanInput = z.infer<typeof revisePlanInput>;
/** Tells a plan its new snapshot and item list; it starts the items it did not have. Answers how many it started. */
export const revisePlanUpdate = defineUpdate<{ started: number }, [RevisePlanInput]>('revisePlan');
export const planSourceQuery = defineQuery<PlanSource>('planSource');

/**
 * A notice its deliverable could not have delivered, reported back by whoever sent it on the deliverable's behalf
 * (the assignment batch): the deliverable records it and tells the supervisor, as for its own failed sends.
 */
export interface DeliveryFailureReport {
  readonly key: string;
  readonly kind: NotificationKind;
  /** The units the failed mail was for. */
  readonly to: readonly Recipient[];
  readonly error: string;
}

/** Sent to a deliverable when a notice sent for it (its assignment, in a combined mail) failed for good. */
export const deliveryFailedSignal = defineSignal<[DeliveryFailureReport]>('deliveryFailed');

/** Sent by a plan's notice round to each item whose notices of the instant it mailed (`activities/notice-round.ts`). */
export const noticesDeliveredSignal = defineSignal<[NoticesDelivered]>('noticesDelivered');

/** Input of the assignment batch of one unit: every 交办通知 for it on one plan day goes out as one mail. */
export interface AssignmentBatchInput {
  readonly planId: string;
  readonly unit: Recipient;
  /** Workflow time to wait after the last arriving notice before mailing (a quiet window). */
  readonly windowMs: number;
  /** The longest a notice waits for others, however many keep arriving (default five windows). */
  readonly maxWaitMs?: number;
}

/** What every item of one start activity is started with, besides its id: enough to build its input again. */
export interface ItemStartContext {
  readonly planRef: string;
  readonly planWorkflowId: string;
  readonly clockOffsetMs: number;
  /** The plan mails in rounds: its items that send at the plan's send hour are started with `noticeRounds`. */
  readonly noticeRounds?: { readonly sendHour: number };
}

/**
 * A 交办通知 the plan's start activity queued by reference: the item and how it was started, from which the mail
 * activity builds the very notice the item recorded (`activities/assignment-refs.ts`). A reference is ~200 bytes where
 * the notice is ~1 KB, and it is queued once per unit: a 10,000-item start wrote some 27,000 notices into the
 * batches' histories, each again in its mail's activity input.
 */
export interface AssignmentRef {
  /** The notice's key, as the item recorded it (a batch drops a key it holds twice). */
  readonly key: string;
  /** The item's workflow, told if the mail fails for good. */
  readonly workflowId: string;
  readonly deliverableId: string;
  /** Plan time the item recorded its assignment at (`assignmentQueuedAt`). */
  readonly queuedAt: number;
  readonly start: ItemStartContext;
}

/** What an assignment batch holds: a notice (sent by a deliverable's notice activity) or a reference (from a plan's start). */
export type QueuedAssignment = Notification | AssignmentRef;

/** Whether a queued assignment is a reference, to be built from its plan snapshot when mailed. */
export function isAssignmentRef(queued: QueuedAssignment): queued is AssignmentRef {
  return 'start' in queued;
}

/** Hands one assignment notice to its unit's batch: what the notice activity sent before `assignmentsQueued`, still handled for those runs. */
export const assignmentQueuedSignal = defineSignal<[Notification]>('assignmentQueued');
/** Hands the batch its assignments (signal-with-start, from `activities/assignment-queue.ts`): a start batch's items per unit in one signal. */
export const assignmentsQueuedSignal = defineSignal<[QueuedAssignment[]]>('assignmentsQueued');

/** The batch of one (plan, unit, plan-local day, part): `<planId>/assignments/<unitId>/<YYYY-MM-DD>`, `/2`, `/3` … after it for later parts. */
export function assignmentBatchWorkflowId(planId: string, unitId: string, day: string, part = 0): string {
  return `${planId}/assignments/${unitId}/${day}${part > 0 ? `/${part + 1}` : ''}`;
}

/**
 * Plan items whose 交办通知 share one batch per unit and day; items beyond go to the day's next batch (`/2`, `/3` …).
 * A batch's history holds each entry twice (its signal, then its mail's activity input). When the entries were the
 * notices themselves (about 2.6 KB twice over), the largest unit of a 10,000-item plan start (~4,500 items) grew one
 * batch to 13 MB, past Temporal's 10 MB warning, toward its 50 MB stop. A plan's start now queues references (about
 * 0.2 KB, twice over), so a batch of 2,000 stays near 1 MB, and the unit gets about one mail more per 2,000 items
 * (each mail lists at most 200).
 */
export const itemsPerAssignmentBatch = 2_000;

/** The part of a unit's day of 交办通知 an item's notice goes to: by its number in the plan. */
export function assignmentBatchPart(itemNumber: number | undefined): number {
  return itemNumber === undefined || !(itemNumber > 0) ? 0 : Math.floor((itemNumber - 1) / itemsPerAssignmentBatch);
}

/** The workflow id of a deliverable: `<planId>/<deliverableId>`. */
export function deliverableWorkflowId(planId: string, deliverableId: string): string {
  return `${planId}/${deliverableId}`;
}

/** The workflow id of a plan: its plan id. */
export function planWorkflowId(planId: string): string {
  return planId;
}

/** The task queue every duban worker polls. */
export const taskQueue = 'duban';
