/** The plan config: a zod schema for one annual work plan, with the TypeScript types inferred from it. */
import { z } from 'zod';
import { isIsoDate } from '../domain/iso-date.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case ASCII letters, digits and "-", starting with a letter or digit');

const isoDate = z.string().refine(isIsoDate, { message: 'expected a real date written YYYY-MM-DD' });

// YAML reads an unquoted 2015-03-31 as a timestamp; accept it and keep the day it names.
const isoDateInput = z.preprocess((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value), isoDate);

const email = z.email({ message: 'not a valid email address' });

const calendarOverride = z
  .object({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(isoDateInput).default([]),
    workdays: z.array(isoDateInput).default([]),
  })
  .strict();

/** How reminders, overdue notices and escalation are timed, and what closes an item. */
export const policySchema = z
  .object({
    /** Working days before the due date on which a reminder (催办) goes out, largest first. */
    reminderOffsets: z.array(z.number().int()).min(1),
    /** Local hour at which every notice goes out, on working days only. */
    sendHour: z.number().int().min(0).max(23),
    /**
     * Working days between the first overdue notice and the second; later gaps double, up to four times this
     * (5 → notices on the 1st, 6th, 16th, 36th, 56th … working day overdue), so a long-overdue item is not mailed weekly.
     */
    overdueRepeatEvery: z.number().int().min(1),
    /**
     * When each escalation level starts, in working days after the first overdue day (0: on it, when the item is
     * 1 working day overdue); one per level, increasing.
     */
    escalationThresholds: z.array(z.number().int().min(0)).min(1),
    /** Whether the lead unit's confirmation completes an item, or every unit's. */
    completion: z.enum(['lead', 'all']),
    /** Whether 督查室 must accept a confirmed item before it is closed. */
    acceptanceRequired: z.boolean(),
    /**
     * 定期报送: the lead unit reports progress every this many working days (a report restarts the count); a missing
     * report brings a 催报 and a yellow light (报送滞后). Absent, with `reportDayOfMonth` absent too: no periodic reports.
     */
    reportEvery: z.number().int().min(1).max(250).optional(),
    /** 定期报送 on this day of every month (moved to the next working day; 31 means the month's last day). */
    reportDayOfMonth: z.number().int().min(1).max(31).optional(),
    /**
     * 签收: working days after the assignment by which each unit should acknowledge it; a unit that has not is sent a
     * 催签 at the send hour of that working day, and again every as many working days (the supervisor copied from
     * the second), at most three times, until it acknowledges or the due date. Absent: no 催签 (the 签收 link still works).
     */
    acknowledgeWithin: z.number().int().min(1).max(60).optional(),
    /**
     * PagerDuty-style ack: on an overdue item the lead unit may press 已签收·正在办理 to hold automatic escalation
     * for this many working days, once per escalation level. Manual 督办 still works and ends the hold. Absent: no hold.
     */
    acknowledgementPausesEscalation: z.number().int().min(1).max(30).optional(),
    /**
     * Working days after a leadership instruction (批示) at which the units that have not answered it are reminded,
     * again every as many days, at most three times. Absent: no reminders (the console still shows it open).
     */
    instructionReminderDays: z.number().int().min(1).max(60).optional(),
  })
  .strict();

/** One milestone (节点) of a deliverable, e.g. 方案 → 征求意见 → 印发; its first unit marks it done. */
const milestoneSchema = z
  .object({
    id,
    title: z.string().min(1).max(60),
    due: isoDateInput,
    /** Its units, all among the deliverable's (default: the deliverable's); the first marks it done. */
    units: z.array(id).min(1).optional(),
  })
  .strict();

export const planSchema = z
  .object({
    id,
    title: z.string().min(1),
    /**
     * The issuing organisation (发文机关), e.g. 国家信访局 or XX省人民政府办公厅: it signs every notice beside the
     * supervisor's name. Optional: when absent it is read off a title that begins with it (`XX省人民政府办公厅
     * 2027年工作要点`), else notices are signed by the supervisor unit alone.
     */
    organisation: z.string().min(1).max(60).optional(),
    timezone: z.string().min(1),
    start: isoDateInput,
    end: isoDateInput,
    calendar: z
      .object({
        source: z.literal('chinese-days'),
        /**
         * Calendar files (`duban calendar import`) for years the package lacks: relative to the plan's folder, or
         * shipped in `config/calendars/` (`cn-2027.yaml`). They apply over the package, `overrides` over them.
         */
        files: z.array(z.string().min(1)).default([]),
        overrides: z.array(calendarOverride).default([]),
      })
      .strict(),
    units: z
      .array(
        z
          .object({
            id,
            name: z.string().min(1),
            emails: z.array(email).min(1),
          })
          .strict(),
      )
      .min(1),
    /** Named groups of units, such as 相关业务司室, usable wherever a unit is. */
    groups: z
      .array(z.object({ id, name: z.string().min(1), members: z.array(id).min(1) }).strict())
      .default([]),
    /** The supervision office (督查室): receives level-1 escalations, decides extensions and acceptance. */
    supervisor: id,
    /** Who each escalation level reaches, from level 1 up. */
    escalation: z
      .array(z.object({ level: z.number().int().min(1), label: z.string().min(1), units: z.array(id).min(1) }).strict())
      .min(1),
    sections: z.array(z.object({ number: z.number().int().min(1), title: z.string().min(1) }).strict()).min(1),
    tasks: z
      .array(
        z
          .object({
            id,
            number: z.number().int().min(1),
            section: z.number().int().min(1),
            title: z.string().min(1),
            units: z.array(id).min(1),
          })
          .strict(),
      )
      .min(1),
    deliverables: z
      .array(
        z
          .object({
            id,
            number: z.number().int().min(1),
            title: z.string().min(1),
            task: id,
            /** Responsible units in the document's order; the first leads (牵头单位). */
            units: z.array(id).min(1),
            due: isoDateInput,
            /** True when the document gives no date and the plan's authors chose one. */
            dueAssumed: z.boolean().default(false),
            policy: policySchema.partial().strict().optional(),
            /** 分解: milestones (节点) in date order, each with its own due date and optionally its own units. */
            milestones: z.array(milestoneSchema).min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    policy: policySchema,
    /**
     * Tracks the tasks (工作任务) that no annex deliverable belongs to as items of their own, due at the plan's end and
     * reporting on the plan's report policy with `policy` laid over it. Absent: only annex deliverables are tracked.
     */
    trackTasks: z.object({ policy: policySchema.partial().strict().optional() }).strict().optional(),
    /**
     * Who may use the console, and as what (unit or group ids). Optional, and so is each list: by default the
     * supervisor unit's people act (督查室), the people of the escalation levels' other units are leadership
     * (read-only, plus 批示), and there are no readers.
     */
    console: z
      .object({
        supervisors: z.array(id).min(1).optional(),
        leadership: z.array(id).optional(),
        readers: z.array(id).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A plan as written in its file (before defaults). */
export type PlanInput = z.input<typeof planSchema>;
/** A parsed plan, defaults filled in. */
export type Plan = z.output<typeof planSchema>;
export type Policy = z.output<typeof policySchema>;
export type Unit = Plan['units'][number];
export type Deliverable = Plan['deliverables'][number];
export type Task = Plan['tasks'][number];
