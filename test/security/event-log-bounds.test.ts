/**
 * Threat: a unit's legitimate but endless posts (a year of hourly progress reports, repeated requests) grow the
 * deliverable's state without end, and with it every continue-as-new and status answer. The log keeps its newest
 * entries in full and counts the older ones; posts faster than the per-unit limits are refused up front.
 */
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import { eventLogLimit, noteMaxLength, progressInput } from '../../workflows/definitions.ts';
import { AlreadySubmittedError, DeliverableMachine, RateLimitedError, progressIntervalMs } from '../../workflows/deliverable-machine.ts';
import { beijing } from '../helpers/deliverable-harness.ts';

async function machineFor(deliverableId: string, start: number) {
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  const input = deliverableInput(loaded.plan, deliverableId);
  return new DeliverableMachine(`test/${deliverableId}`, input, DeliverableMachine.initialState(input, start));
}

describe('the event log of a deliverable', () => {
  it('keeps the newest entries in full and counts the older ones per kind and unit, whatever the number of reports', async () => {
    const start = beijing('2015-03-02 08:00');
    const machine = await machineFor('d10', start);
    const units = machine.input.units.map((u) => u.unitId);
    const note = '进展'.repeat(1_000);
    let now = start;
    for (let i = 0; i < 3_000; i += 1) {
      const unitId = units[i % units.length]!;
      machine.checkProgress({ unitId, note }, now);
      machine.reportProgress({ unitId, note }, now);
      now += progressIntervalMs / units.length;
    }
    const view = machine.view();
    expect(view.events).toHaveLength(eventLogLimit);
    expect(view.events.at(-1)).toMatchObject({ what: 'progress', note });
    expect(view.olderEvents!.count).toBe(3_000 - eventLogLimit);
    expect(view.olderEvents!.byKind['action:progress']).toBe(3_000 - eventLogLimit);
    expect(Object.values(view.olderEvents!.byUnit).reduce((a, b) => a + b, 0)).toBe(3_000 - eventLogLimit);
    // The whole state stays within what one history event may carry, far below Temporal's 2 MB payload limit.
    expect(Buffer.byteLength(JSON.stringify(machine.state))).toBeLessThan(eventLogLimit * noteMaxLength * 3 + 64 * 1024);
  });

  it('refuses a second progress report from the same unit within the hour, and accepts it an hour later', async () => {
    const start = beijing('2015-03-02 08:00');
    const machine = await machineFor('d10', start);
    const lead = machine.input.units[0]!.unitId;
    machine.reportProgress({ unitId: lead, note: '第一次' }, start);
    expect(() => machine.checkProgress({ unitId: lead, note: '第二次' }, start + progressIntervalMs - 1)).toThrow(RateLimitedError);
    expect(() => machine.checkProgress({ unitId: lead, note: '第二次' }, start + 1)).toThrow(/3月2日 09:00 后再试.*one per unit per hour/);
    // Another unit is not held up by the first.
    expect(() => machine.checkProgress({ unitId: machine.input.units[1]!.unitId, note: '协办' }, start + 1)).not.toThrow();
    expect(() => machine.checkProgress({ unitId: lead, note: '第二次' }, start + progressIntervalMs)).not.toThrow();
  });

  it('answers a repeated extension request from the same unit as already submitted', async () => {
    const start = beijing('2015-03-02 08:00');
    const machine = await machineFor('d10', start);
    const lead = machine.input.units[0]!.unitId;
    machine.requestExtension({ unitId: lead, to: '2015-12-30', reason: '会签' }, start);
    expect(() => machine.checkExtensionRequest({ unitId: lead, to: '2015-12-30', reason: '会签' }, start + 1)).toThrow(AlreadySubmittedError);
    expect(() => machine.checkExtensionRequest({ unitId: lead, to: '2015-12-29', reason: '另一理由' }, start + 2 * progressIntervalMs)).toThrow(/已提交，等待督查室决定/);
  });

  it('refuses a note longer than the limit with a message saying so, rather than cutting it', () => {
    const parsed = progressInput.safeParse({ unitId: 'zonghe', note: 'x'.repeat(noteMaxLength + 1) });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toContain(`不能超过 ${noteMaxLength} 字`);
  });
});
