/**
 * The pure parts of a mid-year change to one deliverable (issue 12 item 7): the input after a revision of its
 * units or title, and the state of a reopened item. Deterministic, so the machine and the workflow can use them.
 */
import type { IsoDate } from '../domain/iso-date.ts';
import type { DeliverableInput, MilestoneInput, Recipient, ReviseInput } from './definitions.ts';
import type { DeliverableState } from './deliverable-machine.ts';

/** The revised input and who joins, who leaves, and whether the lead changes. */
export function revisionOf(input: DeliverableInput, { units, title }: ReviseInput): {
  input: DeliverableInput; added: Recipient[]; removed: Recipient[]; leadChanged: boolean;
} {
  const next = units ?? input.units;
  const had = new Set(input.units.map((u) => u.unitId));
  const has = new Set(next.map((u) => u.unitId));
  const milestones = input.milestoneUnitsFollowItem && input.milestones && units ? { milestones: input.milestones.map((m) => milestoneAfter(m, next)) } : {};
  return {
    input: { ...input, units: next, ...(title !== undefined ? { title } : {}), ...milestones },
    added: next.filter((u) => !had.has(u.unitId)),
    removed: input.units.filter((u) => !has.has(u.unitId)),
    leadChanged: next[0]!.unitId !== input.units[0]!.unitId,
  };
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

/** The log line of a revision: what changed, in words. */
export function unitChangeNote(before: readonly Recipient[], after: readonly Recipient[], { title, reason }: ReviseInput): string {
  const names = (units: readonly Recipient[]) => units.map((u) => u.name).join('、');
  const parts: string[] = [];
  if (before.map((u) => u.unitId).join() !== after.map((u) => u.unitId).join()) {
    parts.push(`责任单位：${names(before)} → ${names(after)}`);
    if (before[0]!.unitId !== after[0]!.unitId) parts.push(`牵头单位：${before[0]!.name} → ${after[0]!.name}`);
  }
  if (title !== undefined) parts.push(`标题改为“${title}”`);
  return `${parts.join('；')}；${reason}`;
}

/** What a reopened item's state becomes: open, unconfirmed, on time until `due`, its ladder from the bottom. */
export function reopenState(due: IsoDate, now: number): Partial<DeliverableState> {
  return {
    phase: 'open', due, overdue: false, urged: false, level: 0, cursor: now, schedulePaused: undefined,
    confirmations: {}, completedAt: undefined, closedReason: undefined, pendingExtension: undefined,
  };
}
