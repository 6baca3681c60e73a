/**
 * Who may use the console, and as what: the people of each plan's console roles (督查, 领导, readers; see
 * `domain/console-roles.ts`), by their plan emails.
 */
import type { Plan } from '../../config/plan-schema.ts';
import { consoleRoles, consoleRoleUnits, type ConsoleRole } from '../../domain/console-roles.ts';
import { officeNamesOf } from '../../config/office-names.ts';
import type { ConsoleUser } from './session.ts';

/** Who the console is for, in each plan's own names: `督查室及局领导`, several plans' joined by `；`. */
export function consoleAudienceOf(plans: readonly Plan[]): string {
  const each = plans.map((plan) => officeNamesOf(plan)).map(({ supervisor, leadership }) => (leadership ? `${supervisor}及${leadership}` : supervisor));
  return [...new Set(each)].join('；');
}

/**
 * One user per address (the first unit that lists it names it), with a role in every plan that lists it. An
 * address in units of two roles of one plan gets the first of supervisor, leadership, reader.
 */
export function consoleUsersOf(plans: readonly Plan[]): ConsoleUser[] {
  const users = new Map<string, { email: string; name: string; roles: Record<string, ConsoleRole> }>();
  for (const plan of plans) {
    const byRole = consoleRoleUnits(plan);
    for (const role of consoleRoles) {
      for (const unit of plan.units.filter((u) => byRole[role].includes(u.id))) {
        for (const email of unit.emails) {
          const user = users.get(email.toLowerCase()) ?? { email, name: unit.name, roles: {} };
          users.set(email.toLowerCase(), user);
          user.roles[plan.id] ??= role;
        }
      }
    }
  }
  return [...users.values()];
}
