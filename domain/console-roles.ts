/**
 * Who uses the console as what, per plan: 督查室 (supervisor: acts), leadership (领导: reads, writes 批示) and
 * readers (read only). Stated in the plan's optional `console` section, or derived as before it existed.
 */
import type { Plan } from '../config/plan-schema.ts';
import { resolveUnitIds } from './plan-units.ts';

/** A console role. */
export type ConsoleRole = 'supervisor' | 'leadership' | 'reader';

/** The console roles in order of precedence: a person in units of two roles gets the first. */
export const consoleRoles: readonly ConsoleRole[] = ['supervisor', 'leadership', 'reader'];

/** The units (resolved from groups) of each role. */
export type ConsoleRoleUnits = Readonly<Record<ConsoleRole, readonly string[]>>;

/**
 * The units of each role. An absent list takes today's default: the supervisor unit acts; every other unit of an
 * escalation level is leadership; nobody is a reader. Units already given a role are left out of a derived list.
 */
export function consoleRoleUnits(plan: Pick<Plan, 'supervisor' | 'escalation' | 'groups' | 'console'>): ConsoleRoleUnits {
  const stated = plan.console ?? {};
  const supervisors = resolveUnitIds(plan, stated.supervisors ?? [plan.supervisor]);
  const readers = resolveUnitIds(plan, stated.readers ?? []);
  const leadership = stated.leadership
    ? resolveUnitIds(plan, stated.leadership)
    : resolveUnitIds(plan, plan.escalation.flatMap((level) => level.units)).filter((u) => !supervisors.includes(u) && !readers.includes(u));
  return { supervisor: supervisors, leadership, reader: readers };
}
