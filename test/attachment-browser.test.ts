/**
 * 办结材料 as people use them, in headless Chromium on the real stack (dev server, worker, SMTP sink, web app as
 * `duban web` builds it): the unit opens the confirm link from its mail, attaches a PDF and a PNG and confirms; the
 * supervisor hears of them by mail, signs in by mail, sees them on the item's page, downloads one byte for byte, and
 * accepts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { statusQuery } from '../workflows/definitions.ts';
import { deliverableWorkflow } from '../workflows/deliverable.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { actionLink, sentTo, waitForMail } from './helpers/mailbox.ts';
import { minimalPdf, tinyPng } from './helpers/sample-files.ts';

let stack: LinkStack;
let browser: Browser;
const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('the shipped plan does not validate');
const plan = loaded.plan;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLinkStack({ console: true }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('办结材料 in the browser', () => {
  it('a unit attaches a PDF and a PNG to its confirmation; the supervisor sees, downloads and accepts', async () => {
    const deliverableId = `d10-${randomUUID().slice(0, 8)}`;
    const input = stack.d10Input(deliverableId);
    const handle = await stack.env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue: stack.taskQueue, workflowId: `${plan.id}/${deliverableId}` });
    const assignment = await waitForMail(stack.sink, (m) => sentTo('zonghe@xinfang.example')(m) && (m.mail.subject ?? '').includes('交办通知'));
    const confirmLink = actionLink(assignment, '确认完成');

    // The unit: open the link, choose two files, write a note, confirm.
    const unitPage = await browser.newPage();
    await unitPage.goto(confirmLink);
    expect(await unitPage.locator('form').getAttribute('enctype')).toBe('multipart/form-data');
    expect(await unitPage.locator('.hint').first().innerText()).toContain('最多 5 个，每个不超过 10 MB，合计不超过 25 MB');
    const pdf = minimalPdf('2015 statistics opinion');
    const png = tinyPng(8, 8, [20, 120, 200]);
    await unitPage.setInputFiles('#files', [
      { name: '关于加强信访统计工作的意见（印发稿）.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: '印发现场.png', mimeType: 'image/png', buffer: png },
    ]);
    await unitPage.fill('#note', '意见已印发，印发稿与现场照片见附件。');
    await screenshot(unitPage, 'attachment-confirm-page');
    await unitPage.click('button:has-text("确认完成")');
    await unitPage.waitForSelector('.notice.ok');
    const result = await unitPage.locator('main').innerText();
    expect(result).toContain('已确认完成');
    expect(result).toContain('关于加强信访统计工作的意见（印发稿）.pdf（PDF');
    expect(result).toContain('印发现场.png（PNG 图片');
    await screenshot(unitPage, 'attachment-confirm-done');

    const view = await handle.query(statusQuery);
    expect(view.status).toBe('awaiting_acceptance');
    expect(view.attachments!.map((a) => [a.name, a.sha256, a.size])).toEqual([
      ['关于加强信访统计工作的意见（印发稿）.pdf', sha256(pdf), pdf.length],
      ['印发现场.png', sha256(png), png.length],
    ]);
    expect(readFileSync(`${stack.dataDir}/attachments/${sha256(png)}`)).toEqual(png);

    // The supervisor's mail names the files and their sizes, and links to the item's console page.
    const detailUrl = `${stack.web.url}/console/plans/${plan.id}/deliverables/${deliverableId}`;
    const notice = await waitForMail(stack.sink, (m) => sentTo('duchashi@xinfang.example')(m) && (m.mail.subject ?? '').includes('待验收'));
    expect(notice.mail.text).toContain(`办结材料1：关于加强信访统计工作的意见（印发稿）.pdf（${pdf.length} 字节，综合指导司提交）`);
    expect(notice.mail.text).toContain(`办结材料2：印发现场.png（${png.length} 字节，综合指导司提交）`);
    expect(notice.mail.text).toContain(detailUrl);

    // Sign in by mail, then open the item from the link in the notice.
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(detailUrl);
    expect(new URL(page.url()).pathname).toBe('/login');
    const seen = new Set(stack.sink.messages().map((m) => m.id));
    await page.fill('#email', 'duchashi@xinfang.example');
    await page.click('button[type=submit]');
    const signInMail = await waitForMail(stack.sink, (m) => !seen.has(m.id) && (m.mail.subject ?? '').includes('登录链接'));
    await page.goto(/(http:\/\/\S+\/login\/\S+)/.exec(signInMail.mail.text ?? '')![1]!);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/plans\//);
    await page.goto(detailUrl);

    const rows = page.locator('table.attachments tbody tr');
    expect(await rows.count()).toBe(2);
    const pdfRow = await rows.filter({ hasText: '印发稿' }).innerText();
    for (const expected of ['PDF', `${pdf.length} 字节`, '综合指导司', '随本次确认完成提交']) expect(pdfRow).toContain(expected);
    expect(await page.locator('main').innerText()).toContain('附件：关于加强信访统计工作的意见（印发稿）.pdf、印发现场.png');
    await screenshot(page, 'attachment-console-detail');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("印发稿")')]);
    expect(download.suggestedFilename()).toBe('关于加强信访统计工作的意见（印发稿）.pdf');
    expect(readFileSync((await download.path())!)).toEqual(pdf);
    // The same request with the browser's session, to read what the server said about the file.
    const answer = await page.context().request.get(`${detailUrl}/attachments/${sha256(pdf)}`);
    expect(answer.status()).toBe(200);
    expect(Buffer.from(await answer.body())).toEqual(pdf);
    const headers = answer.headers();
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="attachment-[0-9a-f]{12}\.pdf"; filename\*=UTF-8''%E5%85%B3/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toBe("default-src 'none'; sandbox");

    await page.fill('#accept-note', '材料齐全，验收通过。');
    await page.click('button:has-text("验收通过")');
    await page.waitForURL(/done=accept/);
    expect((await handle.query(statusQuery)).status).toBe('done');
    await Promise.all([unitPage.close(), page.close()]);
  }, 120_000);
});
