/**
 * What each console role may do. 督查 (supervisor) takes every console action except those reserved to
 * leadership; 领导 (leadership) reads and writes 批示; readers only read. An action nobody listed here (one added
 * later) is therefore the supervisor's alone.
 */
import type { ConsoleRole } from '../../domain/console-roles.ts';
import type { Session } from '../auth/session.ts';

export type { ConsoleRole };

/** Console actions only leadership takes. */
const leadershipActions: ReadonlySet<string> = new Set(['instruct']);

/** Role names as the console shows them. */
export const roleNames: Readonly<Record<ConsoleRole, string>> = { supervisor: '督查', leadership: '领导', reader: '只读' };

/** The signed-in person's role in a plan, or undefined when the plan is not theirs. */
export function roleIn(session: Session, planId: string): ConsoleRole | undefined {
  return Object.hasOwn(session.user.roles, planId) ? session.user.roles[planId] : undefined;
}

/** Whether a role may take a console action (the last segment of the form's path: `escalate`, `instruct`, …). */
export function mayTake(role: ConsoleRole | undefined, action: string): boolean {
  if (role === 'supervisor') return !leadershipActions.has(action);
  if (role === 'leadership') return leadershipActions.has(action);
  return false;
}

/** Why a role may not take an action, for the 403 page. */
export function refusalOf(role: ConsoleRole | undefined, action: string): string {
  if (role === undefined) return '您没有该工作计划的访问权限。';
  if (role === 'supervisor') return '批示由领导作出，督查人员不能代为批示。';
  return `您在本计划中的角色为“${roleNames[role]}”，${role === 'leadership' ? '只能查看和作出批示' : '只能查看'}，不能办理此操作（${action}）。`;
}
