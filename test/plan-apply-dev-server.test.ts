/**
 * Mid-year changes end to end on the dev server with real SMTP: a small plan of our own runs, a changed plan file is
 * shown and applied (`duban plan apply`: one item added, one lead changed, one due date and one milestone's date
 * moved, one milestone added to a running item), applied again (nothing changes), and a closed item is reopened as a new run that keeps its log.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanChanges, PlanChangeError } from '../activities/plan-changes.ts';
import { planSnapshotDir, savePlanSnapshot } from '../activities/plan-snapshots.ts';
import { planApply } from '../cli/plan-apply.ts';
import { readEnvironment } from '../config/environment.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import { planWorkflowInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { cancelUpdate, deliverableWorkflowId, escalateUpdate, planSourceQuery, revisePlanUpdate, statusQuery } from '../workflows/definitions.ts';
import { planWorkflow } from '../workflows/plan.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { pinnedClockOffsetMs, planYear } from './helpers/plan-clock.ts';
import { sentTo, waitForMail } from './helpers/mailbox.ts';
import { annexPlan } from './helpers/annex-plan.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'duban-apply-'));
// The plan runs on 1 June of this year in plan time, whatever the day the test runs (see helpers/plan-clock.ts).
const year = planYear;
let stack: LinkStack;
let plan: Plan;

beforeAll(async () => {
  // Asking the plan for each notice: a mailbox changed by the apply is used by the next mail, not a minute later.
  stack = await startLinkStack({ snapshotDir: planSnapshotDir(dataDir), addressBookTtlMs: 0 });
  // The annex items only: a small plan (task items are covered by test/plan-diff.test.ts).
  const shipped = await annexPlan();
  const item = (id: string, number: number, title: string, task: string, units: string[], due: string) => ({ id, number, title, task, units, due, dueAssumed: false });
  plan = {
    ...shipped, id: `apply-${randomUUID().slice(0, 8)}`, start: `${year}-01-05`, end: `${year}-12-31`,
    deliverables: [
      item('a1', 1, '规范联合接访', 't05', ['zonghe', 'laifang'], `${year}-12-30`),
      item('a2', 2, '规范信访统计分析', 't13', ['bangongshi'], `${year}-12-30`),
      { ...item('a3', 3, '信访立法调研', 't11', ['yanjiushi'], `${year}-12-30`), milestones: [{ id: 'chugao', title: '形成调研初稿', due: `${year}-12-25` }] },
    ],
  };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function writePlan(name: string, content: Plan): string {
  const file = join(dataDir, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

describe('duban plan apply and reopening, on the dev server', () => {
  it('shows the diff, applies it once, changes nothing the second time, and reopens a closed item with its history', async () => {
    const { client } = stack.env;
    const handle = await client.workflow.start(planWorkflow, {
      args: [planWorkflowInput(plan, { planRef: await savePlanSnapshot(plan, planSnapshotDir(dataDir)), clockOffsetMs: pinnedClockOffsetMs() })],
      taskQueue: stack.taskQueue, workflowId: plan.id,
    });
    await waitForMail(stack.sink, (m) => sentTo('yanjiushi@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    const status = (id: string) => client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).query(statusQuery);
    await waitFor('three items started', async () => ((await status('a2').catch(() => undefined)) ? true : undefined));

    const changed: Plan = {
      ...plan,
      // 办公室 has a new mailbox: every item's mail takes it once the plan has the new snapshot, running items' too.
      units: plan.units.map((u) => (u.id === 'bangongshi' ? { ...u, emails: ['bangongshi.new@xinfang.example'] } : u)),
      deliverables: [
        { ...plan.deliverables[0]!, units: ['laifang', 'zonghe'] },
        // a2 also gets reminder rules of its own: three working days and one before its date.
        { ...plan.deliverables[1]!, due: `${year}-12-29`, policy: { reminderOffsets: [3, 1] } },
        { ...plan.deliverables[2]!, milestones: [{ id: 'zuotan', title: '召开专家座谈会', due: `${year}-12-18` }, { id: 'chugao', title: '形成调研初稿', due: `${year}-12-29` }] },
        { id: 'a4', number: 4, title: '深入开展理论研究', task: 't14', units: ['renshisi'], due: `${year}-12-28`, dueAssumed: false },
      ],
    };
    const file = writePlan('changed.json', changed);
    const env = readEnvironment({ TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir });
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await planApply(args, env, (l) => out.push(l), (l) => err.push(l), undefined);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    const shown = await run(file, '--dry-run');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('新增事项  a4 第4项 深入开展理论研究（牵头 人事司');
    expect(shown.out).toContain('变更牵头单位  a1 综合指导司、来访接待司 → 来访接待司、综合指导司；牵头单位 综合指导司 → 来访接待司');
    expect(shown.out).toContain(`变更期限  a2 ${year}-12-30 → ${year}-12-29`);
    expect(shown.out).toContain(`变更节点期限  a3 节点“形成调研初稿” ${year}-12-25 → ${year}-12-29`);
    expect(shown.out).toContain(`调整分解节点  a3 新增节点“召开专家座谈会”（${year}-12-18）`);
    expect(shown.out).toContain(`调整提醒督办规则  a2 提醒时点（到期前工作日）：${plan.policy.reminderOffsets.join('、')} → 3、1`);
    expect(shown.out).toContain('单位名称或邮箱有变更（办公室）：应用后一分钟内，所有事项的邮件按新名称和邮箱发送');
    expect(shown.out).toContain('--dry-run: nothing changed');
    // The same change written a year earlier and rebased as a rehearsal would be: the same diff.
    const earlier = (date: string) => `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
    const lastYear = writePlan('last-year.json', {
      ...changed, start: earlier(changed.start), end: earlier(changed.end),
      deliverables: changed.deliverables.map((d) => ({ ...d, due: earlier(d.due), ...(d.milestones && { milestones: d.milestones.map((m) => ({ ...m, due: earlier(m.due) })) }) })),
    });
    const rebased = await run(lastYear, '--dry-run', '--rebase-to', plan.start);
    expect(rebased.out.split('\n').filter((l) => l.startsWith('  ')).sort()).toEqual(shown.out.split('\n').filter((l) => l.startsWith('  ')).sort());
    expect((await status('a1')).units[0]!.unitId).toBe('zonghe');
    // Without --yes and nobody at a terminal to ask: refused, nothing changed.
    expect((await run(file)).code).toBe(2);
    expect((await handle.query(planSourceQuery)).deliverableIds).toEqual(['a1', 'a2', 'a3']);

    const applied = await run(file, '--yes', '--reason', '年中调整分工');
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('a1 已调整责任单位');
    expect(applied.out).toContain(`a2 期限已变更为 ${year}-12-29`);
    expect(applied.out).toContain(`a3 节点“形成调研初稿”期限已变更为 ${year}-12-29`);
    expect(applied.out).toContain('a3 已调整分解节点');
    expect(applied.out).toContain('新增事项 1 项，已启动 1 项');

    const a1 = await status('a1');
    expect(a1.units.map((u) => [u.unitId, u.lead])).toEqual([['laifang', true], ['zonghe', false]]);
    expect(a1.events.at(-2)).toMatchObject({ type: 'action', what: 'revise', note: expect.stringContaining('牵头单位：综合指导司 → 来访接待司；年中调整分工') });
    expect((await status('a2')).due).toBe(`${year}-12-29`);
    expect(applied.out).toContain('a2 已调整提醒督办规则');
    expect((await status('a2')).rules).toContainEqual(['提醒时点（到期前工作日）', '3、1']);
    expect((await status('a2')).events.map((e) => e.note ?? '')).toContainEqual(expect.stringContaining('→ 3、1；年中调整分工'));
    const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
    expect((await status('a3')).milestones?.map((m) => [m.id, m.due])).toEqual([['zuotan', calendar.onOrAfter(`${year}-12-18`)], ['chugao', calendar.onOrAfter(`${year}-12-29`)]]);
    expect((await status('a4')).units[0]!.unitId).toBe('renshisi');
    expect((await handle.query(planSourceQuery)).deliverableIds).toEqual(['a1', 'a2', 'a3', 'a4']);
    // The mails: both units of a1 hear of the new lead, a2's unit of its new date, a4's of its assignment.
    const unitsMail = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('责任单位调整'));
    expect(unitsMail.mail.text).toContain('你单位现为协办单位');
    await waitForMail(stack.sink, (m) => sentTo('laifang@xinfang.example')(m) && (m.mail.subject ?? '').includes('责任单位调整'));
    // Sent while the apply runs, before the plan has its new snapshot: to the old mailbox or already the new one.
    await waitForMail(stack.sink, (m) => (sentTo('bangongshi@xinfang.example')(m) || sentTo('bangongshi.new@xinfang.example')(m)) && (m.mail.subject ?? '').includes('延期申请结果'));
    await waitForMail(stack.sink, (m) => sentTo('renshisi@xinfang.example')(m) && (m.mail.subject ?? '').includes('深入开展理论研究'));
    // a3's unit is told of its new milestone and of the other one's new date (分解节点调整通知).
    const toldOfMilestone = (change: string) => (m: Parameters<ReturnType<typeof sentTo>>[0]) =>
      sentTo('yanjiushi@xinfang.example')(m) && (m.mail.subject ?? '').includes('分解节点调整') && (m.mail.text ?? '').includes(change);
    await waitForMail(stack.sink, toldOfMilestone(`新增节点“召开专家座谈会”（${year}-12-18）`));
    await waitForMail(stack.sink, toldOfMilestone(`节点“形成调研初稿”期限由 ${calendar.onOrAfter(`${year}-12-25`)} 调整为 ${year}-12-29`));

    // 办公室's next mail (a 督办 of its running item a2, started before the change) goes to its new mailbox only.
    await client.workflow.getHandle(deliverableWorkflowId(plan.id, 'a2')).executeUpdate(escalateUpdate, { args: [{ remark: '请按新期限办结', by: '督查室' }] });
    const urged = await waitForMail(stack.sink, (m) => sentTo('bangongshi.new@xinfang.example')(m) && (m.mail.text ?? '').includes('请按新期限办结'));
    expect(urged.envelope.to).toEqual(['bangongshi.new@xinfang.example']);

    // The same file again: no change at all.
    const eventsBefore = (await status('a1')).events.length;
    const refBefore = (await handle.query(planSourceQuery)).planRef;
    const again = await run(file, '--yes');
    expect(again.code).toBe(0);
    expect(again.out).toContain('无变更');
    expect((await status('a1')).events.length).toBe(eventsBefore);
    expect((await status('a2')).events.filter((e) => e.what === 'extension_approved')).toHaveLength(1);
    expect((await handle.query(planSourceQuery)).planRef).toBe(refBefore);

    // A bad file: every problem located, exit 2, nothing changed.
    const bad = await run(writePlan('bad.json', { ...changed, deliverables: [...changed.deliverables, { ...changed.deliverables[3]!, id: 'a5', units: ['nobody'] }] }), '--yes');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/deliverables\[4\]\.units\[0\]: .*nobody.*\(line \d+, column \d+\)/);
    expect(bad.err).toContain('nothing changed');
    expect((await handle.query(planSourceQuery)).planRef).toBe(refBefore);
    // The plan refuses an item list that does not keep every item in its place, before it enters history.
    await expect(handle.executeUpdate(revisePlanUpdate, { args: [{ planRef: refBefore, deliverableIds: ['a2', 'a1', 'a3', 'a4'] }] })).rejects.toThrow();
    expect((await handle.query(planSourceQuery)).deliverableIds).toEqual(['a1', 'a2', 'a3', 'a4']);

    // An unknown plan: located at the file's id, exit 2.
    const unknown = await run(writePlan('unknown.json', { ...changed, id: 'no-such-plan' }), '--yes');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/id: 没有名为“no-such-plan”的计划在运行.*\(line 2, column/);

    // Reopening: a cancelled item comes back as a new run of the same workflow, its earlier events kept.
    const a3 = client.workflow.getHandle(deliverableWorkflowId(plan.id, 'a3'));
    await a3.executeUpdate(cancelUpdate, { args: [{ by: '督查室', reason: '并入第2项' }] });
    await a3.result();
    const changes = createPlanChanges({ client, snapshotDir: planSnapshotDir(dataDir) });
    await expect(changes.reopen(plan.id, 'a3', { due: `${year - 1}-12-28`, reason: '需补充', by: '督查室' })).rejects.toThrow(PlanChangeError);
    await changes.reopen(plan.id, 'a3', { due: `${year}-12-28`, reason: '立法调研需继续', by: '督查室' });
    const reopened = await status('a3');
    expect(reopened.status).toBe('assigned');
    expect(reopened.due).toBe(`${year}-12-28`);
    expect(reopened.events.map((e) => e.what)).toEqual(expect.arrayContaining(['assignment', 'cancel', 'cancellation', 'reopen', 'reopened']));
    const reopenMail = await waitForMail(stack.sink, (m) => sentTo('yanjiushi@xinfang.example')(m) && (m.mail.subject ?? '').includes('重新交办'));
    expect(reopenMail.mail.text).toContain('立法调研需继续');
    await expect(changes.reopen(plan.id, 'a3', { due: `${year}-12-28`, reason: '再开', by: '督查室' })).rejects.toThrow('无需重新打开');

    // Two 临时交办 at once: the plan refuses the one made against the older snapshot, which is made again: both run.
    const ids = await Promise.all(['甲', '乙'].map((title) => changes.addItem(plan.id, { title: `临时交办${title}`, task: 't14', units: ['jianchashi'], due: `${year}-12-30` })));
    expect(new Set(ids).size).toBe(2);
    expect((await handle.query(planSourceQuery)).deliverableIds).toEqual(['a1', 'a2', 'a3', 'a4', ...[...ids].sort()]);
    for (const id of ids) expect((await status(id)).units[0]!.unitId).toBe('jianchashi');
    const source = await handle.query(planSourceQuery);
    await expect(handle.executeUpdate(revisePlanUpdate, { args: [{ planRef: source.planRef, deliverableIds: [...source.deliverableIds], basedOn: refBefore }] })).rejects.toThrow();

    await handle.terminate('test finished');
    for (const id of ['a1', 'a2', 'a3', 'a4', ...ids]) await client.workflow.getHandle(deliverableWorkflowId(plan.id, id)).terminate('test finished').catch(() => undefined);
  });
});
