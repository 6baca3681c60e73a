/**
 * The plain-text part of every notice kind, rendered from a fixed notice, against a golden file reviewed for the
 * register of an official notice. After an intended change of wording: `npm run record-golden`, then read the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../activities/mail/compose.ts';
import { composeAssignmentList } from '../activities/mail/compose-list.ts';
import { composeReminderList } from '../activities/mail/compose-reminder-list.ts';
import { kindNames } from '../activities/mail/format.ts';
import { sampleAssignmentBatch, sampleDeliverable, sampleHeldConfirmations, sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import type { Notification, NotificationKind, Recipient } from '../workflows/definitions.ts';

const goldenDir = new URL('./fixtures/golden/', import.meta.url).pathname;
const recording = process.env.RECORD_GOLDEN === '1';
const links = createLinkMaker({
  signer: new LinkSigner([{ id: 'g1', secret: 'Mt7sgnb7lxqEsw8dnEl75C93RcoBo_uatPXR3yqm' }]), publicUrl: 'https://duban.example', now: () => Date.parse('2015-01-05T01:00:00Z'),
});

const fangan = { id: 'fangan', title: '考核方案', due: '2015-02-13', leadUnitId: 'zonghe' };
const zhengqiu = { id: 'zhengqiu', title: '征求意见', due: '2015-03-13', leadUnitId: 'zonghe' };
const withMilestones = { ...sampleDeliverable, milestones: [fangan, zhengqiu] };

/** Each kind as its first addressee reads it, and the variants whose wording differs: a 协办单位, an automatic 督办, a copy. */
const cases: [name: string, notice: Notification, recipient: Recipient, copy: boolean][] = [
  ...(Object.keys(kindNames) as NotificationKind[]).map((kind) => {
    const notice = sampleNotification(kind);
    return [kind, notice, notice.to[0]!, false] as [string, Notification, Recipient, boolean];
  }),
  ['assignment-partner', sampleNotification('assignment'), sampleUnits.yanjiu, false],
  ['reminder-partner-urging', sampleNotification('reminder', { context: { stage: '催办', workingDaysLeft: 1 } }), sampleUnits.yanjiu, false],
  ['escalation-automatic', sampleNotification('escalation', { context: { level: 1, levelLabel: '督办', workingDaysOverdue: 1 } }), sampleUnits.zonghe, false],
  ['units_changed-removed', sampleNotification('units_changed', { to: [sampleUnits.zonghe], deliverable: { ...sampleNotification('units_changed').deliverable!, units: [sampleUnits.yanjiu] } }), sampleUnits.zonghe, false],
  ['instruction-reminder', sampleNotification('instruction', {
    to: [sampleUnits.zonghe], scheduledFor: '2015-03-17T09:00:00.000+08:00',
    context: { instruction: { ...sampleNotification('instruction').context.instruction!, reminder: 1 } },
  }), sampleUnits.zonghe, false],
  ['escalation-copy-leadership', sampleNotification('escalation', { cc: [sampleUnits.lingdao], context: { level: 2, levelLabel: '通报', workingDaysOverdue: 11 } }), sampleUnits.lingdao, true],
  // 分解: an item with milestones lists them; a notice about one milestone names it and its date, with the 节点完成 link.
  ['assignment-milestones', sampleNotification('assignment', { deliverable: withMilestones }), sampleUnits.zonghe, false],
  ['milestone-reminder', sampleNotification('reminder', { deliverable: withMilestones, context: { stage: '催办', workingDaysLeft: 5, milestone: fangan } }), sampleUnits.zonghe, false],
  ['milestone-overdue', sampleNotification('overdue', { deliverable: withMilestones, to: [sampleUnits.zonghe], cc: [sampleUnits.duchashi], context: { workingDaysOverdue: 6, milestone: fangan } }), sampleUnits.zonghe, false],
  ['milestone-escalation', sampleNotification('escalation', { deliverable: withMilestones, cc: [sampleUnits.duchashi], context: { level: 1, levelLabel: '督办', workingDaysOverdue: 1, milestone: zhengqiu } }), sampleUnits.yanjiu, false],
  ['confirmation-attachments', sampleNotification('confirmation', { context: { unitId: 'zonghe', reason: '考核结果已印发。', attachments: [
    { sha256: 'a'.repeat(64), name: '2014年度信访工作考核结果通报.pdf', type: 'application/pdf', size: 1_234_567, unitId: 'zonghe', at: '2015-04-28T16:00:00.000+08:00' },
    { sha256: 'b'.repeat(64), name: '考核得分汇总表.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 35_840, unitId: 'zonghe', at: '2015-04-28T16:00:00.000+08:00' },
  ] } }), sampleUnits.duchashi, false],
  // Held for the plan's round and mailed alone at the slot: when the unit confirmed is a fact of its own.
  ['confirmation-held', sampleHeldConfirmations()[0]!, sampleUnits.duchashi, false],
];

describe('golden texts, one per notice kind', () => {
  for (const [name, notice, recipient, copy] of cases) {
    it(`renders ${name} as reviewed`, () => {
      const text = composeMail(notice, recipient, links(notice, recipient.unitId), { mailDomain: 'xinfang.example', copy }).text;
      const file = `${goldenDir}${name}.txt`;
      if (recording) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, text);
      }
      expect(existsSync(file), `${file} is missing: run npm run record-golden and review it`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
  it('renders assignment-list (several items to one unit in one mail) as reviewed', () => {
    const notices = sampleAssignmentBatch();
    const { yanjiu } = sampleUnits;
    const text = composeAssignmentList(notices, yanjiu, notices.map((n) => links(n, yanjiu.unitId)), { mailDomain: 'xinfang.example', batchKey: 'xinfang-2015/assignments/yanjiu/2015-01-05#xinfang-2015/d04#1' }).text;
    const file = `${goldenDir}assignment-list.txt`;
    if (recording) writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing: run npm run record-golden and review it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
  it('renders confirmation-list (the 完成确认 a plan’s round mails 督查室 in one mail) as reviewed', () => {
    const notices = sampleHeldConfirmations();
    const { duchashi } = sampleUnits;
    const text = composeReminderList('confirmation', notices, duchashi, notices.map((n) => links(n, duchashi.unitId)), { mailDomain: 'xinfang.example' }).text;
    const file = `${goldenDir}confirmation-list.txt`;
    if (recording) writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing: run npm run record-golden and review it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
