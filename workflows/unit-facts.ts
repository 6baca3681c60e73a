/** The small extract of a deliverable's view that a unit's action answers with (see {@link UnitFacts}). */
import type { DeliverableStatusView, UnitFacts } from './definitions.ts';

/** What `unitId`'s result page shows: the item, that unit and the lead, and the files of that unit's confirmation. */
export function unitFacts(view: DeliverableStatusView, unitId: string): UnitFacts {
  const units = view.units
    .filter((u) => u.unitId === unitId || u.lead)
    .map(({ unitId: id, name, lead, confirmedAt, acknowledgedAt }) => ({ unitId: id, name, lead, confirmedAt, acknowledgedAt }));
  const confirmedAt = units.find((u) => u.unitId === unitId)?.confirmedAt;
  const attachments = confirmedAt ? view.attachments?.filter((a) => a.unitId === unitId && a.at === confirmedAt) : undefined;
  const { number, title, status, light, due, originalDue, escalationLevel, completion } = view;
  return { number, title, status, light, due, originalDue, escalationLevel, completion, units, ...(attachments?.length ? { attachments } : {}) };
}
