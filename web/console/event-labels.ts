/** How the lines of a deliverable's event log read in the console. */
import type { LogEvent } from '../../workflows/definitions.ts';

const noticeNames: Record<string, string> = {
  assignment: '交办通知',
  reminder: '催办提醒',
  overdue: '超期通知',
  escalation: '督办通知',
  extension_request: '延期申请（待审批）',
  extension_decision: '延期审批结果',
  confirmation: '完成确认（待验收）',
  rejection: '验收退回通知',
  completion: '办结通知',
  cancellation: '撤销通知',
  units_changed: '责任单位调整通知',
  milestones_changed: '分解节点调整通知',
  reopened: '重新交办通知',
  delivery_failure: '投递失败报告',
  acknowledgement_reminder: '催签通知',
  digest: '周报',
  final_report: '年度总结',
  instruction: '领导批示',
  instruction_answer: '批示答复',
};

const actionNames: Record<string, string> = {
  confirm: '确认完成',
  progress: '报告进展',
  extension_request: '申请延期',
  extension_approved: '批准延期',
  extension_denied: '驳回延期',
  escalate: '督办',
  accept: '验收通过',
  reject: '验收退回',
  cancel: '撤销',
  revise: '调整责任单位',
  reopen: '重新打开',
  milestone_done: '节点完成',
  milestone_extended: '调整节点期限',
  acknowledge: '签收',
  escalation_hold: '已签收·正在办理（暂停自动督办）',
  instruct: '批示',
  answer_instruction: '答复批示',
};

const typeNames: Record<LogEvent['type'], string> = { notice: '通知', action: '操作', failure: '异常' };

/** 通知 / 操作 / 异常. */
export function eventTypeName(type: string): string {
  return typeNames[type as LogEvent['type']] ?? type;
}

/** What happened, in words: `催办提醒`, `督办`, `交办通知投递失败`; unknown names are shown as they are. */
export function eventName(event: LogEvent): string {
  if (event.type === 'notice') return noticeNames[event.what] ?? event.what;
  if (event.type === 'action') return actionNames[event.what] ?? event.what;
  if (event.what === 'schedule_paused') return '自动提醒暂停';
  return `${noticeNames[event.what] ?? event.what}投递失败`;
}

/** The name of a notice kind (for "next notice"). */
export function noticeName(kind: string): string {
  return noticeNames[kind] ?? kind;
}

/** `2015-03-20 09:00` from an ISO instant written in the plan's zone. */
export function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
