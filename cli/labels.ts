/** How statuses, lights and levels read on a terminal, shared by `duban status` and the action commands. */
import { statusName } from '../domain/status-labels.ts';
import type { DeliverableStatusView, Light } from '../workflows/definitions.ts';

export { statusName };

const lightSymbols: Record<Light, string> = { green: '🟢', yellow: '🟡', red: '🔴', grey: '⚪' };

/** `已督办 (escalated)`. */
export function statusLabel(status: string): string {
  const name = statusName(status);
  return name === status ? status : `${name} (${status})`;
}

/** 🟢 🟡 🔴 ⚪, or `?` for an unknown light. */
export function lightSymbol(light: string): string {
  return lightSymbols[light as Light] ?? '?';
}

/** `—` for level 0, else the number. */
export function levelLabel(level: number): string {
  return level > 0 ? String(level) : '—';
}

/** Two lines on a deliverable after an action: what it is, and where it stands now. */
export function describeOutcome(view: DeliverableStatusView): string[] {
  const lead = view.units.find((u) => u.lead);
  const confirmed = view.units.filter((u) => u.confirmedAt).map((u) => u.name);
  const facts = [
    `${lightSymbol(view.light)} ${statusLabel(view.status)}`,
    `督办级别 ${levelLabel(view.escalationLevel)}`,
    `期限 ${view.due}${view.due === view.originalDue ? '' : ` (原 ${view.originalDue})`}`,
    confirmed.length ? `已确认 ${confirmed.join('、')}` : undefined,
    view.nextNotice ? `下一通知 ${view.nextNotice.kind} ${view.nextNotice.at.slice(0, 16).replace('T', ' ')}` : undefined,
  ];
  return [
    `✓ ${view.workflowId} ${view.title}${lead ? `（牵头 ${lead.name}）` : ''}`,
    `  ${facts.filter(Boolean).join(' · ')}`,
  ];
}
