/** Turns a validated plan into the inputs of its workflows: units resolved, emails attached, policy merged. */
import type { Plan } from './plan-schema.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import { parseIsoDate, shiftIsoDate, type IsoDate } from '../domain/iso-date.ts';
import { officeNamesOf } from './office-names.ts';
import { isTaskItem, trackedItem, trackedItems } from './task-items.ts';
import { noticeRoundsFrom, planStartBatches, planWorkflowId, type DeliverableInput, type PlanWorkflowInput, type Recipient } from '../workflows/definitions.ts';

/** Options for starting a plan. */
export interface PlanInputOptions {
  /** Plan time minus workflow time; zero for a real run (see DeliverableInput.clockOffsetMs). */
  readonly clockOffsetMs?: number;
  /** Whether the plan mails its send-hour notices in rounds (default: for plans of {@link noticeRoundsFrom} items or more). */
  readonly noticeRounds?: boolean;
}

/**
 * The input of the plan workflow: its deliverable ids and the address of its stored snapshot (see
 * `activities/plan-snapshots.ts`: store the plan there first), from which each deliverable's input is built.
 */
export function planWorkflowInput(plan: Plan, options: PlanInputOptions & { readonly planRef: string }): PlanWorkflowInput {
  const rounds = options.noticeRounds ?? trackedItems(plan).length >= noticeRoundsFrom;
  return {
    planId: plan.id, title: plan.title, timezone: plan.timezone, calendarOverrides: plan.calendar.overrides,
    supervisor: recipient(plan, plan.supervisor), sendHour: plan.policy.sendHour,
    planRef: options.planRef, deliverableIds: trackedItems(plan).map((d) => d.id),
    clockOffsetMs: options.clockOffsetMs ?? 0, office: officeNamesOf(plan), ...(rounds ? { noticeRounds: true } : {}),
    startBatches: planStartBatches,
  };
}

/** The input of one deliverable's workflow. */
export function deliverableInput(plan: Plan, deliverableId: string, options: PlanInputOptions = {}): DeliverableInput {
  const deliverable = trackedItem(plan, deliverableId);
  if (!deliverable) throw new RangeError(`plan ${plan.id} has no deliverable "${deliverableId}"`);
  const policy = { ...plan.policy, ...deliverable.policy };
  return {
    planId: plan.id, planTitle: plan.title, planWorkflowId: planWorkflowId(plan.id), deliverableId: deliverable.id,
    number: deliverable.number, title: deliverable.title,
    taskTitle: plan.tasks.find((t) => t.id === deliverable.task)?.title ?? '',
    units: resolveUnitIds(plan, deliverable.units).map((id) => recipient(plan, id)),
    supervisor: recipient(plan, plan.supervisor),
    escalation: plan.escalation.map((level, i) => ({
      level: level.level, label: level.label, threshold: policy.escalationThresholds[i] ?? 0,
      recipients: resolveUnitIds(plan, level.units).map((id) => recipient(plan, id)),
    })),
    due: deliverable.due, timezone: plan.timezone, calendarOverrides: plan.calendar.overrides, policy,
    clockOffsetMs: options.clockOffsetMs ?? 0, office: officeNamesOf(plan),
    ...(deliverable.milestones ? {
      milestones: deliverable.milestones.map((m) => ({
        id: m.id, title: m.title, due: m.due,
        ...(m.units ? { units: resolveUnitIds(plan, m.units).map((id) => recipient(plan, id)) } : {}),
      })),
      milestoneUnitsFollowItem: true,
    } : {}),
    ...(isTaskItem(plan, deliverable.id) ? { itemKind: 'task' as const } : {}),
  };
}

function recipient(plan: Plan, unitId: string): Recipient {
  const unit = plan.units.find((u) => u.id === unitId);
  if (!unit) throw new RangeError(`plan ${plan.id} has no unit "${unitId}"`);
  return { unitId: unit.id, name: unit.name, emails: unit.emails };
}

/** The plan with every date moved by the same whole number of days, so that it starts on `start` (for rehearsals). */
export function rebasePlan(plan: Plan, start: IsoDate): Plan {
  const days = Math.round((Date.UTC(...ymd(start)) - Date.UTC(...ymd(plan.start))) / 86_400_000);
  const shift = (date: IsoDate) => shiftIsoDate(date, days);
  return {
    ...plan, start: shift(plan.start), end: shift(plan.end),
    deliverables: plan.deliverables.map((d) => ({
      ...d, due: shift(d.due), ...(d.milestones ? { milestones: d.milestones.map((m) => ({ ...m, due: shift(m.due) })) } : {}),
    })),
  };
}

function ymd(date: IsoDate): [number, number, number] {
  const { year, month, day } = parseIsoDate(date);
  return [year, month - 1, day];
}
