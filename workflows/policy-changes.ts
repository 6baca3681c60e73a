/**
 * What a change of an item's reminder and escalation rules (its policy, and the 督办 ladder built from it) changes,
 * in the words a 督查室 reads: one line per rule, before → after. Shared by `plan apply`'s diff and the item's log.
 */
import type { Policy } from '../config/plan-schema.ts';
import type { EscalationLevel } from './definitions.ts';

/** The rules of an item: its policy and its escalation ladder. */
export interface ItemRules {
  readonly policy: Policy;
  readonly escalation: readonly Pick<EscalationLevel, 'level' | 'label' | 'threshold' | 'recipients'>[];
}

const days = (n: number | undefined) => (n === undefined ? '无' : `${n}个工作日`);
const list = (ns: readonly number[]) => ns.join('、');

/** Each policy field with its name and how its value reads. */
const fields: { readonly [K in keyof Policy]-?: readonly [name: string, read: (value: Policy[K]) => string] } = {
  reminderOffsets: ['提醒时点（到期前工作日）', list],
  sendHour: ['发送时间', (h) => `${h}时`],
  overdueRepeatEvery: ['超期通知间隔', days],
  escalationThresholds: ['督办时点（超期工作日）', list],
  completion: ['完成确认', (c) => (c === 'lead' ? '牵头单位确认' : '全部责任单位确认')],
  acceptanceRequired: ['办结前验收', (a) => (a ? '需要' : '不需要')],
  reportEvery: ['定期报送间隔', days],
  reportDayOfMonth: ['每月报送日', (d) => (d === undefined ? '无' : `${d}日`)],
  acknowledgeWithin: ['签收期限', days],
  acknowledgementPausesEscalation: ['签收暂停督办', days],
  instructionReminderDays: ['批示催办间隔', days],
};

/** Every rule of an item with its name, in words: each policy field, then the ladder's rungs (name and recipients). */
export function ruleLines(rules: ItemRules): [name: string, value: string][] {
  const lines = (Object.keys(fields) as (keyof Policy)[]).map((key): [string, string] => {
    const [name, read] = fields[key] as readonly [string, (value: unknown) => string];
    return [name, read(rules.policy[key])];
  });
  lines.push(['督办层级', rules.escalation.map((l) => `${l.label}（${l.recipients.map((r) => r.name).join('、')}）`).join('、')]);
  return lines;
}

/** The rules that differ, in words: `提醒时点（到期前工作日）：10、5、1 → 3、1`. */
export function ruleChanges(before: ItemRules, after: ItemRules): string[] {
  const is = ruleLines(after);
  return ruleLines(before).flatMap(([name, was], i) => (was === is[i]![1] ? [] : [`${name}：${was} → ${is[i]![1]}`]));
}
