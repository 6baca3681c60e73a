/** What every notice template shares: its input, the deliverable's facts, the addressee's role, the office's names. */
import type { Notification, OfficeNames, Recipient } from '../../../workflows/definitions.ts';
import { chineseDate, chineseDateInline, leadAndPartners } from '../format.ts';
import type { MailDoc } from '../mail-doc.ts';

/** One notice for one addressee. */
export interface TemplateInput {
  readonly notification: Notification;
  readonly recipient: Recipient;
  /** True when the addressee is copied (抄送), not asked to act. */
  readonly copy: boolean;
}

/** The part of a {@link MailDoc} a template writes; links, copy note and date are added by the composer. */
export type TemplateDoc = Omit<MailDoc, 'links' | 'copyNote' | 'date' | 'signature' | 'salutation'> & { readonly signature?: string };

/** A template: one per notice kind. */
export type Template = (input: TemplateInput) => TemplateDoc;

/**
 * The office's names; a notice recorded before plans carried them gets neutral words, never another office's
 * names.
 */
export function officeOf(n: Notification): OfficeNames {
  return n.office ?? { planTitle: n.planId, organisation: '', supervisor: '督查部门', leadership: '领导' };
}

/** The office's own signature: `国家信访局督查室`, `XX省人民政府办公厅督查处`. */
export function officeSignature(n: Notification): string {
  const { organisation, supervisor } = officeOf(n);
  return organisation && !supervisor.startsWith(organisation) ? `${organisation}${supervisor}` : supervisor;
}

/** The deliverable of a notice; deliverable kinds cannot be written without one. */
export function deliverableOf(n: Notification): NonNullable<Notification['deliverable']> {
  if (!n.deliverable) throw new Error(`notice ${n.key} (${n.kind}) has no deliverable`);
  return n.deliverable;
}

/** `“组织实施2014年信访工作考核”`. */
export function quoted(n: Notification): string {
  return `“${deliverableOf(n).title}”`;
}

/** `2015年3月31日（星期二）`: the deliverable's (current) due date. */
export function dueText(n: Notification): string {
  return chineseDate(deliverableOf(n).due, n.timezone);
}

/** `【交办通知】组织实施2014年信访工作考核（期限：2015年3月31日 星期二）`. */
export function deliverableSubject(n: Notification, bracket: string, tail?: string): string {
  const d = deliverableOf(n);
  const due = `期限：${chineseDateInline(d.due, n.timezone)}`;
  return `【${bracket}】${d.title}（${tail ? `${tail}，${due}` : due}）`;
}

/** `第4项`, or `工作任务第2项` for a plan task tracked as an item (task and annex numbers overlap). */
export function itemNumber(n: Notification): string {
  const d = deliverableOf(n);
  return `${d.itemKind === 'task' ? '工作任务' : ''}第${d.number}项`;
}

/** 牵头单位 / 协办单位 for a responsible unit, undefined for anyone else. */
export function roleOf(n: Notification, recipient: Recipient): '牵头单位' | '协办单位' | undefined {
  const d = n.deliverable;
  if (!d?.units.some((u) => u.unitId === recipient.unitId)) return undefined;
  return d.leadUnitId === recipient.unitId ? '牵头单位' : '协办单位';
}

/** Whether this addressee's confirmation counts: every unit's under `completion: all`, only the lead's under `lead`. */
export function confirms(n: Notification, recipient: Recipient): boolean {
  const role = roleOf(n, recipient);
  return role === '牵头单位' || (role === '协办单位' && n.deliverable?.completion !== 'lead');
}

/** A 协办单位 whose confirmation does not count: it supports the lead, which confirms for the item. */
export function supportsOnly(n: Notification, recipient: Recipient): boolean {
  return roleOf(n, recipient) === '协办单位' && !confirms(n, recipient);
}

/** The lead unit's name. */
export function leadName(n: Notification): string {
  return leadAndPartners(deliverableOf(n)).lead;
}

/** What a responsible unit's role means under the item's completion rule. */
function dutyText(n: Notification, role: '牵头单位' | '协办单位'): string {
  const all = n.deliverable?.completion !== 'lead';
  if (role === '牵头单位') return all ? '牵头单位（负责组织协调，办结后确认本单位完成；各责任单位均确认后办结）' : '牵头单位（负责组织协调并确认完成）';
  return all ? '协办单位（配合牵头单位办理，办结后确认本单位完成）' : '协办单位（配合牵头单位办理，由牵头单位确认完成）';
}

/** The facts every deliverable notice lists: the item, its units (lead marked), its due date, the addressee's role. */
export function deliverableFacts(n: Notification, recipient: Recipient): [string, string][] {
  const d = deliverableOf(n);
  const { lead, partners } = leadAndPartners(d);
  const facts: [string, string][] = [
    ['督办事项', `${itemNumber(n)}\u3000${d.title}`],
    ['牵头单位', lead],
    ...(partners.length > 0 ? [['协办单位', partners.join('、')] as [string, string]] : []),
    ['办理期限', dueText(n)],
  ];
  const role = roleOf(n, recipient);
  if (role) facts.push(['你单位职责', dutyText(n, role)]);
  return facts;
}
