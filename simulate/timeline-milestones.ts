/** 分解 on the simulation's timeline: a flag per milestone at its date, filled in its final light, hollow once done. */
import { escapeHtml } from '../activities/mail/html.ts';
import type { DeliverableStatusView } from '../workflows/definitions.ts';

const flagColours = { green: '#2e7d32', yellow: '#f2b500', red: '#c62828', grey: '#757575' } as const;

/** The flags of a row (SVG in the row's coordinates); `xOf` places a date on the working-day axis. */
export function milestoneFlags(view: Pick<DeliverableStatusView, 'milestones'>, xOf: (date: string) => number): string {
  return (view.milestones ?? []).map((m) => {
    const x = xOf(m.due);
    const colour = flagColours[m.light] ?? flagColours.grey;
    const state = m.doneAt ? `${m.closedWithItem ? '随事项完成' : '已完成'} ${m.doneAt.slice(0, 16).replace('T', ' ')}` : '未完成';
    return `<g class="milestone" data-milestone="${escapeHtml(m.id)}" data-light="${m.light}"><title>${escapeHtml(`节点 ${m.title} ${m.due} · ${state}`)}</title>`
      + `<path d="M${x} 2V14" stroke="#37474f" stroke-width="1"/><path d="M${x} 2L${x + 7} 5L${x} 8Z" fill="${m.doneAt ? '#ffffff' : colour}" stroke="${colour}" stroke-width="1.2"/></g>`;
  }).join('');
}
