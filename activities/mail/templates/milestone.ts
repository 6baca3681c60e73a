/** Templates of the notices about one milestone (节点) of a deliverable: 提醒/催办, 超期, 督办 against the milestone's own date. */
import type { Notification, NoticeMilestone, Recipient } from '../../../workflows/definitions.ts';
import { chineseDate, chineseDateInline } from '../format.ts';
import { deliverableFacts, deliverableOf, officeOf, quoted, type Template, type TemplateDoc } from './common.ts';

/** The milestone a notice is about; milestone templates are only chosen when it is set. */
function milestoneOf(n: Notification): NoticeMilestone {
  if (!n.context.milestone) throw new Error(`notice ${n.key} (${n.kind}) names no milestone`);
  return n.context.milestone;
}

/** `“制定进一步规范联合接访工作意见”的“征求意见”节点`. */
function named(n: Notification): string {
  return `${quoted(n)}的“${milestoneOf(n).title}”节点`;
}

function milestoneDue(n: Notification): string {
  return chineseDate(milestoneOf(n).due, n.timezone);
}

/** `【节点催办】健全完善新闻发布等制度·征求意见（节点期限：2015年5月29日 星期五）`. */
function subject(n: Notification, bracket: string, tail?: string): string {
  const due = `节点期限：${chineseDateInline(milestoneOf(n).due, n.timezone)}`;
  return `【${bracket}】${deliverableOf(n).title}·${milestoneOf(n).title}（${tail ? `${tail}，${due}` : due}）`;
}

/** Who marks the milestone done, and how. */
function markText(n: Notification, recipient: Recipient): string {
  const lead = deliverableOf(n).units.find((u) => u.unitId === milestoneOf(n).leadUnitId);
  return recipient.unitId === milestoneOf(n).leadUnitId ? '节点完成后，请通过下方“节点完成”链接标记' : `节点完成后由${lead?.name ?? '牵头单位'}标记完成`;
}

function facts(n: Notification, recipient: Recipient): [string, string][] {
  return [...deliverableFacts(n, recipient), ['当前节点', `${milestoneOf(n).title}（节点期限：${chineseDateInline(milestoneOf(n).due, n.timezone)}）`]];
}

function overdueText(n: Notification): string {
  const days = n.context.workingDaysOverdue;
  return days === undefined ? '已超期' : `已超期${days}个工作日`;
}

/** 节点提醒 / 节点催办: working days left before the milestone's date. */
export const milestoneReminder: Template = ({ notification: n, recipient }) => {
  const stage = n.context.stage ?? '提醒';
  const left = n.context.workingDaysLeft;
  const leftText = left === undefined ? '' : `剩余${left}个工作日`;
  const body = stage === '催办'
    ? `${named(n)}期限为${milestoneDue(n)}，距期限${leftText ? `仅${leftText}` : '已近'}，尚未完成，现予催办。请抓紧办理，按期完成；${markText(n, recipient)}。`
    : `${named(n)}期限为${milestoneDue(n)}，距期限${leftText || '已近'}。请按计划推进；${markText(n, recipient)}。`;
  return {
    subject: subject(n, stage === '催办' ? '节点催办' : '节点提醒', leftText || undefined),
    heading: stage === '催办' ? '节点催办通知' : '节点提醒通知',
    paragraphs: [body],
    facts: [...facts(n, recipient), ['提醒阶段', stage], ...(left === undefined ? [] : [['剩余时间', `${left}个工作日`] as [string, string]])],
  };
};

/** 节点超期通知: past the milestone's date and not marked done. */
export const milestoneOverdue: Template = ({ notification: n, recipient }) => {
  const late = overdueText(n);
  return {
    subject: subject(n, '节点超期', late),
    heading: '节点超期通知',
    paragraphs: [`${named(n)}期限为${milestoneDue(n)}，截至目前${late}，尚未标记完成。请立即办理，尽快完成；${markText(n, recipient)}。`],
    facts: [...facts(n, recipient), ['超期情况', late]],
  };
};

/** 节点督办 / 通报: the ladder's upper rungs for a late milestone. */
export const milestoneEscalation: Template = ({ notification: n, recipient }) => {
  const label = n.context.levelLabel ?? '督办';
  const level = n.context.level;
  const doc: TemplateDoc = {
    subject: subject(n, `节点${label}`, level === undefined ? undefined : `第${level}级`),
    heading: `节点${label === '督办' ? '督办通知' : label}`,
    paragraphs: [`${named(n)}期限为${milestoneDue(n)}，${overdueText(n)}仍未完成，现予${label}。请你单位高度重视，立即办理，并将办理情况及时报告${officeOf(n).supervisor}；${markText(n, recipient)}。`],
    facts: [...facts(n, recipient), ['超期情况', overdueText(n)], ['督办级别', `${level === undefined ? '' : `第${level}级\u3000`}${label}`]],
  };
  return doc;
};

/** The line every other notice of an item with milestones carries: its open milestones and their dates. */
export function openMilestonesFact(n: Notification): [string, string][] {
  const open = n.deliverable?.milestones;
  if (!open?.length || n.context.milestone) return [];
  return [['分解节点', open.map((m) => `${m.title}（${chineseDateInline(m.due, n.timezone)}）`).join('；')]];
}

/** The milestone template for a notice about a milestone, or undefined for any other notice. */
export function milestoneTemplate(n: Notification): Template | undefined {
  if (!n.context.milestone) return undefined;
  return n.kind === 'reminder' ? milestoneReminder : n.kind === 'overdue' ? milestoneOverdue : n.kind === 'escalation' ? milestoneEscalation : undefined;
}
