/**
 * 分解: a deliverable's milestones (节点, e.g. 方案 → 征求意见 → 印发) as a small pure sub-machine the DeliverableMachine
 * consults. Each open milestone runs the deliverable's own schedule (`domain/deliverable-schedule.ts`) against its own
 * date — reminders before it, overdue notices and escalation after it — until its lead unit or the supervisor marks it
 * done. The open milestone with the earliest date drives the item's light.
 */
import { nextScheduledNotices, firstOverdueDay, type LadderLevel, type ScheduledNotice } from '../domain/deliverable-schedule.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type {
  DeliverableInput, DeliverableStatus, Light, MilestoneDoneInput, MilestoneExtensionInput, MilestoneInput, MilestoneView,
  NoticeMilestone, NotificationContext, NotificationKind, Recipient,
} from './definitions.ts';

/** One milestone's state, plain JSON. */
export interface MilestoneState {
  due: IsoDate;
  level: number;
  overdue: boolean;
  urged: boolean;
  doneAt?: string;
  doneBy?: string;
  /** Closed because the item reached completion; reopened if the completion is rejected. */
  withItem?: boolean;
}

/** A scheduled notice of one milestone. */
export type MilestoneNotice = ScheduledNotice & { readonly milestoneId: string };

/** A notice the DeliverableMachine turns into a Notification (it owns keys, the log and the item's facts). */
export interface MilestoneDraft {
  readonly at: number;
  readonly kind: NotificationKind;
  readonly to: readonly Recipient[];
  readonly cc: readonly Recipient[];
  readonly context: NotificationContext;
}

/** A milestone with the units it goes to. */
type UnitedMilestone = MilestoneInput & { readonly units: readonly Recipient[] };

/** What the milestones share with their deliverable. */
export interface MilestoneContext {
  readonly input: DeliverableInput;
  readonly calendar: WorkingDayCalendar;
  readonly ladder: readonly LadderLevel[];
  /** The item's current (not yet moved) due date. */
  readonly itemDue: IsoDate;
}

/** Raised by a milestone check; the machine turns it into its own InvalidActionError. */
export class MilestoneActionError extends Error {
  override readonly name = 'MilestoneActionError';
}

// 报送滞后 (lagging) is yellow like due_soon: a late milestone (red) outranks both.
const severity: Partial<Record<DeliverableStatus, number>> = { assigned: 0, in_progress: 0, due_soon: 1, lagging: 1, overdue: 2, escalated: 3 };

/** The milestones of one deliverable over its state (mutated in place, as the machine's own state is). */
export class Milestones {
  /** The item's milestones, each with its units: its own, or the item's. */
  private readonly inputs: readonly UnitedMilestone[];

  constructor(private readonly states: Record<string, MilestoneState>, private readonly context: MilestoneContext) {
    const { milestones = [], units } = context.input;
    this.inputs = milestones.map((m) => (m.units ? m as UnitedMilestone : { ...m, units }));
  }

  /** The state of a deliverable's milestones when it starts; undefined when it has none (today's behaviour). */
  static initialState(milestones: readonly MilestoneInput[] | undefined): Record<string, MilestoneState> | undefined {
    if (!milestones?.length) return undefined;
    return Object.fromEntries(milestones.map((m) => [m.id, { due: m.due, level: 0, overdue: false, urged: false }]));
  }

  /** The states after a revision listed `milestones`: kept ones as they stand, new ones fresh, the rest gone (undefined: none left). */
  static revisedState(states: Record<string, MilestoneState> | undefined, milestones: readonly MilestoneInput[] | undefined): Record<string, MilestoneState> | undefined {
    const fresh = Milestones.initialState(milestones);
    return fresh && Object.fromEntries(Object.entries(fresh).map(([id, state]) => [id, states?.[id] ?? state]));
  }

  private stateOf(id: string): MilestoneState {
    return this.states[id]!;
  }

  private open(): UnitedMilestone[] {
    return this.inputs.filter((m) => this.states[m.id] && this.stateOf(m.id).doneAt === undefined);
  }

  private effectiveDue(id: string): IsoDate {
    return this.context.calendar.onOrAfter(this.stateOf(id).due);
  }

  /**
   * Whether a milestone runs a schedule of its own: not when it falls on the item's own due date (the last one, 印发,
   * often does), as the item's notices already say everything its own would, on the same days.
   */
  private scheduled(m: UnitedMilestone): boolean {
    return this.stateOf(m.id).doneAt === undefined && this.effectiveDue(m.id) !== this.context.calendar.onOrAfter(this.context.itemDue);
  }

  /** The earliest notices of any open milestone strictly after `after`, all sharing that instant. */
  upcoming(after: number): MilestoneNotice[] {
    const all = this.open().filter((m) => this.scheduled(m)).flatMap((m) =>
      nextScheduledNotices({ calendar: this.context.calendar, due: this.stateOf(m.id).due, policy: this.context.input.policy, ladder: this.context.ladder, currentLevel: this.stateOf(m.id).level }, after)
        .map((n) => ({ ...n, milestoneId: m.id })));
    if (all.length === 0) return [];
    const earliest = Math.min(...all.map((n) => n.at));
    return all.filter((n) => n.at === earliest);
  }

  /** Marks milestones overdue at once whose first overdue day has come (an item started, or resumed, late). */
  catchUp(now: number): boolean {
    let changed = false;
    for (const m of this.open().filter((x) => this.scheduled(x))) {
      const state = this.stateOf(m.id);
      if (state.overdue) continue;
      try {
        if (now < this.context.calendar.instantAt(firstOverdueDay(this.context.calendar, state.due), this.context.input.policy.sendHour)) continue;
      } catch {
        continue;
      }
      state.overdue = true;
      changed = true;
    }
    return changed;
  }

  /** The drafts of the milestone notices due at one instant; per milestone, an escalation carries its overdue news. */
  fire(notices: readonly MilestoneNotice[]): MilestoneDraft[] {
    const out: MilestoneDraft[] = [];
    const { input } = this.context;
    for (const notice of notices) {
      const m = this.inputs.find((x) => x.id === notice.milestoneId)!;
      const state = this.stateOf(m.id);
      const milestone = this.noticeMilestone(m);
      const same = notices.filter((n) => n.milestoneId === m.id);
      if (notice.kind === 'reminder') {
        if (notice.stage === '催办') state.urged = true;
        out.push({ at: notice.at, kind: 'reminder', to: m.units, cc: [], context: { stage: notice.stage, workingDaysLeft: notice.workingDaysLeft, milestone } });
      } else if (notice.kind === 'overdue') {
        state.overdue = true;
        if (same.some((n) => n.kind === 'escalation')) continue;
        out.push({ at: notice.at, kind: 'overdue', to: m.units, cc: [input.supervisor], context: { workingDaysOverdue: notice.workingDaysOverdue, milestone } });
      } else {
        state.level = Math.max(state.level, notice.level);
        const rung = input.escalation.find((l) => l.level === notice.level)!;
        const merged = same.some((n) => n.kind === 'overdue');
        const cc = [...rung.recipients, ...(merged && !rung.recipients.some((r) => r.unitId === input.supervisor.unitId) ? [input.supervisor] : [])];
        out.push({
          at: notice.at, kind: 'escalation', to: m.units, cc,
          context: { manual: false, workingDaysOverdue: notice.workingDaysOverdue, level: notice.level, levelLabel: rung.label, milestone },
        });
      }
    }
    return out;
  }

  /**
   * The status of the open milestone with the earliest date (the one that slips first), when it is worse than
   * on track; the item shows the worse of its own status and this one.
   */
  driving(): { status: DeliverableStatus; level: number } | undefined {
    const first = this.open().filter((m) => this.scheduled(m)).sort((a, b) => (this.effectiveDue(a.id) < this.effectiveDue(b.id) ? -1 : 1))[0];
    if (!first) return undefined;
    const status = statusOf(this.stateOf(first.id));
    return severity[status]! > 0 ? { status, level: this.stateOf(first.id).level } : undefined;
  }

  /** The worse of the item's own status and its driving milestone's (only while the item is open). */
  combine(own: DeliverableStatus): DeliverableStatus {
    const milestone = this.driving();
    if (!milestone || severity[own] === undefined) return own;
    return severity[milestone.status]! > severity[own]! ? milestone.status : own;
  }

  // ---- checks and actions ----

  checkDone({ milestoneId, unitId }: MilestoneDoneInput): void {
    const m = this.require(milestoneId);
    const state = this.stateOf(m.id);
    if (state.doneAt !== undefined) throw new MilestoneActionError(`节点“${m.title}”已于${state.doneAt.slice(0, 10)}完成 (already done)`);
    if (unitId !== undefined && m.units[0]!.unitId !== unitId) {
      throw new MilestoneActionError(`节点“${m.title}”由${m.units[0]!.name}标记完成 (only the milestone's lead unit marks it done)`);
    }
  }

  done({ milestoneId, unitId, by }: MilestoneDoneInput, at: string): void {
    Object.assign(this.stateOf(milestoneId), { doneAt: at, doneBy: unitId ?? by, withItem: undefined });
  }

  checkExtension({ milestoneId, to }: MilestoneExtensionInput, today: IsoDate): void {
    const m = this.require(milestoneId);
    const state = this.stateOf(m.id);
    if (state.doneAt !== undefined) throw new MilestoneActionError(`节点“${m.title}”已完成，不能延期`);
    if (to <= today) throw new MilestoneActionError(`期限 ${to} 不在今天之后 (not a future date)`);
    if (!this.context.calendar.covers(to)) throw new MilestoneActionError(`${to} 所在年份不在工作日历中 (year not covered by the calendar)`);
    if (to === state.due) throw new MilestoneActionError(`新期限 ${to} 与节点当前期限相同`);
    if (this.context.calendar.onOrAfter(to) > this.context.calendar.onOrAfter(this.context.itemDue)) {
      throw new MilestoneActionError(`节点期限 ${to} 晚于事项办理期限 ${this.context.itemDue}；请先延长事项期限 (after the item's due date)`);
    }
  }

  /** Moves a milestone's date; its ladder starts over, as an item's does on an extension. */
  extend({ milestoneId, to }: MilestoneExtensionInput): IsoDate {
    const state = this.stateOf(milestoneId);
    const previous = state.due;
    Object.assign(state, { due: to, level: 0, overdue: false, urged: false });
    return previous;
  }

  /**
   * The item's due date moved: an open milestone that fell on the old one (the last step, 印发) moves with it, so an
   * extension of the item does not leave its final step behind, suddenly with a schedule of its own.
   */
  followItem(previousDue: IsoDate, newDue: IsoDate): void {
    const old = this.context.calendar.onOrAfter(previousDue);
    for (const m of this.open()) if (this.effectiveDue(m.id) === old) Object.assign(this.stateOf(m.id), { due: newDue, level: 0, overdue: false, urged: false });
  }

  /** The item reached completion: the milestones still open close with it. */
  closeWithItem(at: string): void {
    for (const m of this.open()) Object.assign(this.stateOf(m.id), { doneAt: at, withItem: true });
  }

  /** The item's completion was rejected: the milestones it closed open again. */
  reopenWithItem(): void {
    for (const state of Object.values(this.states)) {
      if (state.withItem) Object.assign(state, { doneAt: undefined, doneBy: undefined, withItem: undefined });
    }
  }

  // ---- views ----

  /** Each milestone's view; one on the item's own date shows the item's own status and level, as its notices are the item's. */
  views(item: { readonly status: DeliverableStatus; readonly level: number }): MilestoneView[] {
    return this.inputs.filter((m) => this.states[m.id]).map((m) => {
      const state = this.stateOf(m.id);
      const riding = state.doneAt === undefined && !this.scheduled(m);
      const status: DeliverableStatus = state.doneAt !== undefined ? 'done' : riding ? (severity[item.status] === undefined ? 'assigned' : item.status) : statusOf(state);
      return {
        id: m.id, title: m.title, due: this.effectiveDue(m.id), originalDue: this.context.calendar.onOrAfter(m.due), units: m.units.map((u) => u.unitId),
        status, light: lightOf(status), escalationLevel: riding ? item.level : state.level,
        ...(state.doneAt !== undefined ? { doneAt: state.doneAt, doneBy: state.doneBy, closedWithItem: state.withItem } : {}),
      };
    });
  }

  /** The open milestones, earliest first, as notices list them (for the 节点完成 link). */
  openForNotice(): NoticeMilestone[] {
    return this.open().map((m) => this.noticeMilestone(m)).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  }

  title(id: string): string {
    return this.inputs.find((m) => m.id === id)?.title ?? id;
  }

  /** The units a milestone goes to: its own, or the item's. */
  unitsOf(id: string): readonly Recipient[] {
    return this.require(id).units;
  }

  private noticeMilestone(m: UnitedMilestone): NoticeMilestone {
    return { id: m.id, title: m.title, due: this.effectiveDue(m.id), leadUnitId: m.units[0]!.unitId };
  }

  private require(id: string): UnitedMilestone {
    const m = this.inputs.find((x) => x.id === id);
    if (!m || !this.states[id]) throw new MilestoneActionError(`本事项没有节点“${id}” (unknown milestone)`);
    return m;
  }
}

function statusOf(state: MilestoneState): DeliverableStatus {
  if (state.level > 0) return 'escalated';
  if (state.overdue) return 'overdue';
  return state.urged ? 'due_soon' : 'assigned';
}

function lightOf(status: DeliverableStatus): Light {
  return status === 'done' ? 'grey' : status === 'due_soon' || status === 'lagging' ? 'yellow' : status === 'overdue' || status === 'escalated' ? 'red' : 'green';
}

