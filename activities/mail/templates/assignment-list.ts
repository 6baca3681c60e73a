/** The combined 交办通知: every item assigned to one unit at one time, each with its facts and the unit's role. */
import type { Notification, Recipient } from '../../../workflows/definitions.ts';
import type { DocItem } from '../mail-doc.ts';
import { chineseDateInline } from '../format.ts';
import { openMilestonesFact } from './milestone.ts';
import { confirms, deliverableFacts, deliverableOf, itemNumber, officeOf, roleOf, type TemplateDoc } from './common.ts';

/** Annex deliverables first, then the tasks tracked as items, each in number order: the order of the list's items. */
export function inListOrder(notices: readonly Notification[]): Notification[] {
  const taskLast = (n: Notification) => Number(deliverableOf(n).itemKind === 'task');
  return [...notices].sort((a, b) => taskLast(a) - taskLast(b) || deliverableOf(a).number - deliverableOf(b).number);
}

/** The list notice for `recipient`; items in {@link inListOrder}. Links are added per item by the composer. */
export function assignmentList(notices: readonly Notification[], recipient: Recipient): TemplateDoc & { items: DocItem[] } {
  const first = notices[0]!;
  const office = officeOf(first);
  const sorted = inListOrder(notices);
  const leads = sorted.filter((n) => roleOf(n, recipient) === '牵头单位').length;
  const confirming = sorted.filter((n) => confirms(n, recipient)).length;
  const supports = sorted.length - confirming;
  const split = leads > 0 && leads < sorted.length ? `，其中你单位牵头${leads}项、协办${sorted.length - leads}项` : '';
  const asks = [
    ...(confirming > 0 ? ['须由你单位确认完成的事项，办结后请通过该事项所附链接确认完成'] : []),
    ...(supports > 0 ? ['由牵头单位确认完成的事项，请配合牵头单位办理'] : []),
  ];
  const earliest = sorted.map((n) => deliverableOf(n).due).sort()[0]!;
  return {
    subject: `【交办通知】《${office.planTitle}》督办事项${sorted.length}项（最近期限：${chineseDateInline(earliest, first.timezone)}）`,
    heading: '交办通知',
    paragraphs: [
      `根据《${office.planTitle}》，现将以下${sorted.length}项督办事项交由你单位办理${split}。请按各事项办理期限办结：${asks.join('；')}。办理中如遇困难，可通过各事项所附链接报告进展或申请延期。`,
      `请收到本通知后通过各事项所附“签收”链接逐项签收。各事项办理期限已作为日历事项（共${sorted.length}项）附于本邮件，可添加到日历。`,
    ],
    items: sorted.map((n) => {
      const d = deliverableOf(n);
      // The heading names the item; the list drops the facts line that would repeat it.
      const facts = deliverableFacts(n, recipient).filter(([label]) => label !== '督办事项');
      return { heading: `${itemNumber(n)}\u3000${d.title}`, facts: [...(d.taskTitle ? [['所属任务', d.taskTitle] as [string, string]] : []), ...facts, ...openMilestonesFact(n)] };
    }),
  };
}
