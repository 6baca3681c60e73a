/** Templates of mid-year changes (issue 12 item 7): 责任单位调整通知, 分解节点调整通知 and 重新交办通知. */
import { deliverableFacts, deliverableSubject, dueText, officeOf, quoted, roleOf, type Template } from './common.ts';

/** 责任单位调整通知: to units that leave the item, and to every unit when the lead changes. */
export const unitsChanged: Template = ({ notification: n, recipient }) => {
  const role = roleOf(n, recipient);
  const before = n.context.previousUnits ?? [];
  const names = before.map((u) => u.name).join('、');
  const body = role
    ? `经${officeOf(n).supervisor}调整，${quoted(n)}的责任单位已变更，你单位现为${role}。请按调整后的分工办理。`
    : `经${officeOf(n).supervisor}调整，你单位不再承担${quoted(n)}，此前的交办通知和办理链接不再有效。特此通知。`;
  return {
    subject: deliverableSubject(n, '责任单位调整'),
    heading: '责任单位调整通知',
    paragraphs: [body],
    quotes: n.context.reason ? [['调整理由', n.context.reason]] : [],
    facts: [...deliverableFacts(n, recipient), ...(names ? [['原责任单位', names] as [string, string]] : []), ...(n.context.by ? [['调整人', n.context.by] as [string, string]] : [])],
  };
};

/**
 * 分解节点调整通知: to the units of the milestones a change added, removed, renamed, gave other units or moved; what
 * changed is quoted, and the milestones as they now stand follow among the facts (分解节点).
 */
export const milestonesChanged: Template = ({ notification: n, recipient }) => ({
  subject: deliverableSubject(n, '分解节点调整'),
  heading: '分解节点调整通知',
  paragraphs: [`经${officeOf(n).supervisor}调整，${quoted(n)}的分解节点已变更，请按调整后的节点安排办理；节点提醒将按新的安排发送。`],
  quotes: [
    ['调整内容', (n.context.milestoneChanges ?? []).join('；')],
    ...(n.context.reason ? [['调整理由', n.context.reason] as [string, string]] : []),
  ],
  facts: [...deliverableFacts(n, recipient), ...(n.context.by ? [['调整人', n.context.by] as [string, string]] : [])],
});

/** 重新交办通知: a closed item is open again, with a new due date. */
export const reopened: Template = ({ notification: n, recipient }) => ({
  subject: deliverableSubject(n, '重新交办'),
  heading: '重新交办通知',
  paragraphs: [`${officeOf(n).supervisor}决定重新打开${quoted(n)}，请按新的期限${dueText(n)}办理，办结后重新确认完成。`],
  quotes: n.context.reason ? [['重新交办理由', n.context.reason]] : [],
  facts: [...deliverableFacts(n, recipient), ...(n.context.by ? [['交办人', n.context.by] as [string, string]] : [])],
});
