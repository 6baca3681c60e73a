/** Templates of leadership instructions (批示): the 批示 (and its reminder) to the units, and a unit's answer to the supervisor. */
import { chineseDateTime, unitName } from '../format.ts';
import { deliverableFacts, deliverableSubject, quoted, supportsOnly, type Template } from './common.ts';
import type { InstructionNotice, Notification } from '../../../workflows/definitions.ts';

function instructionOf(n: Notification): InstructionNotice {
  if (!n.context.instruction) throw new Error(`notice ${n.key} (${n.kind}) carries no instruction`);
  return n.context.instruction;
}

/** 领导批示: a leader's instruction on the item, for the units to carry out and answer; or the reminder while unanswered. */
export const instruction: Template = ({ notification: n, recipient }) => {
  const p = instructionOf(n);
  const written = `${p.by}于${chineseDateTime(p.at, n.timezone)}对${quoted(n)}作出批示`;
  const ask = supportsOnly(n, recipient)
    ? '请配合牵头单位认真落实，落实情况由牵头单位答复；本单位如有情况，也可通过“答复批示”链接答复。'
    : '请认真研究落实，并通过“答复批示”链接答复落实情况。';
  return {
    subject: deliverableSubject(n, p.reminder ? '批示催复' : '领导批示', p.reminder ? `第${p.reminder}次提醒` : undefined),
    heading: p.reminder ? '领导批示答复提醒' : '领导批示',
    paragraphs: [p.reminder ? `${written}，你单位尚未答复（第${p.reminder}次提醒）。${ask}` : `${written}。${ask}`],
    quotes: [['批示内容', p.text]],
    facts: [...deliverableFacts(n, recipient), ['批示人', p.by], ['批示时间', chineseDateTime(p.at, n.timezone)]],
  };
};

/** 批示答复 (to the supervisor): a unit answered a 批示; the console shows it to the leader beside the 批示. */
export const instructionAnswer: Template = ({ notification: n, recipient }) => {
  const p = instructionOf(n);
  const unit = unitName(n, n.context.unitId);
  return {
    subject: deliverableSubject(n, '批示答复', `${unit}已答复`),
    heading: '批示答复',
    paragraphs: [`${unit}已答复${p.by}对${quoted(n)}所作批示，答复内容如下，可在督办系统中查看该事项全部批示及答复情况。`],
    quotes: [['批示内容', p.text], ['答复内容', p.answer ?? '']],
    facts: [...deliverableFacts(n, recipient), ['批示人', p.by], ['批示时间', chineseDateTime(p.at, n.timezone)], ['答复单位', unit]],
    signature: '督办系统',
  };
};
