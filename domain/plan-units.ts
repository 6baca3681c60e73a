/** Resolves the unit and group ids a plan uses into concrete units, keeping the document's order. */
import type { Plan } from '../config/plan-schema.ts';

/** Expands group ids into their member units, drops repeats, keeps first-seen order (so the lead stays first). */
export function resolveUnitIds(plan: Pick<Plan, 'groups'>, ids: readonly string[]): string[] {
  const resolved: string[] = [];
  for (const id of ids) {
    const group = plan.groups.find((g) => g.id === id);
    for (const member of group ? group.members : [id]) {
      if (!resolved.includes(member)) resolved.push(member);
    }
  }
  return resolved;
}

/** The Chinese display name of a unit or group id (the id itself when unknown). */
export function displayName(plan: Pick<Plan, 'units' | 'groups'>, id: string): string {
  return plan.units.find((u) => u.id === id)?.name ?? plan.groups.find((g) => g.id === id)?.name ?? id;
}
