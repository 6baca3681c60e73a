/**
 * Threat: a unit (or a script holding its link) asks for more time again and again. Before, each post made a new
 * request and a new mail to 督查室. Now a repeat while the unit's request is pending is answered "已提交，等待督查室决定"
 * without a new event, mail or history entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusQuery } from '../../workflows/definitions.ts';
import { waitFor } from '../helpers/duban-cli.ts';
import { actionLink, actionLinks, sentTo, waitForMail } from '../helpers/mailbox.ts';
import { boundedAll, startLinkStack, type LinkStack } from '../helpers/link-stack.ts';
import { planYear } from '../helpers/plan-clock.ts';

let stack: LinkStack;
beforeAll(async () => {
  stack = await startLinkStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const isRequestMail = (subject: string | undefined) => (subject ?? '').includes('延期申请') && !(subject ?? '').includes('结果');

describe('repeated extension requests from one unit', () => {
  it('make one request and one mail to 督查室, however often they are posted', async () => {
    const handle = await stack.startDeliverable();
    const mail = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && actionLinks(m).length > 0, 60_000);
    const extensionLink = actionLink(mail, '申请延期');
    const historyBefore = Number((await handle.describe()).raw.workflowExecutionInfo?.historyLength ?? 0);

    const answers = await boundedAll(50, 5, async () => {
      const response = await fetch(extensionLink, {
        method: 'POST', headers: stack.formHeaders(), body: new URLSearchParams({ to: `${planYear}-12-31`, note: '需与国家统计局会签' }),
      });
      return { status: response.status, text: await response.text() };
    });

    expect(answers.map((a) => a.status)).toEqual(new Array(50).fill(200));
    expect(answers.filter((a) => a.text.includes('已提交，等待督查室决定'))).toHaveLength(50);
    const view = await handle.query(statusQuery);
    expect(view.pendingExtension).toMatchObject({ unitId: 'zonghe', to: `${planYear}-12-31` });
    expect(view.events.filter((e) => e.what === 'extension_request')).toHaveLength(2); // the action and its notice
    // Every send the workflow started has finished (none pending) before the mails are counted.
    await waitForMail(stack.sink, (m) => sentTo('duchashi@xinfang.example')(m) && isRequestMail(m.mail.subject));
    await waitFor('no mail still being sent', async () => ((await handle.describe()).raw.pendingActivities?.length ?? 0) === 0 || undefined, 20_000, 50);
    const historyAfter = Number((await handle.describe()).raw.workflowExecutionInfo?.historyLength ?? 0);
    expect(stack.sink.messages().filter((m) => sentTo('duchashi@xinfang.example')(m) && isRequestMail(m.mail.subject))).toHaveLength(1);
    // One update in history; the refused repeats add at most a few workflow-task events, fewer than one per post.
    const accepted = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);
    expect(historyAfter - historyBefore).toBeLessThan(50);
    await handle.terminate('test finished');
  }, 120_000);
});
