/**
 * Threat: a deliverable's workflow is terminated (by an operator, or by Temporal at its history limit) or fails.
 * It then sends nothing more, yet its status query still answers its last state, so the console showed it green.
 * Now the console and `duban status` read Temporal's execution status first (已终止/失败, red), and the plan's weekly
 * check marks it in the digest's rows and mails 督查室 once (test/plan-workflow.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliverables } from '../../cli/status.ts';
import { createConsoleGateway } from '../../web/console/console-gateway.ts';
import { deliverableAttribute, planAttribute, unitsAttribute } from '../../workflows/search-attributes.ts';
import { waitFor } from '../helpers/duban-cli.ts';
import { startLinkStack, type LinkStack } from '../helpers/link-stack.ts';

let stack: LinkStack;
beforeAll(async () => {
  stack = await startLinkStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('a deliverable whose workflow was terminated', () => {
  it('is shown as 已终止 and red in the console and duban status, not with its last (green) state', async () => {
    const planId = `stopped-${randomUUID().slice(0, 8)}`;
    const handle = await stack.startDeliverable((input) => ({ ...input, planId }), [
      { key: planAttribute, value: planId }, { key: deliverableAttribute, value: 'd10' }, { key: unitsAttribute, value: ['zonghe', 'bangongshi'] },
    ]);
    await waitFor('d10 running', () => handle.describe().then((d) => (d.status.name === 'RUNNING' ? d : undefined), () => undefined), 30_000, 100);
    await handle.terminate('history size exceeds limit (simulated)');

    // Visibility is eventually consistent: it may list the run as running for a moment after the termination.
    await waitFor('visibility to record the termination', async () => {
      const { count } = await stack.env.client.workflow.count(`WorkflowId = '${handle.workflowId}' AND ExecutionStatus = 'Terminated'`);
      return count === 1 ? true : undefined;
    }, 30_000, 200);
    const consoleRows = await waitFor('visibility to list it', async () => {
      const rows = await createConsoleGateway(stack.env.client).listDeliverables(planId);
      return rows.length === 1 ? rows : undefined;
    }, 30_000, 200);
    expect(consoleRows[0]).toMatchObject({ status: 'terminated', light: 'red' });
    expect(await createConsoleGateway(stack.env.client).status(handle.workflowId)).toMatchObject({ status: 'terminated', light: 'red' });
    const cliRows = await listDeliverables(stack.env.client, planId);
    expect(cliRows[0]).toMatchObject({ status: 'terminated', light: 'red', execution: 'TERMINATED' });
  }, 180_000);
  // The plan's side (marked in the digest's rows, one alert mail to 督查室) runs a year of digests, so it is tested
  // on the time-skipping server: test/plan-workflow.test.ts.
});
