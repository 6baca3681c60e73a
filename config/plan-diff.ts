/**
 * Mid-year changes to a running plan, as pure functions: what a changed plan file changes against the plan's
 * current snapshot (新增, 变更责任单位/牵头单位, 变更期限, 变更标题, 调整分解节点, 变更节点期限, 调整提醒督办规则, 移除), and the snapshot after a change. The
 * snapshot keeps every item in its place (a removed one stays, at most cancelled) and appends new ones, because the
 * plan workflow counts its items by position.
 */
import type { IsoDate } from '../domain/iso-date.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import type { Deliverable, Plan } from './plan-schema.ts';
import { taskItemPrefix, taskItems, trackedItems } from './task-items.ts';
import { milestoneChanges } from '../workflows/deliverable-changes.ts';
import { ruleChanges } from '../workflows/policy-changes.ts';
import { deliverableInput } from './plan-inputs.ts';

/** One change of one item. Unit lists are resolved unit ids, the lead first. */
export type PlanChange =
  | { readonly kind: 'added'; readonly id: string; readonly deliverable: Deliverable }
  | { readonly kind: 'units'; readonly id: string; readonly from: readonly string[]; readonly to: readonly string[] }
  | { readonly kind: 'due'; readonly id: string; readonly from: IsoDate; readonly to: IsoDate }
  | { readonly kind: 'title'; readonly id: string; readonly from: string; readonly to: string }
  /** A milestone (分解节点) the item had and still has, moved to another date. */
  | { readonly kind: 'milestoneDue'; readonly id: string; readonly milestoneId: string; readonly title: string; readonly from: IsoDate; readonly to: IsoDate }
  /** Milestones added, removed, renamed or given other units of their own (`edits` says which, in words). */
  | { readonly kind: 'milestones'; readonly id: string; readonly edits: readonly string[] }
  /** The item's reminder and escalation rules (its policy as the plan's and its own make it, the 督办 ladder), in words. */
  | { readonly kind: 'rules'; readonly id: string; readonly edits: readonly string[] }
  | { readonly kind: 'removed'; readonly id: string; readonly title: string };

/** Everything a changed plan file changes, and the snapshot that results. */
export interface PlanDiff {
  readonly changes: readonly PlanChange[];
  /** The running snapshot with the file's changes laid over it (removed items kept, new ones appended). */
  readonly merged: Plan;
  /** Plan-wide changes beside the items': the calendar (only items started from now on take it), units' new names or addresses (every item's mail takes them). */
  readonly notes: readonly string[];
}

/** Compares the running plan's snapshot with a changed (validated) plan file of the same plan. */
export function diffPlans(running: Plan, file: Plan): PlanDiff {
  const changes: PlanChange[] = [];
  // Task items (工作任务 tracked without an annex deliverable) count as items like the deliverables.
  const runningItems = trackedItems(running);
  const fileItems = trackedItems(file);
  const inFile = new Map(fileItems.map((d) => [d.id, d]));
  const kept = new Set(runningItems.map((d) => d.id));
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  for (const before of runningItems) {
    const after = inFile.get(before.id);
    if (!after) {
      changes.push({ kind: 'removed', id: before.id, title: before.title });
      continue;
    }
    const from = resolveUnitIds(running, before.units);
    const to = resolveUnitIds(file, after.units);
    if (from.join() !== to.join()) changes.push({ kind: 'units', id: before.id, from, to });
    if (before.due !== after.due) changes.push({ kind: 'due', id: before.id, from: before.due, to: after.due });
    if (before.title !== after.title) changes.push({ kind: 'title', id: before.id, from: before.title, to: after.title });
    // The rules as the item runs them, the plan's policy and ladder with its own policy over them.
    const rules = ruleChanges(deliverableInput(running, before.id), deliverableInput(file, before.id));
    if (rules.length > 0) changes.push({ kind: 'rules', id: before.id, edits: rules });
    // Milestones added, removed, renamed or given other units reach the running item by its revision; a kept
    // milestone's new date by its own extension (as 督查室 moves one in the console).
    const edits = milestoneChanges(namedMilestones(running, before), namedMilestones(file, after));
    if (edits.length > 0) changes.push({ kind: 'milestones', id: before.id, edits });
    for (const m of after.milestones ?? []) {
      const was = before.milestones?.find((b) => b.id === m.id);
      if (was && was.due !== m.due) changes.push({ kind: 'milestoneDue', id: before.id, milestoneId: m.id, title: m.title, from: was.due, to: m.due });
    }
  }
  for (const d of fileItems) if (!kept.has(d.id)) changes.push({ kind: 'added', id: d.id, deliverable: d });

  const notes: string[] = [];
  if (differs(running.calendar.overrides, file.calendar.overrides)) notes.push('工作日历有变更：只对新增事项生效');
  const addresses = file.units.filter((u) => { const old = running.units.find((r) => r.id === u.id); return old && differs(old, u); });
  if (addresses.length > 0) notes.push(`单位名称或邮箱有变更（${addresses.map((u) => u.name).join('、')}）：应用后一分钟内，所有事项的邮件按新名称和邮箱发送`);
  return { changes, merged: mergedPlan(running, file), notes };
}

/** An item's milestones with their own units named, as a revision's words need them. */
function namedMilestones(plan: Plan, item: Deliverable) {
  return (item.milestones ?? []).map(({ id, title, due, units }) => ({
    id, title, due, ...(units ? { units: resolveUnitIds(plan, units).map((unitId) => ({ unitId, name: plan.units.find((u) => u.id === unitId)?.name ?? unitId })) } : {}),
  }));
}

/** The running plan with the file's version of each kept item, removed items as they were, new items appended. */
function mergedPlan(running: Plan, file: Plan): Plan {
  const runningItems = trackedItems(running);
  const fileItems = trackedItems(file);
  const fromFile = new Map(fileItems.map((d) => [d.id, d]));
  const known = new Set(runningItems.map((d) => d.id));
  const missing = <T extends { id: string }>(ours: readonly T[], theirs: readonly T[]) => theirs.filter((t) => !ours.some((o) => o.id === t.id));
  return {
    ...file,
    // A removed item keeps the units, groups and task it names, though the file no longer lists them.
    units: [...file.units, ...missing(file.units, running.units)],
    groups: [...file.groups, ...missing(file.groups, running.groups)],
    tasks: [...file.tasks, ...missing(file.tasks, running.tasks)],
    // Task items written out as items of their own (see withTaskItemsPinned), so none appears or vanishes in between.
    deliverables: [
      ...runningItems.map((d) => fromFile.get(d.id) ?? d),
      ...fileItems.filter((d) => !known.has(d.id)),
    ],
  };
}

/**
 * The plan with its task items written out as deliverables (`task-<task>`, still task items by `isTaskItem`), so an
 * item appended later comes after them, and a new deliverable under a task does not make its task item vanish: the
 * plan workflow counts its items by position.
 */
export function withTaskItemsPinned(plan: Plan): Plan {
  const items = taskItems(plan);
  return items.length === 0 ? plan : { ...plan, deliverables: [...plan.deliverables, ...items] };
}

/**
 * The plan as its author would write it: written-out task items left out again (they are derived from the tasks),
 * for checking with `checkPlan`, which holds annex numbers unique and task items share their tasks' numbers.
 */
export function withoutPinnedTaskItems(plan: Plan): Plan {
  if (!plan.trackTasks) return plan;
  return { ...plan, deliverables: plan.deliverables.filter((d) => d.id !== `${taskItemPrefix}${d.task}`) };
}

/** A new item (临时交办) for the console: the next number, an id `x<number>` not yet used. */
export interface AddedItem {
  readonly title: string;
  readonly task: string;
  /** Unit ids, the lead first. */
  readonly units: readonly string[];
  readonly due: IsoDate;
}

/** The plan with a 临时交办 item appended; returns its id. */
export function withAddedItem(running: Plan, item: AddedItem): { plan: Plan; id: string } {
  const plan = withTaskItemsPinned(running);
  const number = Math.max(0, ...plan.deliverables.map((d) => d.number)) + 1;
  let id = `x${number}`;
  for (let n = 2; plan.deliverables.some((d) => d.id === id); n += 1) id = `x${number}-${n}`;
  const deliverable: Deliverable = { id, number, title: item.title, task: item.task, units: [...item.units], due: item.due, dueAssumed: false };
  return { plan: { ...plan, deliverables: [...plan.deliverables, deliverable] }, id };
}

/** The plan with one item's units (lead first), title, due date or milestones replaced, so the snapshot says what runs. */
export function withItemChanged(running: Plan, id: string, change: Partial<Pick<Deliverable, 'units' | 'title' | 'due' | 'milestones'>>): Plan {
  const plan = withTaskItemsPinned(running);
  return { ...plan, deliverables: plan.deliverables.map((d) => (d.id === id ? { ...d, ...change } : d)) };
}

/** The Chinese line of one change, for the CLI's diff and the console. */
export function describeChange(change: PlanChange, unitName: (id: string) => string): string {
  const names = (ids: readonly string[]) => ids.map(unitName).join('、');
  switch (change.kind) {
    case 'added':
      return `新增事项  ${change.id} 第${change.deliverable.number}项 ${change.deliverable.title}（牵头 ${unitName(change.deliverable.units[0]!)}，期限 ${change.deliverable.due}）`;
    case 'units': {
      const lead = change.from[0] !== change.to[0] ? `；牵头单位 ${unitName(change.from[0]!)} → ${unitName(change.to[0]!)}` : '';
      return `${lead ? '变更牵头单位' : '变更责任单位'}  ${change.id} ${names(change.from)} → ${names(change.to)}${lead}`;
    }
    case 'due':
      return `变更期限  ${change.id} ${change.from} → ${change.to}`;
    case 'title':
      return `变更标题  ${change.id} “${change.from}” → “${change.to}”`;
    case 'milestoneDue':
      return `变更节点期限  ${change.id} 节点“${change.title}” ${change.from} → ${change.to}`;
    case 'milestones':
      return `调整分解节点  ${change.id} ${change.edits.join('；')}`;
    case 'rules':
      return `调整提醒督办规则  ${change.id} ${change.edits.join('；')}`;
    case 'removed':
      return `移除事项  ${change.id} ${change.title}`;
  }
}
