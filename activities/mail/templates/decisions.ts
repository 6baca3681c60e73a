/** Templates of the notices that answer an action: 延期申请 and its 结果, 完成确认, 验收退回, 办结, 撤销. */
import { chineseDate, shortDate, unitName } from '../format.ts';
import { attachmentFacts, attachmentParagraphs } from './attachment-lines.ts';
import { confirmedAtText } from './confirmation-list.ts';
import { deliverableFacts, deliverableSubject, dueText, officeOf, quoted, supportsOnly, type Template } from './common.ts';

/** 延期申请 (to the supervisor): a unit asks for a later due date. */
export const extensionRequest: Template = ({ notification: n, recipient }) => {
  const unit = unitName(n, n.context.unitId);
  const to = n.context.requestedDue ? chineseDate(n.context.requestedDue, n.timezone) : '（未注明）';
  return {
    subject: deliverableSubject(n, '延期申请', n.context.requestedDue ? `${unit}申请延至${shortDate(n.context.requestedDue, n.timezone)}` : `${unit}申请延期`),
    heading: '延期申请',
    paragraphs: [`${unit}申请将${quoted(n)}的办理期限由${dueText(n)}延至${to}，请在督办系统中审核，作出同意或不同意的决定。`],
    quotes: n.context.reason ? [['申请理由', n.context.reason]] : [],
    facts: deliverableFacts(n, recipient),
    signature: '督办系统',
  };
};

/** 延期申请结果: approved (the new due date, with a calendar update) or denied (the due date stands). */
export const extensionDecision: Template = ({ notification: n, recipient }) => {
  const approved = n.context.approved === true;
  const previous = n.context.previousDue ? chineseDate(n.context.previousDue, n.timezone) : undefined;
  const requested = n.context.requestedDue ? chineseDate(n.context.requestedDue, n.timezone) : undefined;
  const body = approved
    ? `经审核，同意将${quoted(n)}的办理期限${previous ? `由${previous}` : ''}调整为${dueText(n)}。请按新的期限办结，日历事项已随本邮件更新。`
    : `经审核，不同意${quoted(n)}的延期申请${requested ? `（申请延至${requested}）` : ''}，办理期限仍为${dueText(n)}。请抓紧办理，按期办结。`;
  return {
    subject: deliverableSubject(n, '延期申请结果', approved ? '同意延期' : '不同意延期'),
    heading: '延期申请审核结果',
    paragraphs: [body],
    quotes: n.context.reason ? [[approved ? '审核意见' : '不同意理由', n.context.reason]] : [],
    facts: [...deliverableFacts(n, recipient), ['审核结果', approved ? '同意' : '不同意'], ...(n.context.by ? [['审核人', n.context.by] as [string, string]] : [])],
  };
};

/** 完成确认 (to the supervisor): the units confirmed; the item awaits acceptance. */
export const confirmation: Template = ({ notification: n, recipient }) => {
  const unit = unitName(n, n.context.unitId);
  return {
    subject: deliverableSubject(n, '完成确认·待验收', `${unit}已确认完成`),
    heading: '完成确认（待验收）',
    paragraphs: [`${unit}已确认${quoted(n)}办理完成，请在督办系统中验收：通过则办结，不通过请写明理由退回。`, ...attachmentParagraphs(n)],
    quotes: n.context.reason ? [['完成说明', n.context.reason]] : [],
    // A 完成确认 held for the plan's round goes out at the slot: when the units confirmed is a fact of its own.
    facts: [...deliverableFacts(n, recipient), ...(n.context.confirmedAt ? [['确认时间', confirmedAtText(n)] as [string, string]] : []), ...attachmentFacts(n)],
    signature: '督办系统',
  };
};

/** 验收退回: acceptance refused, back to the units with the reason. */
export const rejection: Template = ({ notification: n, recipient }) => ({
  subject: deliverableSubject(n, '验收退回'),
  heading: '验收退回通知',
  paragraphs: [
    `${officeOf(n).supervisor}对${quoted(n)}的办理情况验收未通过，现予退回。${supportsOnly(n, recipient) ? '请配合牵头单位按退回理由继续办理，由牵头单位办结后重新确认完成。' : '请按退回理由继续办理，办结后重新确认完成。'}`,
  ],
  quotes: n.context.reason ? [['退回理由', n.context.reason]] : [],
  facts: [...deliverableFacts(n, recipient), ...(n.context.by ? [['验收人', n.context.by] as [string, string]] : [])],
});

/** 办结通知: closed as done. */
export const completion: Template = ({ notification: n, recipient }) => ({
  subject: deliverableSubject(n, '办结通知'),
  heading: '办结通知',
  paragraphs: [`${quoted(n)}已办结，不再督办。特此通知。`],
  quotes: n.context.reason && n.context.reason !== '已办结' ? [['说明', n.context.reason]] : [],
  facts: deliverableFacts(n, recipient),
});

/** 撤销通知: closed without being done; the calendar entry is withdrawn. */
export const cancellation: Template = ({ notification: n, recipient }) => ({
  subject: deliverableSubject(n, '撤销通知'),
  heading: '撤销通知',
  paragraphs: [`${quoted(n)}已撤销，不再办理和督办，日历中的办理期限随本邮件取消。特此通知。`],
  quotes: n.context.reason ? [['撤销理由', n.context.reason]] : [],
  facts: deliverableFacts(n, recipient),
});
