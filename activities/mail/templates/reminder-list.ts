/**
 * The combined 提醒/催办 or 超期通知: the items one unit is reminded of at one instant, each with its single notice's
 * facts; and the combined 完成确认 a plan's round mails 督查室 (`confirmation-list.ts`).
 */
import type { Notification, Recipient } from '../../../workflows/definitions.ts';
import type { DocItem } from '../mail-doc.ts';
import { chineseDateInline, names } from '../format.ts';
import { inListOrder } from './assignment-list.ts';
import { confirms, deliverableOf, itemNumber, officeOf, type Template, type TemplateDoc } from './common.ts';
import { confirmationList } from './confirmation-list.ts';
import { overdue, reminder } from './deliverable.ts';
import { milestoneTemplate, openMilestonesFact } from './milestone.ts';

/** The kinds a unit may get combined: one shape (an item, its date, days left or over), one action each. */
export type ListedKind = 'reminder' | 'overdue' | 'confirmation';

type ReminderKind = Exclude<ListedKind, 'confirmation'>;

function singleTemplate(n: Notification): Template {
  return milestoneTemplate(n) ?? (n.kind === 'overdue' ? overdue : reminder);
}

/** The date an item's notice is about: its milestone's, or the item's own. */
function dateOf(n: Notification): string {
  return n.context.milestone?.due ?? deliverableOf(n).due;
}

/** The opening paragraph: what the items have in common and what the unit is asked to do. */
function opening(kind: ReminderKind, sorted: readonly Notification[], recipient: Recipient, copy: boolean): string {
  const count = sorted.length;
  const plan = `《${officeOf(sorted[0]!).planTitle}》`;
  const urged = sorted.filter((n) => n.context.stage === '催办').length;
  const state =
    kind === 'overdue'
      ? '已超过办理期限，尚未确认完成（超期情况见各事项）'
      : urged === 0
        ? '临近办理期限（剩余时间见各事项）'
        : `临近办理期限，尚未确认完成（剩余时间见各事项），${urged === count ? '' : `其中${urged}项`}现予催办`;
  if (copy) return `根据${plan}，以下${count}项督办事项${state}，已通知各事项责任单位。`;
  const confirming = sorted.filter((n) => !n.context.milestone && confirms(n, recipient)).length;
  const marking = sorted.filter((n) => n.context.milestone?.leadUnitId === recipient.unitId).length;
  const supports = count - confirming - marking;
  const asks = [
    ...(confirming > 0 ? ['须由你单位确认完成的事项，办结后请通过该事项所附链接确认完成'] : []),
    ...(marking > 0 ? ['由你单位标记完成的节点，完成后请通过该事项所附“节点完成”链接标记'] : []),
    ...(supports > 0 ? ['其余事项请配合牵头单位办理'] : []),
  ];
  const act = kind === 'overdue' || urged > 0 ? '请抓紧办理，尽快办结' : '请按计划推进，按期办结';
  const extend = kind === 'overdue' ? '确需延期的，请通过该事项所附链接说明理由、申请延期' : '确有困难的，请通过该事项所附链接报告进展或申请延期';
  return `根据${plan}，以下${count}项督办事项${state}。${act}：${asks.join('；')}。${extend}。`;
}

/** The subject: the kind in brackets (催办 when any item is urged), how many items, and the nearest date. */
function subjectOf(kind: ReminderKind, sorted: readonly Notification[], copy: boolean): string {
  const first = sorted[0]!;
  const bracket = kind === 'overdue' ? '超期通知' : sorted.some((n) => n.context.stage === '催办') ? '催办' : '提醒';
  const earliest = sorted.map(dateOf).sort()[0]!;
  const what = kind === 'overdue' ? '已超期' : '临近办理期限';
  const tail = `（${kind === 'overdue' ? '最早期限' : '最近期限'}：${chineseDateInline(earliest, first.timezone)}）`;
  return copy ? `【抄送·${bracket}】${sorted.length}项督办事项${what}${tail}` : `【${bracket}】你单位有${sorted.length}项督办事项${what}${tail}`;
}

/**
 * The list notice of `kind` for `recipient`; items in {@link inListOrder}, each with the facts its single notice lists
 * (stage, days left or overdue, milestone, the unit's role). Links are added per item by the composer.
 */
export function reminderList(kind: ListedKind, notices: readonly Notification[], recipient: Recipient, copy: boolean): TemplateDoc & { items: DocItem[] } {
  if (kind === 'confirmation') return confirmationList(notices);
  const sorted = inListOrder(notices);
  const urging = kind === 'reminder' && sorted.some((n) => n.context.stage === '催办');
  return {
    subject: subjectOf(kind, sorted, copy),
    heading: kind === 'overdue' ? '超期通知' : urging ? '催办通知' : '提醒通知',
    paragraphs: [opening(kind, sorted, recipient, copy)],
    items: sorted.map((n) => {
      const d = deliverableOf(n);
      // The heading names the item; the facts line that would repeat it is dropped, as in the combined 交办通知.
      const facts = (singleTemplate(n)({ notification: n, recipient, copy }).facts ?? []).filter(([label]) => label !== '督办事项');
      return {
        heading: `${itemNumber(n)}\u3000${d.title}`,
        facts: [...facts, ...openMilestonesFact(n), ...(n.cc.length > 0 ? [['抄送', names(n.cc)] as [string, string]] : [])],
      };
    }),
  };
}
