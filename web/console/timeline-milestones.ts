/** 分解 on the timeline: each milestone as a small flag on its item's bar, at the end of its date, in its light's colour. */
import type { DeliverableStatusView, Light } from '../../workflows/definitions.ts';

/** One milestone's mark: where, in which light, and its tooltip. */
export interface MilestoneMark {
  readonly id: string;
  readonly x: number;
  readonly light: Light;
  readonly done: boolean;
  /** e.g. `节点 方案 2015-04-30 · 已完成 2015-04-28 10:00`. */
  readonly label: string;
}

/** The marks of a view's milestones; `dayX` places a date (`YYYY-MM-DD`) at the end of that day, as due dates are. */
export function milestoneMarks(view: Pick<DeliverableStatusView, 'milestones'>, dayX: (date: string) => number): MilestoneMark[] {
  return (view.milestones ?? []).map((m) => ({
    id: m.id, x: dayX(m.due), light: m.light, done: m.doneAt !== undefined,
    label: `节点 ${m.title} ${m.due}${m.doneAt ? ` · ${m.closedWithItem ? '随事项完成' : '已完成'} ${m.doneAt.slice(0, 16).replace('T', ' ')}` : ''}`,
  }));
}

/** A flag on a pole through the bar: filled in the light's colour while open, hollow once done. */
export function drawMilestoneMark(mark: MilestoneMark, mid: number, colours: Readonly<Record<Light, string>>, escape: (text: string) => string): string {
  const colour = colours[mark.light] ?? colours.grey;
  const { x } = mark;
  return `<g class="milestone" data-milestone="${escape(mark.id)}" data-light="${mark.light}"><title>${escape(mark.label)}</title>`
    + `<line x1="${x}" y1="${mid - 11}" x2="${x}" y2="${mid + 6}" stroke="#1f2328" stroke-width="1"/>`
    + `<path d="M${x} ${mid - 11}L${x + 7} ${mid - 8}L${x} ${mid - 5}Z" fill="${mark.done ? '#ffffff' : colour}" stroke="${colour}" stroke-width="1.2"/></g>`;
}

/** The legend's icon for milestones. */
export const milestoneLegendIcon = '<line x1="6" y1="-7" x2="6" y2="6" stroke="#1f2328" stroke-width="1"/><path d="M6 -7L13 -4L6 -1Z" fill="#2da44e"/>';
