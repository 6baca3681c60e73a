/** The combined 交办通知: every item assigned to one unit at one time, each with its facts and the unit's role. */
import type { Notification, Recipient } from '../../../workflows/definitions.ts';
import type { DocItem } from '../mail-doc.ts';
import { deliverableFacts, deliverableOf, officeOf, roleOf, supportsOnly, type TemplateDoc } from './common.ts';

/** The list notice for `recipient`; items in the plan's order. Links are added per item by the composer. */
export function assignmentList(notices: readonly Notification[], recipient: Recipient): TemplateDoc & { items: DocItem[] } {
  const first = notices[0]!;
  const office = officeOf(first);
  const sorted = [...notices].sort((a, b) => deliverableOf(a).number - deliverableOf(b).number);
  const leads = sorted.filter((n) => roleOf(n, recipient) === '牵头单位').length;
  const supports = sorted.filter((n) => supportsOnly(n, recipient)).length;
  const split = leads > 0 && leads < sorted.length ? `，其中你单位牵头${leads}项、协办${sorted.length - leads}项` : '';
  const confirmAsk = leads > 0 ? '牵头事项及须由你单位确认的事项，办结后请通过该事项下方的链接确认完成' : '各事项办结后请通过该事项下方的链接确认完成';
  const supportAsk = supports > 0 ? '；由牵头单位确认完成的协办事项，请配合牵头单位办理，无需你单位确认' : '';
  return {
    subject: `【交办通知】《${office.planTitle}》交由你单位办理事项${sorted.length}项`,
    heading: '交办通知',
    paragraphs: [
      `根据《${office.planTitle}》，现将以下${sorted.length}项督办事项交由你单位办理${split}。请按各事项办理期限办结：${confirmAsk}${supportAsk}。办理中如遇困难，可通过各事项的链接报告进展或申请延期。`,
      `各事项办理期限已作为日历事项（共${sorted.length}项）附于本邮件，可添加到日历。`,
    ],
    facts: [['事项数量', `${sorted.length}项`]],
    items: sorted.map((n) => {
      const d = deliverableOf(n);
      // The heading names the item; the list drops the facts line that would repeat it.
      const facts = deliverableFacts(n, recipient).filter(([label]) => label !== '督办事项');
      return { heading: `第${d.number}项\u3000${d.title}`, facts: [...(d.taskTitle ? [['所属任务', d.taskTitle] as [string, string]] : []), ...facts] };
    }),
  };
}
