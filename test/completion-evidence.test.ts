/** 办结材料 in the deliverable's own logic: what the confirm update accepts, and what state, log, view and notice keep of it. */
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { attachmentLimits, type AttachmentRef } from '../workflows/attachment-refs.ts';
import { confirmInput } from '../workflows/definitions.ts';
import { DeliverableMachine, InvalidActionError } from '../workflows/deliverable-machine.ts';
import { beijing } from './helpers/deliverable-harness.ts';

const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('the shipped plan does not validate');
const plan = loaded.plan;

function machine(): DeliverableMachine {
  const input = deliverableInput(plan, 'd10');
  return new DeliverableMachine(`${plan.id}/d10`, input, DeliverableMachine.initialState(input, beijing('2015-03-02 10:00')));
}

const ref = (n: number, extra: Partial<AttachmentRef> = {}): AttachmentRef => ({
  sha256: n.toString(16).padStart(64, '0'), name: `材料${n}.pdf`, type: 'application/pdf', size: 1000 + n, ...extra,
});

describe('the confirm update with 办结材料', () => {
  it('accepts references only: a 64-digit hash, a clean name, an allowed type, a bounded size and count', () => {
    expect(confirmInput.safeParse({ unitId: 'zonghe', attachments: [ref(1), ref(2)] }).success).toBe(true);
    const accepted = (attachments: unknown) => confirmInput.safeParse({ unitId: 'zonghe', attachments }).success;
    expect(accepted([ref(1, { sha256: 'ABC' })])).toBe(false);
    expect(accepted([ref(1, { name: '../secret.pdf' })])).toBe(false);
    expect(accepted([ref(1, { name: 'a\u202Efdp.exe' })])).toBe(false);
    expect(accepted([ref(1, { name: 'x'.repeat(101) })])).toBe(false);
    expect(accepted([ref(1, { type: 'text/html' as AttachmentRef['type'] })])).toBe(false);
    expect(accepted([ref(1, { size: attachmentLimits.maxFileBytes + 1 })])).toBe(false);
    expect(accepted([ref(1, { size: 0 })])).toBe(false);
    expect(accepted([1, 2, 3, 4, 5, 6].map((n) => ref(n)))).toBe(false);
    expect(accepted([ref(1), ref(1)])).toBe(false);
    expect(accepted([1, 2, 3].map((n) => ref(n, { size: 9 * 1024 * 1024 })))).toBe(false);
    expect(accepted([{ ...ref(1), bytes: 'JVBERi0=' }])).toBe(false);
  });

  it('keeps the references in state, log and view, and lists them in the mail to the supervisor', () => {
    const m = machine();
    const at = beijing('2015-06-01 10:00');
    m.checkConfirm({ unitId: 'zonghe', attachments: [ref(1), ref(2)] });
    const [notice] = m.confirm({ unitId: 'zonghe', note: '已印发', attachments: [ref(1), ref(2)] }, at);
    expect(notice).toMatchObject({ kind: 'confirmation', context: { unitId: 'zonghe', reason: '已印发' } });
    expect(notice!.context.attachments!.map((a) => [a.name, a.size, a.unitId])).toEqual([['材料1.pdf', 1001, 'zonghe'], ['材料2.pdf', 1002, 'zonghe']]);
    const view = m.view();
    expect(view.attachments).toHaveLength(2);
    expect(view.attachments![0]).toMatchObject({ sha256: ref(1).sha256, unitId: 'zonghe', at: view.units[0]!.confirmedAt });
    expect(view.events.at(-2)).toMatchObject({ type: 'action', what: 'confirm', by: 'zonghe', attachments: [ref(1), ref(2)] });
    // Plain JSON: nothing but references (no bytes) in what Temporal keeps.
    expect(JSON.stringify(m.state).length).toBeLessThan(4_000);
  });

  it('keeps the files of a confirmation sent back, and the mail lists only those of the standing one', () => {
    const m = machine();
    m.confirm({ unitId: 'zonghe', attachments: [ref(1)] }, beijing('2015-06-01 10:00'));
    m.reject({ by: '督查室', reason: '缺少分析报告' }, beijing('2015-06-02 10:00'));
    const [notice] = m.confirm({ unitId: 'zonghe', attachments: [ref(2)] }, beijing('2015-06-03 10:00'));
    expect(m.view().attachments!.map((a) => a.name)).toEqual(['材料1.pdf', '材料2.pdf']);
    expect(notice!.context.attachments!.map((a) => a.name)).toEqual(['材料2.pdf']);
  });

  it('sends no attachment list when a confirmation carries none', () => {
    const [notice] = machine().confirm({ unitId: 'zonghe', note: '已印发' }, beijing('2015-06-01 10:00'));
    expect(notice!.context.attachments).toBeUndefined();
    expect(notice!.context).toEqual({ unitId: 'zonghe', reason: '已印发' });
  });

  it('refuses a confirmation whose files would pass the deliverable’s limit, before it enters history', () => {
    const m = machine();
    let n = 0;
    for (let round = 0; round < attachmentLimits.maxPerDeliverable / 5; round += 1) {
      m.confirm({ unitId: 'zonghe', attachments: [1, 2, 3, 4, 5].map(() => ref(++n)) }, beijing('2015-06-01 10:00') + round * 60_000);
      m.reject({ by: '督查室', reason: '补充材料' }, beijing('2015-06-01 10:00') + round * 60_000 + 1);
    }
    expect(() => m.checkConfirm({ unitId: 'zonghe', attachments: [ref(++n)] })).toThrow(InvalidActionError);
    expect(() => m.checkConfirm({ unitId: 'zonghe' })).not.toThrow();
  });
});
