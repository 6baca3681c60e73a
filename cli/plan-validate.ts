/** `duban plan validate FILE`: a short summary of a sound plan, or every problem with its path, exit 2. */
import { escapeControlCharacters, formatIssue, loadPlanFile, type PlanIssue } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { displayName } from '../domain/plan-units.ts';
import { reportCadenceText } from '../domain/report-schedule.ts';
import { taskItems, tasksWithoutDeliverable } from '../config/task-items.ts';

/** Validates the plan file and prints the outcome; returns the exit code. */
export async function planValidate(file: string, out: (line: string) => void = console.log): Promise<number> {
  const result = await loadPlanFile(file);
  if (!result.ok) {
    reportIssues(file, result.issues, out);
    return 2;
  }
  // A valid plan's titles and names are its author's text: shown with control characters escaped too.
  for (const line of summarize(file, result.plan)) out(escapeControlCharacters(line));
  return 0;
}

// Enough to fix a file by; a generated file with thousands of faults prints the first ones and a count.
const maxPrintedIssues = 200;

/** Prints a heading naming the file and the number of problems, then one line per problem (the first 200). */
export function reportIssues(what: string, issues: readonly PlanIssue[], out: (line: string) => void): void {
  out(escapeControlCharacters(`✗ ${what}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`));
  for (const issue of issues.slice(0, maxPrintedIssues)) out(`  ${formatIssue(issue)}`);
  if (issues.length > maxPrintedIssues) out(`  … and ${issues.length - maxPrintedIssues} more`);
}

/** The lines of the summary of a valid plan. */
export function summarize(file: string, plan: Plan): string[] {
  const byDue = [...plan.deliverables].sort((a, b) => a.due.localeCompare(b.due));
  const first = byDue[0]!;
  const last = byDue.at(-1)!;
  const assumed = plan.deliverables.filter((d) => d.dueAssumed);
  const describe = (d: Plan['deliverables'][number]) => `${d.due} (${d.id} ${d.title}, 牵头 ${displayName(plan, d.units[0]!)})`;
  return [
    `✓ ${file}: ${plan.title} (${plan.id}), ${plan.start} – ${plan.end}, ${plan.timezone}`,
    `  tasks         ${plan.tasks.length} in ${plan.sections.length} sections`,
    `  deliverables  ${plan.deliverables.length}`,
    ...milestonesLine(plan),
    taskItemsLine(plan),
    `  reports       ${reportsLine(plan)}`,
    `  units         ${plan.units.length}${plan.groups.length ? ` and ${plan.groups.length} group${plan.groups.length === 1 ? '' : 's'} (${plan.groups.map((g) => g.name).join('、')})` : ''}`,
    `  calendar      chinese-days${plan.calendar.files.length ? ` + ${plan.calendar.files.join(', ')}` : ''}${plan.calendar.overrides.length ? ` (years from files and overrides: ${plan.calendar.overrides.map((o) => o.year).join(', ')})` : ''}`,
    `  supervisor    ${displayName(plan, plan.supervisor)}; escalation ${plan.escalation.map((l) => `${l.level} ${l.label} → ${l.units.map((u) => displayName(plan, u)).join('、')}`).join(', ')}`,
    `  first due     ${describe(first)}`,
    `  last due      ${describe(last)}`,
    `  assumed dates ${assumed.length} of ${plan.deliverables.length}${assumed.length ? ` (${assumed.map((d) => d.id).join(', ')})` : ''}`,
  ];
}

/** `  milestones    6 in 2 deliverables (d01, d12)`, or nothing for a plan without milestones (分解). */
function milestonesLine(plan: Plan): string[] {
  const split = plan.deliverables.filter((d) => d.milestones?.length);
  if (split.length === 0) return [];
  const count = split.reduce((n, d) => n + d.milestones!.length, 0);
  return [`  milestones    ${count} in ${split.length} deliverable${split.length === 1 ? '' : 's'} (${split.map((d) => d.id).join(', ')})`];
}

/** How many tasks without an annex deliverable are tracked as items of their own (`trackTasks`). */
function taskItemsLine(plan: Plan): string {
  const untracked = tasksWithoutDeliverable(plan);
  const items = taskItems(plan);
  if (items.length > 0) return `  task items    ${items.length} tracked (tasks without an annex deliverable: ${items.map((t) => t.task).join(', ')}), due ${plan.end}`;
  return `  task items    0 tracked${untracked.length ? ` (${untracked.length} task${untracked.length === 1 ? '' : 's'} without an annex deliverable; set trackTasks to track them)` : ''}`;
}

/** The periodic-report duty (定期报送) of deliverables and task items. */
function reportsLine(plan: Plan): string {
  const cadence = reportCadenceText(plan.policy);
  const own = plan.deliverables.filter((d) => reportCadenceText({ ...plan.policy, ...d.policy })).length;
  const tasks = plan.trackTasks ? reportCadenceText({ ...plan.policy, ...plan.trackTasks.policy }) : '';
  const parts = [`${own} of ${plan.deliverables.length} deliverables${cadence ? ` (plan: ${cadence})` : ''}`];
  if (plan.trackTasks) parts.push(`task items ${tasks || 'none'}`);
  return `periodic reports (定期报送, by the lead unit): ${parts.join('; ')}`;
}
