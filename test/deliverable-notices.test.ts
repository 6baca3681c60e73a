/** The deliverable machine's notices as numbers and recipients: days overdue, merging at one instant, the digest's progress. */
import { describe, expect, it } from 'vitest';
import { beijing } from './helpers/deliverable-harness.ts';
import { fireUntil, shippedMachine } from './helpers/shipped-machine.ts';

describe('the notices a deliverable sends', () => {
  it('says 已超期1个工作日 on the first working day after the due date, in one notice carrying 超期 and 督办', () => {
    // d02 due Tuesday 30 June 2015: overdue on Wednesday 1 July.
    const m = shippedMachine('d02', beijing('2015-06-01 10:00'));
    const sent = fireUntil(m, beijing('2015-07-01 12:00')).filter((n) => n.scheduledFor.startsWith('2015-07-01'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'escalation', context: { level: 1, workingDaysOverdue: 1 } });
    expect(sent[0]!.cc.map((r) => r.unitId)).toEqual(['duchashi']);
    expect(m.status).toBe('escalated');
  });

  it('copies the supervisor on a merged notice even when the level reached is leadership', () => {
    // d03 is led by 督查室 alone: its level 1 is passed over, so 通报 reaches 局领导 on the first overdue day.
    const m = shippedMachine('d03', beijing('2015-11-02 09:30'));
    const sent = fireUntil(m, beijing('2015-12-01 12:00')).filter((n) => n.scheduledFor.startsWith('2015-12-01'));
    expect(sent.map((n) => [n.kind, n.to.map((r) => r.unitId), n.cc.map((r) => r.unitId), n.context.workingDaysOverdue])).toEqual([
      ['escalation', ['duchashi'], ['leadership'], 1],
    ]);
  });

  it('carries the office’s names and the completion rule in every notice', () => {
    const [assignment] = shippedMachine('d02', beijing('2015-06-01 10:00')).assign(beijing('2015-06-01 10:00'));
    expect(assignment!.office).toEqual({ planTitle: '2015 年信访工作要点', organisation: '国家信访局', supervisor: '督查室', leadership: '局领导' });
    expect(assignment!.deliverable?.completion).toBe('lead');
  });

  it('gives the plan the latest progress text of any unit, cut to 200 characters', () => {
    const m = shippedMachine('d02', beijing('2015-06-01 10:00'));
    expect(m.summary().latestProgress).toBeUndefined();
    m.reportProgress({ unitId: 'laifang', note: '已召开协调会' }, beijing('2015-06-02 10:00'));
    m.reportProgress({ unitId: 'zonghe', note: '长'.repeat(300) }, beijing('2015-06-03 10:00'));
    const latest = m.summary().latestProgress!;
    expect(latest).toMatchObject({ unitName: '综合指导司', at: '2015-06-03T10:00:00.000+08:00' });
    expect(latest.note).toHaveLength(200);
    expect(m.view().units.find((u) => u.unitId === 'laifang')?.lastProgressNote).toBe('已召开协调会');
  });
});
