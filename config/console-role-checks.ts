/** Checks of a plan's optional `console` section: known units, and one role per unit. */
import { consoleRoles, consoleRoleUnits } from '../domain/console-roles.ts';
import { resolveUnitIds } from '../domain/plan-units.ts';
import type { Plan } from './plan-schema.ts';

type Report = (path: (string | number)[], message: string) => void;
type CheckUnitRefs = (ids: readonly string[], path: (string | number)[]) => void;

const listNames = { supervisor: 'supervisors', leadership: 'leadership', reader: 'readers' } as const;

/** Reports unknown or repeated ids in each list, and a unit given two roles (at the later list's entry). */
export function checkConsoleRoles(plan: Plan, checkUnitRefs: CheckUnitRefs, report: Report): void {
  const stated = plan.console;
  if (!stated) return;
  for (const role of consoleRoles) {
    const ids = stated[listNames[role]];
    if (ids) checkUnitRefs(ids, ['console', listNames[role]]);
  }
  const known = new Set([...plan.units.map((u) => u.id), ...plan.groups.map((g) => g.id)]);
  const effective = consoleRoleUnits({ ...plan, console: filterKnown(stated, known) });
  const roleOfUnit = new Map<string, string>();
  for (const role of consoleRoles) {
    const ids = stated[listNames[role]];
    for (const unit of effective[role]) {
      const earlier = roleOfUnit.get(unit);
      if (earlier && earlier !== role) {
        const j = ids ? ids.findIndex((ref) => resolveUnitIds(plan, [ref]).includes(unit)) : -1;
        const path = j >= 0 ? ['console', listNames[role], j] : ['console', listNames[role]];
        report(path, `unit "${unit}" already has the console role "${listNames[earlier as keyof typeof listNames]}"; a unit has one role`);
      }
      roleOfUnit.set(unit, earlier ?? role);
    }
  }
}

// Unknown ids are reported once, by the reference check; the role check looks at the known ones only.
function filterKnown(stated: NonNullable<Plan['console']>, known: ReadonlySet<string>): NonNullable<Plan['console']> {
  const keep = (ids: readonly string[] | undefined) => ids?.filter((id) => known.has(id));
  return { supervisors: keep(stated.supervisors), leadership: keep(stated.leadership), readers: keep(stated.readers) };
}
