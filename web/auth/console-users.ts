/** Who may use the console: the people of the supervisor unit and of every escalation level, by their plan emails. */
import type { Plan } from '../../config/plan-schema.ts';
import { resolveUnitIds } from '../../domain/plan-units.ts';
import type { ConsoleUser } from './session.ts';

/** 督查室 and leadership of every plan, one user per address (the first unit that lists it names it). */
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
