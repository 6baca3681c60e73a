/**
 * The pure parts of a mid-year change to one deliverable (issue 12 item 7): the input after a revision of its
 * units or title, and the state of a reopened item. Deterministic, so the machine and the workflow can use them.
 */
import type { IsoDate } from '../domain/iso-date.ts';
import type { DeliverableInput, MilestoneInput, Recipient, ReviseInput } from './definitions.ts';
import type { DeliverableState } from './deliverable-machine.ts';
import { ruleChanges } from './policy-changes.ts';

/** The revised input and who joins, who leaves, and whether the lead changes. */
export function revisionOf(input: DeliverableInput, { units, title, milestones: listed, policy, escalation }: ReviseInput): {
  input: DeliverableInput; added: Recipient[]; removed: Recipient[]; leadChanged: boolean;
} {
  const next = units ?? input.units;
  const had = new Set(input.units.map((u) => u.unitId));
  const has = new Set(next.map((u) => u.unitId));
  const followed = input.milestoneUnitsFollowItem && input.milestones && units ? { milestones: input.milestones.map((m) => milestoneAfter(m, next)) } : {};
  // Milestones the revision lists replace the item's (none left: the item has none, as one started without).
  const revised = listed === undefined ? { ...input, ...followed } : { ...withoutMilestones(input), ...(listed.length > 0 ? { milestones: listed } : {}) };
  return {
    input: { ...revised, units: next, ...(title !== undefined ? { title } : {}), ...(policy ? { policy } : {}), ...(escalation ? { escalation } : {}) },
    added: next.filter((u) => !had.has(u.unitId)),
    removed: input.units.filter((u) => !has.has(u.unitId)),
    leadChanged: next[0]!.unitId !== input.units[0]!.unitId,
  };
}

function withoutMilestones({ milestones: _milestones, ...rest }: DeliverableInput): DeliverableInput {
  return rest;
}

/**
 * A milestone after the item's units became `units`: one with units of its own keeps those still on the item (as the
 * revision lists them); one left with none, or with none of its own, goes to the item's units.
 */
function milestoneAfter(milestone: MilestoneInput, units: readonly Recipient[]): MilestoneInput {
  const { units: own, ...withoutUnits } = milestone;
  if (!own) return milestone;
  const kept = own.flatMap((unit) => units.filter((u) => u.unitId === unit.unitId));
  return kept.length > 0 ? { ...withoutUnits, units: kept } : withoutUnits;
}

/** The log line of a revision from `before` to `after`: what changed, in words. */
export function revisionNote(before: DeliverableInput, after: DeliverableInput, { title, milestones, policy, escalation, reason }: ReviseInput): string {
  const names = (units: readonly Recipient[]) => units.map((u) => u.name).join('、');
  const parts: string[] = [];
  if (before.units.map((u) => u.unitId).join() !== after.units.map((u) => u.unitId).join()) {
    parts.push(`责任单位：${names(before.units)} → ${names(after.units)}`);
    if (before.units[0]!.unitId !== after.units[0]!.unitId) parts.push(`牵头单位：${before.units[0]!.name} → ${after.units[0]!.name}`);
  }
  if (title !== undefined) parts.push(`标题改为“${title}”`);
  if (milestones !== undefined) parts.push(...milestoneChanges(before.milestones ?? [], milestones, { before: before.units, after: after.units }));
  if (policy || escalation) parts.push(...ruleChanges(before, after));
  return `${parts.join('；')}；${reason}`;
}

/** A milestone as {@link milestoneChanges} compares it: a revision's, or a plan file's with its units named. */
type ComparedMilestone = Pick<MilestoneInput, 'id' | 'title' | 'due'> & { readonly units?: readonly Pick<Recipient, 'unitId' | 'name'>[] };

/** One change a revision makes to a milestone: in words, and the milestone as it was and as it is (absent when added or removed). */
export interface MilestoneChange<M extends ComparedMilestone = ComparedMilestone> {
  readonly text: string;
  readonly before?: M;
  readonly after?: M;
}

/**
 * The item's units on either side of a revision. Given, a milestone whose own units are exactly the item's counts as
 * one without units of its own (it goes to the same units): a run started when every milestone listed its units is
 * not reported as re-assigning them when a plan file lists them without.
 */
export interface ItemUnits {
  readonly before: readonly Pick<Recipient, 'unitId'>[];
  readonly after: readonly Pick<Recipient, 'unitId'>[];
}

/** The milestones a revision adds, removes, renames or gives other units of their own, in words (dates aside). */
export function milestoneChanges(before: readonly ComparedMilestone[], after: readonly ComparedMilestone[], itemUnits?: ItemUnits): string[] {
  return milestoneChangeList(before, after, itemUnits).map((c) => c.text);
}

/** {@link milestoneChanges} with the milestones each change is about. */
export function milestoneChangeList<M extends ComparedMilestone>(before: readonly M[], after: readonly M[], itemUnits?: ItemUnits): MilestoneChange<M>[] {
  const was = new Map(before.map((m) => [m.id, m]));
  const is = new Set(after.map((m) => m.id));
  const ids = (units: readonly Pick<Recipient, 'unitId'>[] | undefined) => (units ?? []).map((u) => u.unitId).join();
  const ownUnits = (m: ComparedMilestone, side: keyof ItemUnits) => (itemUnits && ids(m.units) === ids(itemUnits[side]) ? '' : ids(m.units));
  const changes: MilestoneChange<M>[] = [];
  for (const m of after) {
    const old = was.get(m.id);
    if (!old) changes.push({ text: `新增节点“${m.title}”（${m.due}）`, after: m });
    else {
      if (old.title !== m.title) changes.push({ text: `节点“${old.title}”改为“${m.title}”`, before: old, after: m });
      if (ownUnits(old, 'before') !== ownUnits(m, 'after')) {
        changes.push({ text: `节点“${m.title}”的责任单位调整为${(m.units ?? []).map((u) => u.name).join('、') || '事项的责任单位'}`, before: old, after: m });
      }
    }
  }
  for (const m of before) if (!is.has(m.id)) changes.push({ text: `删除节点“${m.title}”`, before: m });
  return changes;
}

/**
 * The units to tell of milestone changes: those of every milestone changed, before or after (a milestone without
 * units of its own goes to the item's), that are on the item after the revision, in the item's order.
 */
export function unitsTold(before: DeliverableInput, after: DeliverableInput, changes: readonly MilestoneChange<MilestoneInput>[]): Recipient[] {
  const concerned = new Set(changes.flatMap((c) => [
    ...(c.before ? c.before.units ?? before.units : []), ...(c.after ? c.after.units ?? after.units : []),
  ].map((u) => u.unitId)));
  return after.units.filter((u) => concerned.has(u.unitId));
}

/** What a reopened item's state becomes: open, unconfirmed, on time until `due`, its ladder from the bottom. */
export function reopenState(due: IsoDate, now: number): Partial<DeliverableState> {
  return {
    phase: 'open', due, overdue: false, urged: false, level: 0, cursor: now, schedulePaused: undefined,
    confirmations: {}, completedAt: undefined, closedReason: undefined, pendingExtension: undefined,
  };
}
