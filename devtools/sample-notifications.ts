/** Realistic notices of the 2015 plan, one of every kind, for template previews and tests. */
import type { Notification, NotificationKind, OfficeNames, Recipient } from '../workflows/definitions.ts';

/** Units as the 2015 plan names them. */
export const sampleUnits = {
  zonghe: { unitId: 'zonghe', name: '综合指导司', emails: ['zonghe@xinfang.example'] },
  yanjiu: { unitId: 'yanjiu', name: '研究室', emails: ['yanjiu@xinfang.example'] },
  duchashi: { unitId: 'duchashi', name: '督查室', emails: ['duchashi@xinfang.example'] },
  lingdao: { unitId: 'lingdao', name: '局领导', emails: ['lingdao@xinfang.example'] },
} satisfies Record<string, Recipient>;

const { zonghe, yanjiu, duchashi } = sampleUnits;

/** Deliverable d04 of the 2015 plan, due Tuesday 2015-03-31, led by 综合指导司 with 研究室; the lead confirms. */
export const sampleDeliverable = {
  id: 'd04', number: 4, title: '组织实施 2014 年信访工作考核', due: '2015-03-31', leadUnitId: 'zonghe', units: [zonghe, yanjiu], completion: 'lead',
} as const satisfies Notification['deliverable'];

/** The 2015 plan's names, as `officeNamesOf` derives them. */
export const sampleOffice: OfficeNames = { planTitle: '2015 年信访工作要点', organisation: '国家信访局', supervisor: '督查室', leadership: '局领导' };

const base = {
  planId: 'xinfang-2015', workflowId: 'xinfang-2015/d04', deliverable: sampleDeliverable, to: [zonghe, yanjiu], cc: [],
  timezone: 'Asia/Shanghai', context: {}, office: sampleOffice,
} as const;

/** What each kind looks like when the workflows send it (the key's number is the notice's sequence). */
const samples: Record<NotificationKind, Omit<Notification, 'planId' | 'workflowId' | 'timezone'> & Partial<Notification>> = {
  assignment: { ...base, key: 'xinfang-2015/d04#1', kind: 'assignment', scheduledFor: '2015-01-05T09:00:00.000+08:00' },
  reminder: { ...base, key: 'xinfang-2015/d04#2', kind: 'reminder', scheduledFor: '2015-03-26T09:00:00.000+08:00', context: { stage: '提醒', workingDaysLeft: 3 } },
  acknowledgement_reminder: {
    ...base, key: 'xinfang-2015/d04#3', kind: 'acknowledgement_reminder', to: [yanjiu], cc: [duchashi], scheduledFor: '2015-01-09T09:00:00.000+08:00',
    context: { round: 2, workingDaysSinceAssignment: 4 },
  },
  overdue: { ...base, key: 'xinfang-2015/d04#4', kind: 'overdue', cc: [duchashi], scheduledFor: '2015-04-02T09:00:00.000+08:00', context: { workingDaysOverdue: 2 } },
  escalation: {
    ...base, key: 'xinfang-2015/d04#5', kind: 'escalation', cc: [duchashi], scheduledFor: '2015-04-03T10:30:00.000+08:00',
    context: { level: 1, levelLabel: '督办', manual: true, remark: '请于本周内报送考核方案。', by: '督查室 王主任' },
  },
  extension_request: {
    ...base, key: 'xinfang-2015/d04#6', kind: 'extension_request', to: [duchashi], scheduledFor: '2015-03-20T15:00:00.000+08:00',
    context: { unitId: 'zonghe', requestedDue: '2015-04-30', reason: '考核数据需待各省报送后汇总。' },
  },
  extension_decision: {
    ...base, key: 'xinfang-2015/d04#7', kind: 'extension_decision', cc: [duchashi], scheduledFor: '2015-03-23T11:00:00.000+08:00',
    deliverable: { ...sampleDeliverable, due: '2015-04-30' },
    context: { approved: true, reason: '同意延期，请按新期限办结。', by: '督查室 王主任', requestedDue: '2015-04-30', previousDue: '2015-03-31' },
  },
  confirmation: {
    ...base, key: 'xinfang-2015/d04#8', kind: 'confirmation', to: [duchashi], scheduledFor: '2015-04-28T16:00:00.000+08:00',
    context: { unitId: 'zonghe', reason: '考核结果已印发。' },
  },
  rejection: {
    ...base, key: 'xinfang-2015/d04#9', kind: 'rejection', cc: [duchashi], scheduledFor: '2015-04-29T10:00:00.000+08:00',
    context: { reason: '缺少对各省考核结果的分析报告。', by: '督查室 王主任' },
  },
  completion: { ...base, key: 'xinfang-2015/d04#10', kind: 'completion', cc: [duchashi], scheduledFor: '2015-04-30T10:00:00.000+08:00', context: { reason: '验收通过', approved: true } },
  cancellation: { ...base, key: 'xinfang-2015/d04#11', kind: 'cancellation', cc: [duchashi], scheduledFor: '2015-05-04T10:00:00.000+08:00', context: { reason: '该项工作并入第6项。' } },
  units_changed: {
    ...base, key: 'xinfang-2015/d04#13', kind: 'units_changed', to: [zonghe, yanjiu], scheduledFor: '2015-04-08T10:00:00.000+08:00',
    deliverable: { ...sampleDeliverable, leadUnitId: 'yanjiu', units: [yanjiu, zonghe] },
    context: { reason: '考核工作改由研究室牵头。', by: '督查室 王主任', previousUnits: [zonghe, yanjiu] },
  },
  milestones_changed: {
    ...base, key: 'xinfang-2015/d04#15', kind: 'milestones_changed', scheduledFor: '2015-03-02T10:00:00.000+08:00',
    deliverable: {
      ...sampleDeliverable,
      milestones: [{ id: 'm1', title: '召开考核工作座谈会', due: '2015-03-13', leadUnitId: 'zonghe' }, { id: 'plan', title: '印发考核方案', due: '2015-03-20', leadUnitId: 'zonghe' }],
    },
    context: {
      reason: '考核前增加座谈环节，听取各省意见。', by: '督查室 王主任',
      milestoneChanges: ['新增节点“召开考核工作座谈会”（2015-03-13）', '节点“起草考核方案”改为“印发考核方案”'],
    },
  },
  reopened: {
    ...base, key: 'xinfang-2015/d04#14', kind: 'reopened', cc: [duchashi], scheduledFor: '2015-06-01T10:00:00.000+08:00',
    deliverable: { ...sampleDeliverable, due: '2015-06-30' },
    context: { reason: '考核结果需补充各省整改情况。', by: '督查室 王主任' },
  },
  delivery_failure: {
    ...base, key: 'xinfang-2015/d04#12', kind: 'delivery_failure', to: [duchashi], scheduledFor: '2015-04-02T09:05:00.000+08:00',
    context: { failedKind: 'overdue', failedKey: 'xinfang-2015/d04#4', error: '研究室(yanjiu) <yanjiu@xinfang.example>: 550 No such user [EENVELOPE 550]' },
  },
  deliverable_stopped: {
    key: 'xinfang-2015#deliverable_stopped-14', kind: 'deliverable_stopped', planId: 'xinfang-2015', workflowId: 'xinfang-2015', to: [duchashi], cc: [],
    scheduledFor: '2015-04-07T09:00:00.000+08:00', timezone: 'Asia/Shanghai',
    context: {
      rows: [
        { deliverableId: 'd04', number: 4, title: '组织实施 2014 年信访工作考核', leadUnitId: 'zonghe', leadUnitName: '综合指导司', status: 'terminated', light: 'red', due: '2015-03-31', escalationLevel: 1 },
      ],
    },
  },
  report_reminder: {
    ...base, key: 'xinfang-2015/d04#3', kind: 'report_reminder', to: [zonghe], scheduledFor: '2015-02-02T09:00:00.000+08:00',
    context: { reportCadence: '每10个工作日', reportsMissed: 2, lastReportAt: '2015-01-05T16:12:00.000+08:00' },
  },
  instruction: {
    ...base, key: 'xinfang-2015/d04#13', kind: 'instruction', cc: [duchashi], scheduledFor: '2015-03-10T16:20:00.000+08:00',
    context: { by: '局领导（lingdao@xinfang.example）', instruction: { id: 'p1', by: '局领导（lingdao@xinfang.example）', at: '2015-03-10T16:20:00.000+08:00', text: '考核要突出实效，请综合指导司牵头，月底前报送考核方案。' } },
  },
  instruction_answer: {
    ...base, key: 'xinfang-2015/d04#14', kind: 'instruction_answer', to: [duchashi], scheduledFor: '2015-03-12T11:05:00.000+08:00',
    context: {
      unitId: 'zonghe',
      instruction: {
        id: 'p1', by: '局领导（lingdao@xinfang.example）', at: '2015-03-10T16:20:00.000+08:00', text: '考核要突出实效，请综合指导司牵头，月底前报送考核方案。',
        answer: '已按批示要求起草考核方案，3月25日前报局领导审定。',
      },
    },
  },
  digest: {
    key: 'xinfang-2015#digest-12', kind: 'digest', planId: 'xinfang-2015', workflowId: 'xinfang-2015', deliverable: undefined, to: [duchashi], cc: [],
    scheduledFor: '2015-04-06T09:00:00.000+08:00', timezone: 'Asia/Shanghai',
    context: {
      rows: [
        {
          deliverableId: 'd01', number: 1, title: '修订信访工作责任制实施办法', leadUnitId: 'zhengce', leadUnitName: '政策法规司', status: 'in_progress', light: 'green', due: '2015-06-30', escalationLevel: 0,
          latestProgress: { unitName: '政策法规司', at: '2015-04-02T15:20:00.000+08:00', note: '征求意见稿已印发各司室。', percent: 60 },
        },
        {
          deliverableId: 'task-t11', number: 11, title: '开展信访立法调研和论证', leadUnitId: 'yanjiu', leadUnitName: '研究室', status: 'lagging', light: 'yellow', due: '2015-12-31', escalationLevel: 0,
          itemKind: 'task', latestProgress: { unitName: '研究室', at: '2015-03-02T10:00:00.000+08:00', note: '已赴三省调研。', stage: '推进中' },
        },
        { deliverableId: 'd04', number: 4, title: '组织实施 2014 年信访工作考核', leadUnitId: 'zonghe', leadUnitName: '综合指导司', status: 'escalated', light: 'red', due: '2015-03-31', escalationLevel: 1 },
        { deliverableId: 'd07', number: 7, title: '推进网上信访', leadUnitId: 'wangshang', leadUnitName: '网上信访办', status: 'due_soon', light: 'yellow', due: '2015-04-10', escalationLevel: 0 },
        { deliverableId: 'd02', number: 2, title: '编制信访事项办理规范', leadUnitId: 'banxin1', leadUnitName: '办信一司', status: 'done', light: 'grey', due: '2015-03-15', escalationLevel: 0, onTime: true },
      ],
    },
  },
  final_report: {
    key: 'xinfang-2015#final_report-60', kind: 'final_report', planId: 'xinfang-2015', workflowId: 'xinfang-2015', deliverable: undefined, to: [duchashi], cc: [],
    scheduledFor: '2015-12-31T17:00:00.000+08:00', timezone: 'Asia/Shanghai',
    context: {
      rows: [
        { deliverableId: 'd01', number: 1, title: '修订信访工作责任制实施办法', leadUnitId: 'zhengce', leadUnitName: '政策法规司', status: 'done', light: 'grey', due: '2015-06-30', escalationLevel: 0, onTime: true },
        { deliverableId: 'd04', number: 4, title: '组织实施 2014 年信访工作考核', leadUnitId: 'zonghe', leadUnitName: '综合指导司', status: 'done', light: 'grey', due: '2015-04-30', escalationLevel: 1, onTime: false },
        { deliverableId: 'd09', number: 9, title: '开展信访积案化解', leadUnitId: 'banxin2', leadUnitName: '办信二司', status: 'cancelled', light: 'grey', due: '2015-09-30', escalationLevel: 0 },
        { deliverableId: 'd13', number: 13, title: '编写年度信访形势分析', leadUnitId: 'yanjiu', leadUnitName: '研究室', status: 'overdue', light: 'red', due: '2015-12-25', escalationLevel: 0 },
      ],
    },
  },
};

/** A realistic notice of `kind`, with `overrides` on top (e.g. another context or recipients). */
export function sampleNotification(kind: NotificationKind, overrides: Partial<Notification> = {}): Notification {
  return { ...base, ...samples[kind], ...overrides } as Notification;
}

/** Three 交办通知 of one plan start that 研究室 receives as one combined mail: it leads one item and supports two. */
export function sampleAssignmentBatch(): Notification[] {
  const item = (id: string, number: number, title: string, taskTitle: string, due: string, units: Recipient[]) =>
    sampleNotification('assignment', {
      key: `xinfang-2015/${id}#1`, workflowId: `xinfang-2015/${id}`, to: units,
      deliverable: { id, number, title, taskTitle, due, leadUnitId: units[0]!.unitId, units, completion: 'lead' },
    });
  return [
    item('d04', 4, '组织实施2014年信访工作考核', '认真做好信访工作考核', '2015-03-31', [zonghe, yanjiu]),
    item('d10', 10, '出台关于进一步加强和规范信访统计工作的意见', '加强基础业务规范化建设', '2015-06-30', [yanjiu]),
    item('d12', 12, '完善复查复核工作机制', '完善复查复核机制', '2015-09-30', [duchashi, yanjiu]),
  ];
}

/**
 * Two 完成确认 a plan's round mails 督查室 at one slot (`confirmationsInRounds`): each says when its lead confirmed;
 * one carries a note and a file.
 */
export function sampleHeldConfirmations(): Notification[] {
  const [d04, d10] = sampleAssignmentBatch();
  const held = (n: Notification, seq: number, context: Notification['context']) =>
    ({ ...n, kind: 'confirmation', key: `${n.workflowId}#${seq}`, to: [duchashi], cc: [], scheduledFor: '2015-03-27T09:00:00.000+08:00', context }) as Notification;
  return [
    held(d10!, 6, { unitId: 'yanjiu', confirmedAt: '2015-03-26T11:20:00.000+08:00' }),
    held(d04!, 9, {
      unitId: 'zonghe', reason: '考核结果已印发。', confirmedAt: '2015-03-26T16:05:00.000+08:00',
      attachments: [{ sha256: 'c'.repeat(64), name: '2014年度信访工作考核结果通报.pdf', type: 'application/pdf', size: 1_234_567, unitId: 'zonghe', at: '2015-03-26T16:05:00.000+08:00' }],
    }),
  ];
}
