/** The office's own names (organisation, supervisor, leadership) as a plan gives or implies them. */
import type { Plan } from './plan-schema.ts';
import { displayName } from '../domain/plan-units.ts';
import type { OfficeNames } from '../workflows/definitions.ts';

/** The organisation a title begins with: `XX省人民政府办公厅2027年工作要点` → `XX省人民政府办公厅`; empty when none. */
export function organisationFromTitle(title: string): string {
  const match = /^\s*(\S.*?)\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年/u.exec(title);
  return match?.[1] ?? '';
}

/** The names every notice, page and picture of the plan uses. */
export function officeNamesOf(plan: Pick<Plan, 'title' | 'organisation' | 'units' | 'groups' | 'supervisor' | 'escalation'>): OfficeNames {
  const top = plan.escalation.at(-1);
  return {
    planTitle: plan.title,
    organisation: plan.organisation ?? organisationFromTitle(plan.title),
    supervisor: displayName(plan, plan.supervisor),
    leadership: top ? top.units.map((id) => displayName(plan, id)).join('、') : '',
  };
}
