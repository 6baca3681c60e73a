/** 催签通知: a responsible unit has not acknowledged (签收) its assignment within the plan's working days. */
import { deliverableFacts, deliverableSubject, dueText, officeOf, quoted, type Template } from './common.ts';

/** The 催签 a unit gets; from the second one on the supervisor is copied and the wording is firmer. */
export const acknowledgementReminder: Template = ({ notification: n, recipient, copy }) => {
  const days = n.context.workingDaysSinceAssignment;
  const since = days === undefined ? '已交办' : `交办已${days}个工作日`;
  const repeat = (n.context.round ?? 1) > 1;
  const ask = copy
    ? `现予催签，抄送${recipient.name}知悉。`
    : `请及时通过下方“签收”链接签收，并于${dueText(n)}前办结${repeat ? `；如对交办事项有异议，请与${officeOf(n).supervisor}联系` : ''}。报告进展、申请延期或确认完成，也视为已签收。`;
  return {
    subject: deliverableSubject(n, repeat ? '再次催签' : '催签通知', since),
    heading: repeat ? '再次催签通知' : '催签通知',
    paragraphs: [`${quoted(n)}${since}，${copy ? '以上单位' : '你单位'}尚未签收。${ask}`],
    facts: [...deliverableFacts(n, recipient), ['签收情况', `${since}，尚未签收${repeat ? `（第${n.context.round}次催签）` : ''}`]],
  };
};
