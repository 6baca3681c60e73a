/** How dates, units, lights and statuses read in a Chinese notice. */
import { DateTime } from 'luxon';
import { chineseDate as chineseIsoDate } from '../../domain/chinese-date.ts';
import { rememberingZone } from '../../domain/remembering-zone.ts';
import { statusName } from '../../domain/status-labels.ts';
import type { Light, Notification, NotificationKind, Recipient } from '../../workflows/definitions.ts';

const weekdays = ['一', '二', '三', '四', '五', '六', '日'];

function day(date: string, timezone: string): DateTime {
  const parsed = DateTime.fromISO(date, { zone: rememberingZone(timezone) });
  if (!parsed.isValid) throw new RangeError(`not an ISO date: "${date}"`);
  return parsed;
}

/** `2015年3月31日（星期二）`: a calendar date in the plan's zone, with its weekday. */
export function chineseDate(date: string, timezone: string): string {
  return chineseIsoDate(day(date, timezone).toISODate()!);
}

/** `2015年3月31日 星期二`: the same, for a subject line, where nested brackets read badly. */
export function chineseDateInline(date: string, timezone: string): string {
  const d = day(date, timezone);
  return `${d.year}年${d.month}月${d.day}日 星期${weekdays[d.weekday - 1]}`;
}

/** `2015年4月30日`: a date inside a bracketed phrase, where a second weekday would clutter. */
export function shortDate(date: string, timezone: string): string {
  const d = day(date, timezone);
  return `${d.year}年${d.month}月${d.day}日`;
}

/** `2015年3月9日（星期一）09:00`: an instant, as the plan's zone reads it. */
export function chineseDateTime(iso: string, timezone: string): string {
  const d = day(iso, timezone);
  return `${chineseDate(d.toISODate()!, timezone)}${d.toFormat('HH:mm')}`;
}

/** The Chinese name of each notice kind, as its subject and a failure report name it. */
export const kindNames: Record<NotificationKind, string> = {
  assignment: '交办通知',
  reminder: '催办提醒',
  overdue: '超期通知',
  escalation: '督办通知',
  extension_request: '延期申请',
  extension_decision: '延期申请结果',
  confirmation: '完成确认（待验收）',
  rejection: '验收退回',
  completion: '办结通知',
  cancellation: '撤销通知',
  units_changed: '责任单位调整',
  milestones_changed: '分解节点调整',
  reopened: '重新交办',
  report_reminder: '催报通知',
  delivery_failure: '投递失败',
  acknowledgement_reminder: '催签通知',
  deliverable_stopped: '事项异常终止',
  digest: '周报',
  final_report: '年度总结',
  instruction: '领导批示',
  instruction_answer: '批示答复',
};

/** The name of a kind, or the raw value for one this version does not know. */
export function kindName(kind: string | undefined): string {
  return kind ? (kindNames[kind as NotificationKind] ?? kind) : '通知';
}

// Same wording as `duban status` and the web pages, so a mail and the terminal agree.
export { statusName };

/** The lights in the order a count lists them. */
export const lights: readonly Light[] = ['green', 'yellow', 'red', 'grey'];

/** 绿 / 黄 / 红 / 灰: a light in words, never by colour alone. */
export const lightNames: Record<Light, string> = { green: '绿', yellow: '黄', red: '红', grey: '灰' };

/** The colour a light is drawn in, beside its name. */
export const lightColors: Record<Light, string> = { green: '#2e7d32', yellow: '#f9a825', red: '#c62828', grey: '#9e9e9e' };

/** The lead unit and the others (协办), in the document's order. */
export function leadAndPartners(deliverable: NonNullable<Notification['deliverable']>): { lead: string; partners: string[] } {
  const lead = deliverable.units.find((u) => u.unitId === deliverable.leadUnitId);
  const partners = deliverable.units.filter((u) => u.unitId !== deliverable.leadUnitId).map((u) => u.name);
  return { lead: lead?.name ?? deliverable.leadUnitId, partners };
}

/** A unit's name from the deliverable's list, or its id when it is not listed. */
export function unitName(notification: Notification, unitId: string | undefined): string {
  if (!unitId) return '有关单位';
  return notification.deliverable?.units.find((u) => u.unitId === unitId)?.name ?? unitId;
}

/** Names joined the Chinese way: `综合指导司、研究室`. */
export function names(recipients: readonly Recipient[]): string {
  return recipients.map((r) => r.name).join('、');
}
