/** Who may use the console: the people of the supervisor unit and of every escalation level, by their plan emails. */
import type { Plan } from '../../config/plan-schema.ts';
import { resolveUnitIds } from '../../domain/plan-units.ts';
import { officeNamesOf } from '../../config/office-names.ts';
import type { ConsoleUser } from './session.ts';

/** Who the console is for, in each plan's own names: `督查室及局领导`, several plans' joined by `；`. */
export function consoleAudienceOf(plans: readonly Plan[]): string {
  const each = plans.map((plan) => officeNamesOf(plan)).map(({ supervisor, leadership }) => (leadership ? `${supervisor}及${leadership}` : supervisor));
  return [...new Set(each)].join('；');
}

/** The supervisor and leadership of every plan, one user per address (the first unit that lists it names it). */
export function consoleUsersOf(plans: readonly Plan[]): ConsoleUser[] {
  const users = new Map<string, ConsoleUser>();
  for (const plan of plans) {
    const unitIds = resolveUnitIds(plan, [plan.supervisor, ...plan.escalation.flatMap((level) => level.units)]);
    for (const unit of plan.units.filter((u) => unitIds.includes(u.id))) {
      for (const email of unit.emails) if (!users.has(email.toLowerCase())) users.set(email.toLowerCase(), { email, name: unit.name });
    }
  }
  return [...users.values()];
}
