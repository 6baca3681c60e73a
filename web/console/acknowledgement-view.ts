/** How 签收 reads in the console: per item (`2/3已签收`), and which units have items they never acknowledged. */
import type { DeliverableStatusView, UnitState } from '../../workflows/definitions.ts';

const closedStatuses = new Set(['done', 'cancelled', 'terminated', 'failed']);

/** Whether an item in this status still asks its units to acknowledge it: a closed item asks nothing more of anyone. */
export function asksAcknowledgement(status: string): boolean {
  return !closedStatuses.has(status);
}

/** The units of an open item that have not acknowledged it. */
export function unacknowledgedUnits(view: DeliverableStatusView): UnitState[] {
  return asksAcknowledgement(view.status) ? view.units.filter((u) => !u.acknowledgedAt) : [];
}

/** `全部已签收`, or `1/3已签收（未签收：研究室、办公室）`. */
export function acknowledgements(view: DeliverableStatusView): string {
  const missing = view.units.filter((u) => !u.acknowledgedAt);
  if (missing.length === 0) return '全部已签收';
  return `${view.units.length - missing.length}/${view.units.length}已签收（未签收：${missing.map((u) => u.name).join('、')}）`;
}

/** Units with open items they have not acknowledged, most such items first: who never opened its assignment. */
export function unitsNotAcknowledging(views: readonly DeliverableStatusView[]): { unitId: string; name: string; items: number }[] {
  const byUnit = new Map<string, { unitId: string; name: string; items: number }>();
  for (const unit of views.flatMap(unacknowledgedUnits)) {
    const entry = byUnit.get(unit.unitId) ?? { unitId: unit.unitId, name: unit.name, items: 0 };
    entry.items += 1;
    byUnit.set(unit.unitId, entry);
  }
  return [...byUnit.values()].sort((a, b) => b.items - a.items || a.unitId.localeCompare(b.unitId));
}
