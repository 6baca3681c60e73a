/**
 * Threat: a deliverable's workflow is terminated (by an operator, or by Temporal at its history limit) or fails.
 * It then sends nothing more, yet its status query still answers its last state, so the console showed it green.
 * Now the console and `duban status` read Temporal's execution status first (已终止/失败, red), and the plan's weekly
 * check marks it in the digest's rows and mails 督查室 once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliverables } from '../../cli/status.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { planWorkflowInput } from '../../config/plan-inputs.ts';
import { createConsoleGateway } from '../../web/console/console-gateway.ts';
import { deliverableWorkflowId, planStatusQuery } from '../../workflows/definitions.ts';
import { planWorkflow } from '../../workflows/plan.ts';
import { beijing } from '../helpers/deliverable-harness.ts';
import { waitFor } from '../helpers/duban-cli.ts';
import { sentTo, waitForMail } from '../helpers/mailbox.ts';
import { startLinkStack, type LinkStack } from '../helpers/link-stack.ts';

let stack: LinkStack;
beforeAll(async () => {
  stack = await startLinkStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const isAlert = (subject: string | undefined) => (subject ?? '').includes('【异常】');

describe('a deliverable whose workflow was terminated', () => {
  it('is shown as 已终止 and red in the console, duban status and the plan, and 督查室 is mailed once', async () => {
    const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const planId = `stopped-${randomUUID().slice(0, 8)}`;
    const plan = { ...loaded.plan, id: planId, deliverables: loaded.plan.deliverables.filter((d) => ['d06', 'd10'].includes(d.id)) };
    // Plan time in early March 2015, long before either is due: no reminder interferes. The check runs every plan second.
    const input = { ...planWorkflowInput(plan, { clockOffsetMs: beijing('2015-03-02 08:00') - Date.now() }), stoppedCheckEveryMs: 1_000 };
    const planHandle = await stack.env.client.workflow.start(planWorkflow, { args: [input], taskQueue: stack.taskQueue, workflowId: planId });
    const victim = stack.env.client.workflow.getHandle(deliverableWorkflowId(planId, 'd10'));
    await waitFor('both deliverables started', async () => ((await planHandle.query(planStatusQuery)).deliverables.length === 2 ? true : undefined), 30_000, 100);
    await waitFor('d10 running', () => victim.describe().then((d) => (d.status.name === 'RUNNING' ? d : undefined), () => undefined), 30_000, 100);

    await victim.terminate('history size exceeds limit (simulated)');

    const alert = await waitForMail(stack.sink, (m) => sentTo('duchashi@xinfang.example')(m) && isAlert(m.mail.subject), 60_000);
    expect(alert.mail.text).toContain('出台关于进一步加强和规范信访统计工作的意见');
    expect(alert.mail.text).toContain('已终止');

    const planView = await planHandle.query(planStatusQuery);
    expect(planView.deliverables.find((d) => d.deliverableId === 'd10')).toMatchObject({ status: 'terminated', light: 'red' });
    expect(planView.deliverables.find((d) => d.deliverableId === 'd06')).toMatchObject({ light: 'green' });

    const consoleRows = await createConsoleGateway(stack.env.client).listDeliverables(planId);
    expect(consoleRows.find((v) => v.deliverableId === 'd10')).toMatchObject({ status: 'terminated', light: 'red' });
    expect(await createConsoleGateway(stack.env.client).status(deliverableWorkflowId(planId, 'd10'))).toMatchObject({ status: 'terminated', light: 'red' });
    const cliRows = await waitFor('visibility to list both', async () => {
      const rows = await listDeliverables(stack.env.client, planId);
      return rows.length === 2 ? rows : undefined;
    }, 30_000, 200);
    expect(cliRows.find((r) => r.deliverableId === 'd10')).toMatchObject({ status: 'terminated', light: 'red', execution: 'TERMINATED' });

    // Later checks find it again but do not alert again: wait for three more completed checks, then count.
    const checks = async () => ((await planHandle.fetchHistory()).events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'findStoppedDeliverables').length;
    const seen = await checks();
    await waitFor('three more checks', async () => ((await checks()) >= seen + 3 ? true : undefined), 60_000, 200);
    expect(stack.sink.messages().filter((m) => sentTo('duchashi@xinfang.example')(m) && isAlert(m.mail.subject))).toHaveLength(1);

    await stack.env.client.workflow.getHandle(deliverableWorkflowId(planId, 'd06')).terminate('test finished');
    await planHandle.terminate('test finished');
  }, 180_000);
});
