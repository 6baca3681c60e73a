/** Cross-field checks a schema cannot express: references, uniqueness, dates inside the plan and its calendar. */
import { DateTime } from 'luxon';
import type { Plan, Policy } from './plan-schema.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';
import { checkMilestones } from './milestone-checks.ts';
import { taskItemPrefix, tasksWithoutDeliverable } from './task-items.ts';
import { checkConsoleRoles } from './console-role-checks.ts';

/** One problem in a plan file, located by its path (e.g. `deliverables[4].units[1]`). */
export interface PlanProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

type Report = (path: (string | number)[], message: string) => void;

/** Every cross-field problem of a schema-valid plan; empty when the plan is sound. */
export function checkPlan(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const report: Report = (path, message) => problems.push({ path, message });

  const unitIds = new Set(plan.units.map((u) => u.id));
  const groupIds = new Set(plan.groups.map((g) => g.id));
  const taskIds = new Set(plan.tasks.map((t) => t.id));
  const sectionNumbers = new Set(plan.sections.map((s) => s.number));

  reportDuplicates(plan.units.map((u) => u.id), 'units', 'id', 'unit id', report);
  reportDuplicates(plan.groups.map((g) => g.id), 'groups', 'id', 'group id', report);
  reportDuplicates(plan.sections.map((s) => s.number), 'sections', 'number', 'section number', report);
  reportDuplicates(plan.tasks.map((t) => t.id), 'tasks', 'id', 'task id', report);
  reportDuplicates(plan.tasks.map((t) => t.number), 'tasks', 'number', 'task number', report);
  reportDuplicates(plan.deliverables.map((d) => d.id), 'deliverables', 'id', 'deliverable id', report);
  reportDuplicates(plan.deliverables.map((d) => d.number), 'deliverables', 'number', 'deliverable number', report);
  plan.groups.forEach((group, i) => {
    if (unitIds.has(group.id)) report(['groups', i, 'id'], `group id "${group.id}" is also a unit id`);
    group.members.forEach((member, j) => {
      if (!unitIds.has(member)) report(['groups', i, 'members', j], `unknown unit "${member}"`);
    });
  });

  const checkUnitRefs = (ids: readonly string[], path: (string | number)[]) => {
    const listed = new Set<string>();
    ids.forEach((ref, j) => {
      if (!unitIds.has(ref) && !groupIds.has(ref)) report([...path, j], `unknown unit "${ref}"`);
      else if (listed.has(ref)) report([...path, j], `unit "${ref}" is listed twice`);
      listed.add(ref);
    });
  };

  if (!unitIds.has(plan.supervisor)) report(['supervisor'], `unknown unit "${plan.supervisor}"`);
  plan.escalation.forEach((level, i) => {
    if (level.level !== i + 1) report(['escalation', i, 'level'], `escalation levels must run 1, 2, 3 … in order; expected ${i + 1}, found ${level.level}`);
    checkUnitRefs(level.units, ['escalation', i, 'units']);
  });

  checkConsoleRoles(plan, checkUnitRefs, report);

  plan.tasks.forEach((task, i) => {
    if (!sectionNumbers.has(task.section)) report(['tasks', i, 'section'], `unknown section ${task.section}`);
    checkUnitRefs(task.units, ['tasks', i, 'units']);
  });

  const calendar = calendarOrReport(plan, report);
  if (plan.start > plan.end) report(['end'], `plan ends (${plan.end}) before it starts (${plan.start})`);

  checkPolicy(plan.policy, plan.escalation.length, ['policy'], report);
  plan.deliverables.forEach((deliverable, i) => {
    if (!taskIds.has(deliverable.task)) report(['deliverables', i, 'task'], `unknown task "${deliverable.task}"`);
    checkUnitRefs(deliverable.units, ['deliverables', i, 'units']);
    const lead = deliverable.units[0];
    if (lead !== undefined && groupIds.has(lead)) report(['deliverables', i, 'units', 0], `the lead unit must be a single unit, not the group "${lead}"`);
    if (deliverable.policy) checkPolicy({ ...plan.policy, ...deliverable.policy }, plan.escalation.length, ['deliverables', i, 'policy'], report);
    checkDueDate(plan, calendar, deliverable.due, ['deliverables', i, 'due'], report);
    checkMilestones(plan, calendar, deliverable, ['deliverables', i], report);
  });
  checkTaskItems(plan, report);
  return problems;
}

// One map of first uses, not indexOf per value: a plan with tens of thousands of entries must stay linear.
function reportDuplicates(values: readonly (string | number)[], list: string, field: string, what: string, report: Report) {
  const firstUse = new Map<string | number, number>();
  values.forEach((value, i) => {
    const first = firstUse.get(value);
    if (first === undefined) firstUse.set(value, i);
    else report([list, i, field], `duplicate ${what} "${value}" (first used at ${list}[${first}])`);
  });
}

function calendarOrReport(plan: Plan, report: Report): WorkingDayCalendar | undefined {
  if (!DateTime.local().setZone(plan.timezone).isValid) {
    report(['timezone'], `unknown time zone "${plan.timezone}"`);
    return undefined;
  }
  plan.calendar.overrides.forEach((override, i) => {
    for (const field of ['holidays', 'workdays'] as const) {
      override[field].forEach((date, j) => {
        if (!date.startsWith(`${override.year}-`)) report(['calendar', 'overrides', i, field, j], `${date} is not in the override's year ${override.year}`);
      });
    }
  });
  const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
  for (const field of ['start', 'end'] as const) {
    if (!calendar.covers(plan[field])) report([field], uncovered(Number(plan[field].slice(0, 4)), calendar));
  }
  return calendar;
}

function checkDueDate(plan: Plan, calendar: WorkingDayCalendar | undefined, due: string, path: (string | number)[], report: Report) {
  if (due < plan.start || due > plan.end) {
    report(path, `due date ${due} lies outside the plan period ${plan.start} – ${plan.end}`);
    return;
  }
  if (!calendar) return;
  if (!calendar.covers(due)) {
    report(path, uncovered(Number(due.slice(0, 4)), calendar));
    return;
  }
  // A due date on a day off moves to the next working day; that day must still be inside the plan.
  const effective = calendar.onOrAfter(due);
  if (effective > plan.end) report(path, `due date ${due} is a day off and moves to ${effective}, after the plan ends (${plan.end})`);
}

function checkPolicy(policy: Policy, levels: number, path: (string | number)[], report: Report) {
  if (policy.reportEvery !== undefined && policy.reportDayOfMonth !== undefined) {
    report([...path, 'reportDayOfMonth'], `give either reportEvery (${policy.reportEvery} working days) or reportDayOfMonth (${policy.reportDayOfMonth}), not both`);
  }
  policy.reminderOffsets.forEach((offset, i) => {
    if (offset <= 0) report([...path, 'reminderOffsets', i], `a reminder offset counts working days before the due date and must be positive, got ${offset}`);
    else if (i > 0 && offset >= (policy.reminderOffsets[i - 1] ?? Infinity)) report([...path, 'reminderOffsets', i], `reminder offsets must be sorted from largest to smallest without repeats (${policy.reminderOffsets.join(', ')})`);
  });
  if (policy.escalationThresholds.length !== levels) {
    report([...path, 'escalationThresholds'], `${policy.escalationThresholds.length} thresholds for ${levels} escalation levels; give one per level`);
  }
  policy.escalationThresholds.forEach((threshold, i) => {
    if (i > 0 && threshold <= (policy.escalationThresholds[i - 1] ?? -1)) report([...path, 'escalationThresholds', i], `escalation thresholds must increase level by level (${policy.escalationThresholds.join(', ')})`);
  });
}

/** Task items (`trackTasks`) need a single lead unit and ids no annex deliverable uses. */
function checkTaskItems(plan: Plan, report: Report) {
  if (!plan.trackTasks) return;
  if (plan.trackTasks.policy) checkPolicy({ ...plan.policy, ...plan.trackTasks.policy }, plan.escalation.length, ['trackTasks', 'policy'], report);
  const deliverableIds = new Set(plan.deliverables.map((d) => d.id));
  const groupIds = new Set(plan.groups.map((g) => g.id));
  const untracked = new Set(tasksWithoutDeliverable(plan).map((t) => t.id));
  plan.tasks.forEach((task, i) => {
    if (!untracked.has(task.id)) return;
    if (deliverableIds.has(`${taskItemPrefix}${task.id}`)) report(['tasks', i, 'id'], `task "${task.id}" is tracked as item "${taskItemPrefix}${task.id}", which a deliverable already uses as its id`);
    const lead = task.units[0];
    if (lead !== undefined && groupIds.has(lead)) report(['tasks', i, 'units', 0], `task "${task.id}" is tracked (trackTasks): its lead unit must be a single unit, not the group "${lead}"`);
  });
}

/** The uncovered-year message, with the way to cover the year: a calendar file from the State Council's notice. */
function uncovered(year: number, calendar: WorkingDayCalendar): string {
  return `${new UncoveredYearError(year, calendar.coveredYears()).message}, or name a calendar file (\`calendar.files: [cn-${year}.yaml]\`, written by \`duban calendar import\` from the State Council's 节假日安排 notice)`;
}
