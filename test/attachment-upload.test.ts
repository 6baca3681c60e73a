/**
 * 办结材料 over HTTP on the real stack (dev server, worker, SMTP sink, web app as `duban web` builds it): the confirm
 * link takes files under its caps and refuses by content, nothing is stored or confirmed when it refuses, multipart
 * stays refused everywhere else, and the console serves only a deliverable's own files, as downloads, behind sign-in.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../config/load-plan.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { parseLinkKeys } from '../web/links/link-keys.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import type { LinkAction } from '../activities/mail/action-links.ts';
import { statusQuery } from '../workflows/definitions.ts';
import { deliverableWorkflow } from '../workflows/deliverable.ts';
import { startLinkStack, type LinkStack } from './helpers/link-stack.ts';
import { streamedPost } from './helpers/raw-http.ts';
import { minimalPdf, multipartBody, officePackage, tinyPng, windowsProgram, type Part } from './helpers/sample-files.ts';

const megabytes = 1024 * 1024;
let stack: LinkStack;
let cookie: string;
const loaded = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('the shipped plan does not validate');
const plan = loaded.plan;

beforeAll(async () => {
  stack = await startLinkStack({ console: true });
  const { value } = new SessionCodec(parseLinkKeys(stack.linkKeys)).issue({ email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' } }, Date.now());
  cookie = `duban_session=${value}`;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** An open deliverable whose id in the console is its workflow id's last part. */
async function openItem() {
  const deliverableId = `d10-${randomUUID().slice(0, 8)}`;
  const input = stack.d10Input(deliverableId);
  const handle = await stack.env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue: stack.taskQueue, workflowId: `${plan.id}/${deliverableId}` });
  return { handle, deliverableId };
}

const link = (workflowId: string, action: LinkAction = 'confirm', unitId = 'zonghe') =>
  `${stack.web.url}/a/${new LinkSigner(parseLinkKeys(stack.linkKeys)).mint({ workflowId, unitId, action, expiresAt: Date.now() + 86_400_000 })}`;

function post(url: string, parts: readonly Part[], headers: Record<string, string> = {}) {
  const { body, contentType } = multipartBody(parts);
  return fetch(url, { method: 'POST', body, redirect: 'manual', headers: { 'Content-Type': contentType, Origin: stack.web.url, ...headers } });
}

const file = (filename: string, value: Buffer, type = 'application/octet-stream'): Part => ({ name: 'files', filename, value, type });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const store = () => join(stack.dataDir!, 'attachments');
const stored = () => (existsSync(store()) ? readdirSync(store()).filter((f) => f !== '.staging') : []);
const staged = () => (existsSync(join(store(), '.staging')) ? readdirSync(join(store(), '.staging')) : []);
/** Every payload of a history, decoded: what Temporal keeps of the inputs, results and notices. */
const payloadsOf = (history: string) => [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join('\n');
const download = (deliverableId: string, hash: string, headers: Record<string, string> = { Cookie: cookie }) =>
  fetch(`${stack.web.url}/console/plans/${plan.id}/deliverables/${deliverableId}/attachments/${hash}`, { redirect: 'manual', headers });

describe('the confirm link with 办结材料', () => {
  it('takes a PDF and a PNG, keeps them by content hash outside history, and the console serves them only as downloads', async () => {
    const { handle, deliverableId } = await openItem();
    const pdf = minimalPdf('acceptance report');
    const png = tinyPng();
    const answer = await post(link(handle.workflowId), [{ name: 'note', value: '意见已印发，见附件' }, file('验收报告.pdf', pdf, 'application/pdf'), file('现场照片.png', png, 'image/png')]);
    const page = await answer.text();
    expect(answer.status, page).toBe(200);
    expect(page).toContain('已确认完成');
    expect(page).toContain('验收报告.pdf');

    const view = await handle.query(statusQuery);
    expect(view.status).toBe('awaiting_acceptance');
    expect(view.units[0]!.note).toBe('意见已印发，见附件');
    expect(view.attachments!.map((a) => [a.name, a.type, a.size, a.sha256, a.unitId])).toEqual([
      ['验收报告.pdf', 'application/pdf', pdf.length, sha256(pdf), 'zonghe'],
      ['现场照片.png', 'image/png', png.length, sha256(png), 'zonghe'],
    ]);
    expect(readFileSync(join(store(), sha256(pdf)))).toEqual(pdf);
    expect(staged()).toEqual([]);
    // History holds references, never the bytes.
    const history = payloadsOf(JSON.stringify(await handle.fetchHistory()));
    expect(history).toContain(sha256(pdf));
    expect(history).not.toContain('%PDF');
    expect(history).not.toContain('IHDR');

    const got = await download(deliverableId, sha256(pdf));
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(pdf);
    expect(got.headers.get('Content-Type')).toBe('application/pdf');
    expect(got.headers.get('Content-Disposition')).toBe(`attachment; filename="attachment-${sha256(pdf).slice(0, 12)}.pdf"; filename*=UTF-8''${encodeURIComponent('验收报告.pdf')}`);
    expect(got.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(got.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    expect(got.headers.get('Cache-Control')).toContain('no-store');

    const detail = await (await fetch(`${stack.web.url}/console/plans/${plan.id}/deliverables/${deliverableId}`, { headers: { Cookie: cookie } })).text();
    expect(detail).toContain('办结材料');
    expect(detail).toContain(`/attachments/${sha256(png)}`);
    await handle.terminate('test finished');
  });

  it('keeps one copy of the same bytes sent twice, and a confirmation without files still works as a form', async () => {
    const first = await openItem();
    const second = await openItem();
    const pdf = minimalPdf('shared');
    expect((await post(link(first.handle.workflowId), [file('a.pdf', pdf)])).status).toBe(200);
    expect((await post(link(second.handle.workflowId), [file('b.pdf', pdf), file('b-again.pdf', pdf)])).status).toBe(200);
    expect(stored().filter((f) => f === sha256(pdf))).toHaveLength(1);
    expect((await second.handle.query(statusQuery)).attachments!.map((a) => a.name)).toEqual(['b.pdf']);
    const plain = await openItem();
    // The page's form with its file input left empty: one nameless, empty file part.
    expect((await post(link(plain.handle.workflowId), [{ name: 'note', value: '已办结' }, file('', Buffer.alloc(0))])).status).toBe(200);
    expect((await plain.handle.query(statusQuery)).attachments).toBeUndefined();
    await Promise.all([first, second, plain].map((i) => i.handle.terminate('test finished')));
  });

  it('refuses a file over 10 MB with 413, and keeps and confirms nothing', async () => {
    const { handle } = await openItem();
    const before = stored();
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(10 * megabytes)]);
    const answer = await post(link(handle.workflowId), [file('大文件.pdf', big)]);
    expect(answer.status).toBe(413);
    expect(await answer.text()).toContain('每个附件不能超过 10 MB');
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    expect(stored()).toEqual(before);
    expect(staged()).toEqual([]);
    await handle.terminate('test finished');
  });

  it('refuses more than 5 files with 413, and keeps and confirms nothing', async () => {
    const { handle } = await openItem();
    const before = stored();
    const pngs = [1, 2, 3, 4, 5, 6].map((n) => file(`照片${n}.png`, tinyPng(n, 1)));
    const answer = await post(link(handle.workflowId), pngs);
    expect(answer.status).toBe(413);
    expect(await answer.text()).toContain('附件最多 5 个');
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    expect(stored()).toEqual(before);
    expect(staged()).toEqual([]);
    await handle.terminate('test finished');
  });

  it('stops reading a body over the upload cap: 413 and the connection closed, declared or not', async () => {
    const { handle } = await openItem();
    for (const declareLength of [true, false]) {
      const answer = await streamedPost(link(handle.workflowId), { total: 64 * megabytes, declareLength, headers: { 'Content-Type': 'multipart/form-data; boundary=x' } });
      if (answer.status !== 0) {
        expect(answer.status).toBe(413);
        expect(answer.body).toContain('提交内容过长');
        expect(answer.headers.connection).toBe('close');
      }
      // The cap is 25 MB and a bit; socket buffers let a few megabytes more through before the answer.
      expect(answer.written).toBeLessThan(40 * megabytes);
    }
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    expect(staged()).toEqual([]);
    await handle.terminate('test finished');
  });

  it('refuses a program, a web page or an SVG by its content whatever its name and type claim, and keeps none of the upload', async () => {
    const { handle } = await openItem();
    const before = stored();
    const cases: [Part, string][] = [
      [file('报告.pdf', windowsProgram(), 'application/pdf'), '是可执行程序'],
      [file('照片.png', Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>'), 'image/png'), '是网页'],
      [file('图.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'), '是 SVG'],
      [file('宏.docx', officePackage('docx', { 'word/vbaProject.bin': Buffer.alloc(16) })), '含宏'],
    ];
    for (const [part, reason] of cases) {
      // A good file beside it is not kept either: the whole upload is refused.
      const answer = await post(link(handle.workflowId), [file('good.pdf', minimalPdf('kept?')), part]);
      expect(answer.status, part.filename).toBe(415);
      const text = await answer.text();
      expect(text, part.filename).toContain(reason);
      expect(text).toContain('只接受');
      expect(text).not.toContain('<script>alert');
    }
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    expect(stored()).toEqual(before);
    expect(staged()).toEqual([]);
    await handle.terminate('test finished');
  });

  it('answers malformed multipart with 400, never a 500, and confirms nothing', async () => {
    const { handle } = await openItem();
    const url = link(handle.workflowId);
    const bodies: [string, string][] = [
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-1.4 unterminated'],
      ['multipart/form-data', '--x\r\n\r\n'],
      ['multipart/form-data; boundary=x', 'no boundary at all'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="other"; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--x--\r\n'],
    ];
    for (const [type, body] of bodies) {
      const answer = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': type, Origin: stack.web.url } });
      expect(answer.status, body).toBe(400);
      expect(await answer.text()).toContain('提交格式不被接受');
    }
    expect((await handle.query(statusQuery)).units[0]!.confirmedAt).toBeUndefined();
    expect(staged()).toEqual([]);
    await handle.terminate('test finished');
  });

  it('refuses multipart with 415 on every other route: progress and extension links, sign-in, the console', async () => {
    const { handle, deliverableId } = await openItem();
    const parts = [{ name: 'note', value: '进展' }, file('a.pdf', minimalPdf())];
    for (const url of [
      link(handle.workflowId, 'progress'), link(handle.workflowId, 'extension'), `${stack.web.url}/login`,
      `${stack.web.url}/console/plans/${plan.id}/deliverables/${deliverableId}/escalate`,
    ]) {
      const answer = await post(url, parts, { Cookie: cookie });
      expect(answer.status, url).toBe(415);
      expect(await answer.text()).toContain('提交格式不被接受');
    }
    const view = await handle.query(statusQuery);
    expect(view.units[0]!.lastProgress).toBeUndefined();
    expect(view.escalationLevel).toBe(0);
    await handle.terminate('test finished');
  });

  it('refuses files for a unit that has already confirmed before reading them, and records no reference', async () => {
    const { handle } = await openItem();
    expect((await post(link(handle.workflowId), [file('first.pdf', minimalPdf('first'))])).status).toBe(200);
    const before = stored();
    const again = await post(link(handle.workflowId), [file('second.pdf', minimalPdf('second'))]);
    expect(again.status).toBe(409);
    expect(again.headers.get('Connection')).toBe('close');
    expect(await again.text()).toContain('already confirmed');
    expect(stored()).toEqual(before);
    expect((await handle.query(statusQuery)).attachments!.map((a) => a.name)).toEqual(['first.pdf']);
    await handle.terminate('test finished');
  });
});

describe('downloading 办结材料 from the console', () => {
  it('answers 404 for a hash the deliverable does not reference, even when the store holds it', async () => {
    const owner = await openItem();
    const other = await openItem();
    const pdf = minimalPdf('owned');
    expect((await post(link(owner.handle.workflowId), [file('owned.pdf', pdf)])).status).toBe(200);
    expect(stored()).toContain(sha256(pdf));
    expect((await download(owner.deliverableId, sha256(pdf))).status).toBe(200);
    const foreign = await download(other.deliverableId, sha256(pdf));
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain('该事项没有这个附件');
    expect((await download(owner.deliverableId, 'f'.repeat(64))).status).toBe(404);
    expect((await download(owner.deliverableId, '..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    await Promise.all([owner, other].map((i) => i.handle.terminate('test finished')));
  });

  it('sends a request without a session to the sign-in page, and serves nothing', async () => {
    const { handle, deliverableId } = await openItem();
    const pdf = minimalPdf('private');
    expect((await post(link(handle.workflowId), [file('private.pdf', pdf)])).status).toBe(200);
    const anonymous = await download(deliverableId, sha256(pdf), {});
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toBe('/login');
    expect(await anonymous.text()).not.toContain('%PDF');
    const forged = await download(deliverableId, sha256(pdf), { Cookie: 'duban_session=forged.value' });
    expect(forged.status).toBe(303);
    await handle.terminate('test finished');
  });
});
