import { describe, expect, it } from 'vitest';
import { answerInstructionUpdate, instructUpdate } from '../workflows/definitions.ts';
import { beijing, noticeLine, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();
const leader = '局领导（leadership@xinfang.example）';

describe('a leadership instruction (批示) on a deliverable', () => {
  it('goes to every unit copying 督查室, is reminded to the lead every 5 working days until answered, and the answer goes to 督查室', async () => {
    // d10: 综合指导司 leads, 办公室 helps, due 30 September 2015; the shipped policy reminds an unanswered 批示 after 5 working days.
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    const written = await run.update(instructUpdate, { by: leader, text: '请抓紧出台统计工作意见，月内报送。' });
    expect(written.instructions).toEqual([
      { id: 'p1', by: leader, at: expect.stringMatching(/^2015-09-01T10:00/), text: '请抓紧出台统计工作意见，月内报送。', answers: {}, answered: false, reminders: 0 },
    ]);
    await run.runUntil(beijing('2015-09-17 12:00'));
    expect(run.notices().map(noticeLine)).toEqual([
      expect.stringMatching(/^assignment 2015-09-01T10:00 → zonghe,bangongshi$/),
      expect.stringMatching(/^instruction 2015-09-01T10:00 → zonghe,bangongshi,duchashi$/),
      // 5 working days on: 3–4 September are off (victory day), Sunday 6 September is a make-up working day.
      'instruction 2015-09-09T09:00 → zonghe,duchashi',
      // 10 working days on, at the same instant as the schedule's first reminder: both go out.
      'reminder提醒 2015-09-16T09:00 → zonghe,bangongshi',
      'instruction 2015-09-16T09:00 → zonghe,duchashi',
    ]);
    expect(run.notices().filter((n) => n.kind === 'instruction').map((n) => n.context.instruction?.reminder)).toEqual([undefined, 1, 2]);

    const answered = await run.update(answerInstructionUpdate, { unitId: 'zonghe', instructionId: 'p1', text: '意见稿已形成，9月25日前报送。' });
    expect(answered.instructions?.[0]).toMatchObject({ answered: true, reminders: 2, answers: { zonghe: { text: '意见稿已形成，9月25日前报送。' } } });
    const answer = await run.delivered('instruction_answer');
    expect(noticeLine(answer)).toMatch(/^instruction_answer 2015-09-17T12:00 → duchashi$/);
    expect(answer.context.instruction).toMatchObject({ id: 'p1', by: leader, answer: '意见稿已形成，9月25日前报送。' });
    expect(answered.events.filter((e) => e.type === 'action').map((e) => [e.what, e.by, e.note])).toEqual([
      ['instruct', leader, '请抓紧出台统计工作意见，月内报送。'],
      ['answer_instruction', 'zonghe', '意见稿已形成，9月25日前报送。'],
    ]);

    // Answered: the third reminder (23 September) never comes.
    await run.runUntil(beijing('2015-09-29 12:00'));
    expect(run.notices().filter((n) => n.kind === 'instruction')).toHaveLength(3);
  });

  it('stops reminding after the third reminder; the console keeps showing it open', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'), (input) => ({ ...input, due: '2015-12-30' }));
    await run.update(instructUpdate, { by: leader, text: '请研究。' });
    await run.runUntil(beijing('2015-10-31 12:00'));
    expect(run.notices().filter((n) => n.kind === 'instruction').map(noticeLine)).toEqual([
      expect.stringMatching(/^instruction 2015-09-01T10:00 → zonghe,bangongshi,duchashi$/),
      'instruction 2015-09-09T09:00 → zonghe,duchashi',
      'instruction 2015-09-16T09:00 → zonghe,duchashi',
      'instruction 2015-09-23T09:00 → zonghe,duchashi',
    ]);
    expect((await run.status()).instructions?.[0]).toMatchObject({ answered: false, reminders: 3 });
  });

  it('refuses a repeated answer, an unknown 批示, a unit not responsible and an empty text before they enter history', async () => {
    const run = await harness().startDeliverable('d10', beijing('2015-09-01 10:00'));
    await run.update(instructUpdate, { by: leader, text: '请研究。' });
    await run.update(answerInstructionUpdate, { unitId: 'bangongshi', instructionId: 'p1', text: '配合落实。' });
    const before = await run.updateEventCount();
    const refused = async (arg: { unitId: string; instructionId: string; text: string }) =>
      run.handle.executeUpdate(answerInstructionUpdate, { args: [arg] }).then(() => 'accepted', (err: Error & { cause?: Error }) => err.cause?.message ?? err.message);
    expect(await refused({ unitId: 'bangongshi', instructionId: 'p1', text: '再次答复。' })).toContain('已答复');
    expect(await refused({ unitId: 'zonghe', instructionId: 'p9', text: '答复。' })).toContain('没有这条批示');
    expect(await refused({ unitId: 'laifang', instructionId: 'p1', text: '答复。' })).toContain('不是本事项的责任单位');
    expect(await refused({ unitId: 'zonghe', instructionId: 'p1', text: '' })).not.toBe('accepted');
    expect(await run.handle.executeUpdate(instructUpdate, { args: [{ by: leader, text: 'x'.repeat(2001) }] }).then(() => 'accepted', () => 'refused')).toBe('refused');
    expect(await run.updateEventCount()).toBe(before);
    // 办公室 answered, but under `completion: lead` the lead's answer is the one that counts.
    expect((await run.status()).instructions?.[0]).toMatchObject({ answered: false, answers: { bangongshi: { text: '配合落实。' } } });
  });
});
