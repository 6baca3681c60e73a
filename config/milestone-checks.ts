/** Cross-field checks of a deliverable's milestones: ids, units, and dates inside the plan, in order, by the item's due date. */
import type { Deliverable, Plan } from './plan-schema.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';

type Report = (path: (string | number)[], message: string) => void;

/** `deliverables[11].milestones[0].due`, as problems print their paths. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Reports every problem of one deliverable's milestones at `path` (`deliverables[i]`). Dates are compared as working
 * days (a date on a day off moves to the next working day, as the item's does), so a milestone can never fall due
 * after its item.
 */
export function checkMilestones(plan: Plan, calendar: WorkingDayCalendar | undefined, deliverable: Deliverable, path: (string | number)[], report: Report): void {
  const milestones = deliverable.milestones ?? [];
  const itemUnits = new Set(resolveUnitIds(plan, deliverable.units));
  const firstUse = new Map<string, number>();
  const effective = (date: string) => (calendar?.covers(date) ? calendar.onOrAfter(date) : date);
  let previous: { due: string; index: number } | undefined;
  milestones.forEach((milestone, j) => {
    const at = [...path, 'milestones', j];
    const first = firstUse.get(milestone.id);
    if (first === undefined) firstUse.set(milestone.id, j);
    else report([...at, 'id'], `duplicate milestone id "${milestone.id}" (first used at ${pathText([...path, 'milestones', first])})`);

    (milestone.units ?? []).forEach((unit, k) => {
      if (!itemUnits.has(unit) && !plan.groups.some((g) => g.id === unit)) report([...at, 'units', k], `unit "${unit}" is not one of the deliverable's units (${[...itemUnits].join(', ')})`);
      else if (plan.groups.some((g) => g.id === unit && g.members.some((m) => !itemUnits.has(m)))) report([...at, 'units', k], `group "${unit}" has members that are not among the deliverable's units`);
    });
    const lead = milestone.units?.[0];
    if (lead !== undefined && plan.groups.some((g) => g.id === lead)) report([...at, 'units', 0], `the unit that marks a milestone done must be a single unit, not the group "${lead}"`);

    const due = milestone.due;
    if (due < plan.start || due > plan.end) {
      report([...at, 'due'], `milestone due date ${due} lies outside the plan period ${plan.start} – ${plan.end}`);
      return;
    }
    if (calendar && !calendar.covers(due)) {
      report([...at, 'due'], `milestone due date ${due}: its year is not covered by the plan's calendar`);
      return;
    }
    if (effective(due) > effective(deliverable.due)) {
      const moved = effective(due) === due ? '' : ` (a day off, moved to ${effective(due)})`;
      report([...at, 'due'], `milestone due date ${due}${moved} is after the deliverable's due date ${deliverable.due}`);
    }
    if (previous && due < previous.due) {
      report([...at, 'due'], `milestones must be in date order: ${due} is before the previous milestone's ${previous.due} (${pathText([...path, 'milestones', previous.index, 'due'])})`);
    }
    previous = { due, index: j };
  });
}
