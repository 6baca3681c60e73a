/** Templates of the notices that drive a deliverable: 交办, 提醒/催办, 超期, 督办/通报. */
import type { Notification, Recipient } from '../../../workflows/definitions.ts';
import { names } from '../format.ts';
import { deliverableFacts, deliverableSubject, dueText, leadName, officeOf, quoted, roleOf, supportsOnly, type Template } from './common.ts';

/** 交办通知: the item is assigned; the lead is marked and the due date comes as a calendar entry. */
export const assignment: Template = ({ notification: n, recipient }) => {
  const role = roleOf(n, recipient);
  const ask = supportsOnly(n, recipient)
    ? `请配合牵头单位${leadName(n)}办理，于${dueText(n)}前完成你单位承担的工作，本事项由牵头单位确认完成；办理中如遇困难，可通过下方链接报告进展或申请延期。`
    : `请于${dueText(n)}前办结，并通过下方链接确认完成；办理中如遇困难，可报告进展或申请延期。`;
  return {
    subject: deliverableSubject(n, '交办通知'),
    heading: '交办通知',
    paragraphs: [
      `根据《${officeOf(n).planTitle}》，现将${quoted(n)}交由你单位办理${role ? `，你单位为本事项${role}` : ''}。${ask}`,
      '请收到本通知后通过下方“签收”链接签收。办理期限已作为日历事项附于本邮件，可添加到日历。',
    ],
    facts: deliverableFacts(n, recipient),
  };
};

/** 提醒 / 催办: working days left before the due date. */
export const reminder: Template = ({ notification: n, recipient }) => {
  const stage = n.context.stage ?? '提醒';
  const left = n.context.workingDaysLeft;
  const leftText = left === undefined ? '' : `剩余${left}个工作日`;
  const support = supportsOnly(n, recipient);
  const body =
    stage === '催办'
      ? `${quoted(n)}办理期限为${dueText(n)}，距期限${leftText ? `仅${leftText}` : '已近'}，${support ? '本事项尚未确认完成，现予催办。请配合牵头单位抓紧办理' : '你单位尚未确认完成，现予催办。请抓紧办理'}，按期办结；确有困难的，请及时申请延期。`
      : `${quoted(n)}办理期限为${dueText(n)}，距期限${leftText || '已近'}。${support ? '请配合牵头单位按计划推进，本事项由牵头单位确认完成。' : '请按计划推进，办结后通过下方链接确认完成。'}`;
  return {
    subject: deliverableSubject(n, stage, leftText || undefined),
    heading: stage === '催办' ? '催办通知' : '提醒通知',
    paragraphs: [body],
    facts: [...deliverableFacts(n, recipient), ['提醒阶段', stage], ...(left === undefined ? [] : [['剩余时间', `${left}个工作日`] as [string, string]])],
  };
};

/** `已超期3个工作日`, or `已超期` when the count is unknown. */
function overdueText(n: Notification): string {
  const days = n.context.workingDaysOverdue;
  return days === undefined ? '已超期' : `已超期${days}个工作日`;
}

/** 超期通知: past the due date and not confirmed. */
export const overdue: Template = ({ notification: n, recipient, copy }) => {
  const late = overdueText(n);
  const act = supportsOnly(n, recipient) ? '请配合牵头单位立即办理，尽快办结' : '请立即办理并尽快办结';
  // A copy carries no unit links, so it does not point at them.
  const extend = copy ? '确需延期的，请及时申请延期。' : '确需延期的，请通过下方链接说明理由、申请延期。';
  return {
    subject: deliverableSubject(n, '超期通知', late),
    heading: '超期通知',
    paragraphs: [`${quoted(n)}办理期限为${dueText(n)}，截至目前${late}，尚未确认完成。${act}；${extend}`],
    facts: [...deliverableFacts(n, recipient), ['超期情况', late]],
  };
};

/** Whom a unit reports to after 督办: the supervisor, or (when the unit is the supervisor) the level it was escalated to. */
function reportTo(n: Notification, recipient: Recipient): string {
  const office = officeOf(n);
  if (recipient.name !== office.supervisor) return office.supervisor;
  const above = n.cc.filter((r) => r.name !== office.supervisor);
  return above.length > 0 ? names(above) : office.leadership;
}

/** 督办通知 / 通报: the ladder's upper rungs, automatic or by hand with the supervisor's remark. */
export const escalation: Template = ({ notification: n, recipient, copy }) => {
  const label = n.context.levelLabel ?? '督办';
  const bracket = label === '督办' ? '督办通知' : label;
  const level = n.context.level;
  const reason = n.context.manual
    ? `${officeOf(n).supervisor}决定对${quoted(n)}进行${label}`
    : `${quoted(n)}办理期限为${dueText(n)}，${n.context.workingDaysOverdue === undefined ? '逾期' : overdueText(n)}仍未办结，现予${label}`;
  return {
    subject: deliverableSubject(n, bracket, level === undefined ? undefined : `第${level}级`),
    heading: bracket,
    paragraphs: [`${reason}。请你单位高度重视，立即办理，并将办理情况及时报告${reportTo(n, recipient)}${copy ? '。' : '；确需延期的，请通过下方链接申请延期。'}`],
    quotes: n.context.manual && n.context.remark ? [['督办意见', n.context.remark]] : [],
    facts: [
      ...deliverableFacts(n, recipient),
      ...(n.context.workingDaysOverdue !== undefined && !n.context.manual ? [['超期情况', overdueText(n)] as [string, string]] : []),
      ['督办级别', `${level === undefined ? '' : `第${level}级\u3000`}${label}${n.context.manual ? '（人工督办）' : ''}`],
    ],
  };
};
