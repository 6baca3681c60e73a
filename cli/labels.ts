/** How statuses, lights and levels read on a terminal, shared by `duban status` and the action commands. */
import type { DeliverableStatus, DeliverableStatusView, Light } from '../workflows/definitions.ts';

const statusNames: Record<DeliverableStatus, string> = {
  assigned: '已交办',
  in_progress: '办理中',
  due_soon: '临期',
  overdue: '超期',
  escalated: '已督办',
  awaiting_acceptance: '待验收',
  done: '已办结',
  cancelled: '已撤销',
};

const lightSymbols: Record<Light, string> = { green: '🟢', yellow: '🟡', red: '🔴', grey: '⚪' };

/** `已督办`; an unknown value (from an older or newer workflow) is shown as it is. */
export function statusName(status: string): string {
  return statusNames[status as DeliverableStatus] ?? status;
}

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
