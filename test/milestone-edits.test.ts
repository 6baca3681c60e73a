/** A console edit of a plan item's milestones: placed by date, an id never used before, an unknown one not removed. */
import { describe, expect, it } from 'vitest';
import { editedMilestones } from '../activities/milestone-edits.ts';

const listed = [
  { id: 'fangan', title: '方案', due: '2026-04-30' },
  { id: 'zhongqi', title: '中期', due: '2026-07-31', units: ['banxin-1'] },
];

describe('editing an item’s milestones', () => {
  it('places a new milestone by its date, after those of the same date, with an id made from the time', () => {
    const now = Date.UTC(2026, 5, 1, 2);
    expect(editedMilestones(listed, { kind: 'add', title: '征求意见', due: '2026-07-31', unit: 'laifang' }, now)?.map((m) => [m.id, m.due, m.units])).toEqual([
      ['fangan', '2026-04-30', undefined], ['zhongqi', '2026-07-31', ['banxin-1']], [`m${now.toString(36)}`, '2026-07-31', ['laifang']],
    ]);
    expect(editedMilestones(listed, { kind: 'add', title: '调研', due: '2026-05-15' }, now)?.map((m) => m.title)).toEqual(['方案', '调研', '中期']);
    // A later edit never gets the id of one made before, so a link mailed for a removed milestone names no new one.
    expect(editedMilestones([], { kind: 'add', title: 'x', due: '2026-05-15' }, now + 1)![0]!.id).not.toBe(`m${now.toString(36)}`);
  });

  it('removes a milestone the item has, and gives nothing for one it does not', () => {
    expect(editedMilestones(listed, { kind: 'remove', milestoneId: 'fangan' }, 0)?.map((m) => m.id)).toEqual(['zhongqi']);
    expect(editedMilestones(listed, { kind: 'remove', milestoneId: 'zongjie' }, 0)).toBeUndefined();
  });
});
