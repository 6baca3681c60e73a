/**
 * 签收 as a small pure sub-machine of a deliverable: who acknowledged its assignment and when, the 催签 schedule for
 * units that did not, and the lead's hold on automatic escalation (已签收·正在办理, PagerDuty's "ack").
 * Deterministic (time is passed in); the DeliverableMachine calls it and sends what it returns.
 */
import type { Policy } from '../config/plan-schema.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { AcknowledgeInput, DeliverableStatusView, LogEvent, Recipient } from './definitions.ts';
// The deliverable's own refusals, so every caller answers a repeat kindly and a refusal as one (used at call time only).
import { AlreadySubmittedError, InvalidActionError } from './deliverable-machine.ts';

/** What a deliverable keeps of 签收 (plain JSON; absent in states carried over from before it was kept). */
export interface AcknowledgementState {
  /** Plan-time instant the assignment went out; the 催签 schedule counts working days from its day. */
  assignedAt?: number;
  /** When each unit acknowledged, ISO plan time: by its 签收 link, or by any action it took. */
  by: Record<string, string>;
  /** The lead's hold on automatic escalation: until the send hour of `until`; `level` is the level it was taken at. */
  hold?: { until: IsoDate; untilAt: number; at: string; level: number };
}

/** A 催签 due at its instant (a working day at the send hour). */
export interface AcknowledgementNotice {
  readonly at: number;
  readonly kind: 'acknowledgement_reminder';
  /** 1 for the first 催签; from the second the supervisor is copied. */
  readonly round: number;
  readonly workingDaysSinceAssignment: number;
}

/** What the sub-machine needs of its deliverable. */
export interface AcknowledgementHost {
  readonly calendar: WorkingDayCalendar;
  readonly policy: Pick<Policy, 'sendHour' | 'acknowledgeWithin' | 'acknowledgementPausesEscalation'>;
  readonly units: readonly Recipient[];
  readonly effectiveDue: IsoDate;
  readonly phase: 'open' | 'awaiting_acceptance' | 'done' | 'cancelled';
  readonly overdue: boolean;
  readonly level: number;
  /** Whether a higher escalation level is still to come automatically. */
  readonly escalationPending: boolean;
  readonly iso: (at: number) => string;
  readonly log: (at: number, event: Omit<LogEvent, 'at'>) => void;
}

/**
 * At most this many 催签 per item: after the third (the last two copied to the supervisor) a silent unit is a matter
 * for a phone call, shown in the console, not for a mail every few days until the due date.
 */
export const maxAcknowledgementReminders = 3;

/** The acknowledgement part of a fresh deliverable's state. */
export function initialAcknowledgement(now: number): AcknowledgementState {
  return { assignedAt: now, by: {} };
}

/** 签收 of one deliverable; `state` is the deliverable's own object, changed in place. */
export class Acknowledgement {
  constructor(
    private readonly state: AcknowledgementState,
    private readonly host: AcknowledgementHost,
  ) {}

  /** Units that have not acknowledged, in the plan's order. */
  unacknowledged(): Recipient[] {
    return this.host.units.filter((u) => this.state.by[u.unitId] === undefined);
  }

  /**
   * The next 催签 strictly after `after`: on the N-th, 2N-th, … working day after the assignment, at the send hour,
   * at most {@link maxAcknowledgementReminders} times, while some unit has not acknowledged and not after the due date
   * (overdue notices take over from there).
   */
  nextReminder(after: number): AcknowledgementNotice | undefined {
    const every = this.host.policy.acknowledgeWithin;
    const { assignedAt } = this.state;
    if (every === undefined || assignedAt === undefined || this.unacknowledged().length === 0) return undefined;
    const { calendar } = this.host;
    const assignedOn = calendar.dateOf(assignedAt);
    const afterDate = calendar.dateOf(after);
    // Rounds already passed are skipped by arithmetic; at most two more are looked at.
    const reach = afterDate > assignedOn ? calendar.workingDaysBetween(assignedOn, afterDate) : 0;
    for (let round = Math.max(1, Math.floor(reach / every)); round <= maxAcknowledgementReminders; round++) {
      const day = calendar.addWorkingDays(assignedOn, round * every);
      if (day > this.host.effectiveDue) return undefined;
      const at = calendar.instantAt(day, this.host.policy.sendHour);
      if (at > after) return { at, kind: 'acknowledgement_reminder', round, workingDaysSinceAssignment: round * every };
    }
    return undefined;
  }

  /** The instant before which automatic escalation waits (the lead's hold), if one runs at `now`. */
  escalationNotBefore(now: number): number | undefined {
    const hold = this.state.hold;
    return hold && hold.untilAt > now ? hold.untilAt : undefined;
  }

  /** Refuses a 签收 that would change nothing or is not allowed; runs in the update validator. */
  check({ unitId, holdEscalation }: AcknowledgeInput, now: number): void {
    const { phase } = this.host;
    if (phase === 'done' || phase === 'cancelled') throw new InvalidActionError(`${phase === 'done' ? '事项已办结' : '事项已撤销'}，无需签收`);
    const at = this.state.by[unitId];
    if (!holdEscalation) {
      if (at) throw new AlreadySubmittedError(`本单位已于${clock(at)}签收，无需重复签收 (already acknowledged)`);
      return;
    }
    this.checkHold(unitId, now);
  }

  /** Records the unit's 签收 (and the lead's hold); returns the answer for the person who pressed the button. */
  acknowledge({ unitId, holdEscalation }: AcknowledgeInput, now: number): string {
    const first = this.state.by[unitId] === undefined;
    if (first) {
      this.state.by[unitId] = this.host.iso(now);
      this.host.log(now, { type: 'action', what: 'acknowledge', by: unitId });
    }
    if (!holdEscalation) return '已签收。';
    const days = this.host.policy.acknowledgementPausesEscalation!;
    const { calendar } = this.host;
    const until = calendar.addWorkingDays(calendar.dateOf(now), days);
    this.state.hold = { until, untilAt: calendar.instantAt(until, this.host.policy.sendHour), at: this.host.iso(now), level: this.host.level };
    this.host.log(now, { type: 'action', what: 'escalation_hold', by: unitId, note: `自动督办暂停至${until}（${days}个工作日）` });
    return `${first ? '已签收；' : ''}已记录“正在办理”，自动督办暂停至${until}（${days}个工作日）。`;
  }

  /** A unit that confirms, reports progress or asks for an extension has plainly seen its assignment. */
  acted(unitId: string, now: number): void {
    this.state.by[unitId] ??= this.host.iso(now);
  }

  /** Manual 督办 or a new due date ends the hold: the supervisor's decision, or a schedule that starts over. */
  endHold(): void {
    this.state.hold = undefined;
  }

  /** The parts of the status view that 签收 adds. */
  view(now: number): Pick<DeliverableStatusView, 'escalationHold' | 'acknowledgement'> {
    const { acknowledgeWithin: within, acknowledgementPausesEscalation: pausesEscalation } = this.host.policy;
    const hold = this.state.hold;
    return {
      ...(hold && hold.untilAt > now ? { escalationHold: { until: hold.until, at: hold.at, level: hold.level } } : {}),
      ...(within !== undefined || pausesEscalation !== undefined ? { acknowledgement: { within, pausesEscalation, leadMayHold: this.leadMayHold(now) } } : {}),
    };
  }

  acknowledgedAt(unitId: string): string | undefined {
    return this.state.by[unitId];
  }

  /** Whether the lead's hold would be accepted now (the page offers its button only then). */
  private leadMayHold(now: number): boolean {
    try {
      this.checkHold(this.host.units[0]!.unitId, now);
      return true;
    } catch {
      return false;
    }
  }

  private checkHold(unitId: string, now: number): void {
    const { policy, units, phase } = this.host;
    if (units[0]?.unitId !== unitId) throw new InvalidActionError('只有牵头单位可以暂停自动督办 (only the lead unit may hold escalation)');
    if (policy.acknowledgementPausesEscalation === undefined) throw new InvalidActionError('本计划未设置签收暂停自动督办 (no escalation hold in this plan)');
    if (phase !== 'open' || !this.host.overdue) throw new InvalidActionError('事项未超期，无需暂停自动督办 (the item is not overdue)');
    const hold = this.state.hold;
    if (hold && hold.untilAt > now) throw new AlreadySubmittedError(`已记录“正在办理”，自动督办暂停至${hold.until} (already holding)`);
    if (!this.host.escalationPending) throw new InvalidActionError('已达最高督办级别，没有可暂停的自动督办 (no automatic escalation left)');
    if (hold && hold.level === this.host.level) throw new InvalidActionError('本督办级别已暂停过一次自动督办，不能再次暂停 (one hold per escalation level)');
  }
}

/** `2015-03-02 09:30` from an ISO instant in plan time. */
function clock(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
