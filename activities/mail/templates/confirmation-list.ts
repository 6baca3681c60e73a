/**
 * The combined 完成确认 (待验收) of a plan's round: every item whose units confirmed it since the round before, in one
 * mail to 督查室, each with who confirmed it and when (the mail goes out at the send slot, later than the confirmation).
 */
import type { Notification } from '../../../workflows/definitions.ts';
import type { DocItem } from '../mail-doc.ts';
import { chineseDateTime, leadAndPartners, unitName } from '../format.ts';
import { inListOrder } from './assignment-list.ts';
import { attachmentFacts } from './attachment-lines.ts';
import { deliverableOf, dueText, itemNumber, officeOf, type TemplateDoc } from './common.ts';

/** When the units confirmed: the held notice carries it; one sent at once was sent at that instant. */
export function confirmedAtText(n: Notification): string {
  return chineseDateTime(n.context.confirmedAt ?? n.scheduledFor, n.timezone);
}

/** The list of `notices` (all 完成确认 of one plan and one slot) for the supervisor; items in {@link inListOrder}. */
export function confirmationList(notices: readonly Notification[]): TemplateDoc & { items: DocItem[] } {
  const sorted = inListOrder(notices);
  const count = sorted.length;
  const withFiles = sorted.filter((n) => (n.context.attachments?.length ?? 0) > 0).length;
  return {
    subject: `【完成确认·待验收】${count}项督办事项已确认完成`,
    heading: '完成确认（待验收）',
    paragraphs: [
      `根据《${officeOf(sorted[0]!).planTitle}》，以下${count}项督办事项的责任单位已确认办理完成，请在督办系统中逐项验收：通过则办结，不通过请写明理由退回。`,
      ...(withFiles > 0 ? [`其中${withFiles === count ? '各' : `${withFiles}`}项随确认提交了办结材料（见各事项），请登录督办系统在该事项页面查看、下载后验收。`] : []),
    ],
    items: sorted.map((n) => {
      const d = deliverableOf(n);
      const { lead, partners } = leadAndPartners(d);
      return {
        heading: `${itemNumber(n)}\u3000${d.title}`,
        facts: [
          ['确认单位', unitName(n, n.context.unitId)],
          ['确认时间', confirmedAtText(n)],
          ['牵头单位', lead],
          ...(partners.length > 0 ? [['协办单位', partners.join('、')] as [string, string]] : []),
          ['办理期限', dueText(n)],
          ...(n.context.reason ? [['完成说明', n.context.reason] as [string, string]] : []),
          ...attachmentFacts(n),
        ],
      };
    }),
    signature: '督办系统',
  };
}
