/**
 * Leadership instructions (批示) on one deliverable as a small pure sub-machine: written by leadership, answered by
 * the responsible units through their links, reminded while unanswered. The deliverable machine owns the state
 * (an optional list, absent until the first 批示) and turns what this returns into notices.
 */
import { DateTime } from 'luxon';
import { UncoveredYearError, type WorkingDayCalendar } from '../domain/working-days.ts';
import type { AnswerInstructionInput, DeliverableInput, InstructInput, InstructionView } from './definitions.ts';

/** One 批示 as the deliverable's state keeps it (plain JSON). */
export interface InstructionRecord {
  id: string;
  by: string;
  at: string;
  text: string;
  answers: Record<string, { at: string; text: string }>;
  reminders: number;
}

/** A reminder due for an unanswered 批示. */
export interface InstructionReminder {
  readonly at: number;
  readonly kind: 'instruction_reminder';
  readonly instructionId: string;
}

/** The most 批示 one deliverable keeps: state and history stay bounded whatever is posted. */
export const instructionLimit = 50;
/** Reminders per unanswered 批示 at most: after the third, the console's open marker is the reminder. */
export const instructionReminderLimit = 3;

/** Why an instruction call is refused (the validator throws it; nothing enters history). */
export type Refuse = (message: string) => never;

/** The 批示 of one deliverable, over the list the machine's state holds. */
export class InstructionBook {
  constructor(
    private readonly input: DeliverableInput,
    private readonly calendar: WorkingDayCalendar,
    private readonly records: () => InstructionRecord[] | undefined,
    private readonly refuse: Refuse,
  ) {}

  get list(): readonly InstructionRecord[] {
    return this.records() ?? [];
  }

  checkInstruct(_input: InstructInput): void {
    if (this.list.length >= instructionLimit) this.refuse(`本事项的批示已达 ${instructionLimit} 条上限 (instruction limit reached)`);
  }

  /** A new record, to be appended by the caller; its id is `p1`, `p2`, … in writing order. */
  create({ by, text }: InstructInput, at: string): InstructionRecord {
    return { id: `p${this.list.length + 1}`, by, at, text, answers: {}, reminders: 0 };
  }

  checkAnswer({ unitId, instructionId }: AnswerInstructionInput): InstructionRecord {
    const record = this.list.find((r) => r.id === instructionId);
    if (!record) this.refuse(`没有这条批示（${instructionId}） (no such instruction)`);
    if (record.answers[unitId]) this.refuse('本单位已答复这条批示，无需重复答复 (already answered)');
    return record;
  }

  /** Whether the units whose answer counts have answered: the lead, or every unit under `completion: all`. */
  answered(record: InstructionRecord): boolean {
    return this.answering().every((u) => record.answers[u] !== undefined);
  }

  /** The units a reminder for this record goes to: those whose answer counts and is missing. */
  unanswering(record: InstructionRecord): string[] {
    return this.answering().filter((u) => record.answers[u] === undefined);
  }

  /** How many 批示 still wait for an answer. */
  get openCount(): number {
    return this.list.filter((r) => !this.answered(r)).length;
  }

  /** The earliest reminders due (all at the same instant, perhaps already past), or none when the policy sets none. */
  nextReminders(): InstructionReminder[] {
    const days = this.input.policy.instructionReminderDays;
    if (days === undefined) return [];
    const due: InstructionReminder[] = [];
    for (const record of this.list) {
      if (this.answered(record) || record.reminders >= instructionReminderLimit) continue;
      const at = this.reminderInstant(record, days);
      if (at === undefined) continue;
      if (due.length === 0 || at < due[0]!.at) due.splice(0, due.length, { at, kind: 'instruction_reminder', instructionId: record.id });
      else if (at === due[0]!.at) due.push({ at, kind: 'instruction_reminder', instructionId: record.id });
    }
    return due;
  }

  view(): InstructionView[] | undefined {
    const records = this.records();
    return records?.map((r) => ({ id: r.id, by: r.by, at: r.at, text: r.text, answers: r.answers, answered: this.answered(r), reminders: r.reminders }));
  }

  private answering(): string[] {
    const units = this.input.units.map((u) => u.unitId);
    return this.input.policy.completion === 'lead' ? units.slice(0, 1) : units;
  }

  /** `days × (reminders + 1)` working days after the day it was written, at the send hour; undefined past the calendar. */
  private reminderInstant(record: InstructionRecord, days: number): number | undefined {
    try {
      const written = this.calendar.dateOf(DateTime.fromISO(record.at).toMillis());
      return this.calendar.instantAt(this.calendar.addWorkingDays(written, days * (record.reminders + 1)), this.input.policy.sendHour);
    } catch (err) {
      if (err instanceof UncoveredYearError) return undefined;
      throw err;
    }
  }
}
