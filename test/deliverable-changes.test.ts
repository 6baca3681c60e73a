/** The deliverable machine's mid-year changes, driven directly: revising units or lead, and reopening a closed item. */
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { reviseInput } from '../workflows/definitions.ts';
import { DeliverableMachine, InvalidActionError } from '../workflows/deliverable-machine.ts';
import { beijing } from './helpers/deliverable-harness.ts';

async function machineFor(deliverableId: string) {
  const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  const input = deliverableInput(loaded.plan, deliverableId);
  const machine = new DeliverableMachine(`test/${deliverableId}`, input, DeliverableMachine.initialState(input, beijing('2015-01-05 09:00')));
  machine.assign(beijing('2015-01-05 09:00'));
  return { machine, plan: loaded.plan };
}
/** A recipient as the `revise` input takes it (a mutable address list). */
const own = (u: { unitId: string; name: string; emails: readonly string[] }) => ({ ...u, emails: [...u.emails] });
const unit = (unitId: string) => ({ unitId, name: unitId, emails: [`${unitId}@xinfang.example`] });
const by = '督查室';

describe('changing a deliverable mid-year', () => {
  it('swaps the lead: both units are told with the new units in the notice, nobody is assigned twice', async () => {
    const { machine } = await machineFor('d02');
    const [zonghe, laifang] = machine.input.units;
    const change = { units: [own(laifang!), own(zonghe!)], reason: '改由来访接待司牵头', by };
    machine.checkRevise(change);
    const notices = machine.revise(change, beijing('2015-03-02 10:00'));
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId)])).toEqual([['units_changed', ['laifang', 'zonghe']]]);
    expect(notices[0]!.deliverable!.leadUnitId).toBe('laifang');
    expect(notices[0]!.context.previousUnits!.map((u) => u.unitId)).toEqual(['zonghe', 'laifang']);
    expect(machine.view().units.map((u) => [u.unitId, u.lead])).toEqual([['laifang', true], ['zonghe', false]]);
    expect(machine.state.events.at(-2)).toMatchObject({ type: 'action', what: 'revise', by });
    expect(() => machine.checkRevise(change)).toThrow(InvalidActionError);
  });

  it('assigns an added unit and tells a removed one; the removed unit’s confirmation no longer counts', async () => {
    const { machine } = await machineFor('d02');
    machine.confirm({ unitId: 'laifang' }, beijing('2015-03-02 10:00'));
    const notices = machine.revise({ units: [own(machine.input.units[0]!), unit('bangongshi')], reason: '调整分工', by }, beijing('2015-03-03 10:00'));
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId)])).toEqual([['assignment', ['bangongshi']], ['units_changed', ['laifang']]]);
    expect(machine.state.confirmations).toEqual({});
    expect(() => machine.checkConfirm({ unitId: 'laifang' })).toThrow('not a responsible unit');
  });

  it('refuses changes to a closed item and a unit listed twice before anything is recorded', async () => {
    const { machine } = await machineFor('d02');
    expect(reviseInput.safeParse({ units: [unit('zonghe'), unit('zonghe')], reason: 'r', by }).success).toBe(false);
    machine.cancel({ by, reason: '并入' }, beijing('2015-03-02 10:00'));
    expect(() => machine.checkRevise({ title: '新标题', reason: 'r', by })).toThrow('请先重新打开');
  });

  it('reopens a closed item: open again until the new date, unconfirmed, ladder from the bottom, its log kept', async () => {
    const { machine } = await machineFor('d02');
    machine.confirm({ unitId: 'zonghe' }, beijing('2015-06-01 10:00'));
    machine.accept({ by }, beijing('2015-06-02 10:00'));
    expect(machine.closed).toBe(true);
    const now = beijing('2015-07-01 10:00');
    expect(() => machine.checkReopen({ due: '2015-06-30', reason: 'r', by }, now)).toThrow('not a future date');
    machine.checkReopen({ due: '2015-09-30', reason: '需补充', by }, now);
    const logged = machine.state.events.length;
    const notices = machine.reopen({ due: '2015-09-30', reason: '需补充', by }, now);
    expect(notices.map((n) => [n.kind, n.to.map((r) => r.unitId), n.cc.map((r) => r.unitId)])).toEqual([['reopened', ['zonghe', 'laifang'], ['duchashi']]]);
    // The units acted on it before: in progress, not merely assigned; green, no level.
    expect([machine.status, machine.light, machine.state.level]).toEqual(['in_progress', 'green', 0]);
    expect(machine.view()).toMatchObject({ due: '2015-09-30', closedReason: undefined });
    expect(machine.view().units.every((u) => u.confirmedAt === undefined)).toBe(true);
    expect(machine.state.events.slice(0, logged).map((e) => e.what)).toContain('accept');
    expect(machine.state.events.at(-2)).toMatchObject({ what: 'reopen', note: expect.stringContaining('需补充；新期限 2015-09-30') });
    expect(machine.upcoming(now)[0]!.kind).toBe('reminder');
    expect(() => machine.checkReopen({ due: '2015-10-30', reason: 'r', by }, now)).toThrow('not closed');
  });
});

describe('completion after a change', () => {
  it('completes an item when the only unit still to confirm is removed', async () => {
    const { machine } = await machineFor('d01');
    const [first, second, third, fourth] = machine.input.units;
    for (const u of [first, second, third]) machine.confirm({ unitId: u!.unitId, note: '已完成' }, beijing('2015-06-01 10:00'));
    expect(machine.state.phase).toBe('open');
    const notices = machine.revise({ units: [own(first!), own(second!), own(third!)], reason: `${fourth!.name}不再承担`, by }, beijing('2015-06-02 10:00'));
    expect(notices.map((n) => n.kind)).toEqual(['units_changed', machine.input.policy.acceptanceRequired ? 'confirmation' : 'completion']);
    expect(machine.state.completedAt).toBeDefined();
  });
});
