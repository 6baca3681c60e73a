/**
 * The milestones (分解节点) of a running item as a change gives them: the list its `revise` takes from a plan, whether
 * the item already shows a list, and a console edit (one added or removed) of a plan item's milestones.
 */
import type { Deliverable } from '../config/plan-schema.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import type { DeliverableInput, DeliverableStatusView, ReviseInput } from '../workflows/definitions.ts';

/** An item's milestones as its input from the plan now lists them, for its `revise` (none: an empty list, which removes them). */
export function revisedMilestones(input: DeliverableInput): NonNullable<ReviseInput['milestones']> {
  return (input.milestones ?? []).map(({ id: milestoneId, title, due, units }) => ({
    id: milestoneId, title, due, ...(units ? { units: units.map((u) => ({ ...u, emails: [...u.emails] })) } : {}),
  }));
}

/** Whether a running item already shows `listed` (ids, titles, units; dates move on their own): a change applied before. */
export function showsMilestones(view: DeliverableStatusView, listed: NonNullable<ReviseInput['milestones']>): boolean {
  const itemUnits = view.units.map((u) => u.unitId);
  const shown = (view.milestones ?? []).map((m) => [m.id, m.title, m.units.join()].join('|'));
  const wanted = listed.map((m) => [m.id, m.title, (m.units?.map((u) => u.unitId) ?? itemUnits).join()].join('|'));
  return shown.join('\n') === wanted.join('\n');
}

type PlanMilestone = NonNullable<Deliverable['milestones']>[number];

/** A console edit of an item's milestones: one added (`unit`: its own unit, else the item's), or one removed. */
export type MilestoneEdit =
  | { readonly kind: 'add'; readonly title: string; readonly due: IsoDate; readonly unit?: string }
  | { readonly kind: 'remove'; readonly milestoneId: string };

/**
 * The plan milestones after `edit`, in date order (a new one after those of its date); undefined when the milestone
 * to remove is not the item's. A new milestone's id is made from `now`, never one the item had before: a unit's
 * 节点完成 link names its milestone by id, and a link mailed for a removed milestone must not mark a new one done.
 */
export function editedMilestones(milestones: readonly PlanMilestone[], edit: MilestoneEdit, now: number): PlanMilestone[] | undefined {
  if (edit.kind === 'remove') {
    return milestones.some((m) => m.id === edit.milestoneId) ? milestones.filter((m) => m.id !== edit.milestoneId) : undefined;
  }
  const added: PlanMilestone = { id: `m${now.toString(36)}`, title: edit.title, due: edit.due, ...(edit.unit ? { units: [edit.unit] } : {}) };
  const at = milestones.findIndex((m) => m.due > edit.due);
  return at === -1 ? [...milestones, added] : [...milestones.slice(0, at), added, ...milestones.slice(at)];
}
