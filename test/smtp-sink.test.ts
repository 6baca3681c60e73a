/** The development SMTP sink: it keeps what it receives and shows it in the browser, escaped and sandboxed. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../activities/mail/email-sink.ts';
import type { MessageJson } from '../devtools/sink-pages.ts';
import { startSmtpSink, type SmtpSink } from '../devtools/smtp-sink.ts';

const hostile = '<script>alert(1)</script>';

async function send(sink: SmtpSink, subject: string, extra: { html?: string; text?: string; messageId?: string } = {}) {
  await createSmtpTransport(sink.smtpUrl).sendMail({
    from: '督办系统 <duban@xinfang.example>',
    to: '综合指导司 <zonghe@xinfang.example>',
    subject,
    text: extra.text ?? '正文',
    html: extra.html,
    messageId: extra.messageId,
    attachments: [{ filename: 'due.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }],
  });
}

async function get(sink: SmtpSink, path: string): Promise<{ status: number; type: string; csp: string; body: string }> {
  const res = await fetch(new URL(path, sink.webUrl));
  return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', body: await res.text() };
}

describe('the sink’s web view', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
    await send(sink, '【交办通知】第一封', { messageId: '<first@xinfang.example>' });
    await send(sink, `【督办通知】${hostile}`, {
      html: `<html><head><title>t</title></head><body><p>督办意见：请办理</p>${hostile}<a href="http://127.0.0.1:9/a/x">确认完成</a></body></html>`,
      text: '确认完成：http://127.0.0.1:9/a/test-token-confirm\n<b>不是标记</b>',
      messageId: '<second@xinfang.example>',
    });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('keeps every received message, oldest first, parsed', () => {
    expect(sink.messages().map((m) => m.mail.messageId)).toEqual(['<first@xinfang.example>', '<second@xinfang.example>']);
    expect(sink.messages()[0]!.envelope.to).toEqual(['zonghe@xinfang.example']);
  });

  it('lists the messages newest first with time, recipient and subject, escaped', async () => {
    const page = await get(sink, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('收件箱（2）');
    for (const label of ['时间', '收件人', '主题']) expect(page.body).toContain(`<th>${label}</th>`);
    expect(page.body).toContain('zonghe@xinfang.example');
    expect(page.body.indexOf('督办通知')).toBeLessThan(page.body.indexOf('第一封'));
    expect(page.body).not.toContain(hostile);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows a message’s HTML in a sandboxed frame without scripts, with its text part and headers', async () => {
    const id = sink.messages()[1]!.id;
    const page = await get(sink, `/messages/${id}`);
    expect(page.status).toBe(200);
    expect(page.csp).toContain("default-src 'none'");
    expect(page.body).not.toContain(hostile);
    expect(page.body).not.toContain('allow-scripts');
    const frame = /<iframe sandbox="([^"]*)"[^>]* srcdoc="([^"]*)"><\/iframe>/.exec(page.body);
    expect(frame?.[1]).toBe('allow-popups allow-popups-to-escape-sandbox');
    // Escaped once for the attribute: the frame's document still holds the script as markup it will not run.
    expect(frame?.[2]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(frame?.[2]).toContain('&lt;head&gt;&lt;base target=&quot;_blank&quot;&gt;');
    expect(page.body).toContain('<a href="http://127.0.0.1:9/a/test-token-confirm" target="_blank" rel="noopener noreferrer">');
    expect(page.body).toContain('&lt;b&gt;不是标记&lt;/b&gt;');
    expect(page.body).toContain('&lt;second@xinfang.example&gt;');
    expect(page.body).toContain('due.ics');
  });

  it('serves the raw message and its attachments as downloads', async () => {
    const id = sink.messages()[0]!.id;
    const raw = await get(sink, `/messages/${id}.eml`);
    expect(raw.type).toMatch(/^text\/plain/);
    expect(raw.body).toContain('Message-ID: <first@xinfang.example>');
    const ics = await fetch(new URL(`/messages/${id}/attachments/0`, sink.webUrl));
    expect(ics.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''due.ics");
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  });

  it('answers /api/messages with JSON, newest first', async () => {
    const res = await get(sink, '/api/messages');
    expect(res.type).toMatch(/^application\/json/);
    const list = JSON.parse(res.body) as MessageJson[];
    expect(list.map((m) => m.headers.messageId)).toEqual(['<second@xinfang.example>', '<first@xinfang.example>']);
    expect(list[1]).toMatchObject({ to: ['zonghe@xinfang.example'], subject: '【交办通知】第一封', text: '正文', attachments: [{ filename: 'due.ics' }] });
    expect(list[0]!.html).toContain(hostile);
  });

  it('answers 404 for an unknown message and 405 for anything but reading', async () => {
    expect((await get(sink, '/messages/1-1')).status).toBe(404);
    expect((await get(sink, '/messages/../../etc/passwd')).status).toBe(404);
    expect((await fetch(new URL('/api/messages', sink.webUrl), { method: 'DELETE' })).status).toBe(405);
  });
});

it('keeps messages across a restart when given a store folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'duban-sink-'));
  try {
    const first = await startSmtpSink({ storeDir: dir });
    await send(first, '重启前的邮件', { messageId: '<kept@xinfang.example>' });
    await first.close();
    const second = await startSmtpSink({ storeDir: dir });
    try {
      expect(second.messages().map((m) => [m.mail.messageId, m.envelope.to])).toEqual([['<kept@xinfang.example>', ['zonghe@xinfang.example']]]);
      expect((await get(second, '/')).body).toContain('重启前的邮件');
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('listens on loopback only', async () => {
  await expect(startSmtpSink({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
});

it('runs from the command line and prints its SMTP and web addresses', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'devtools/smtp-sink-main.ts', '--smtp-port', '0', '--http-port', '0'], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!/收件箱 \(inbox\): (http:\S+)/.test(output) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toMatch(/SMTP_URL=smtp:\/\/127\.0\.0\.1:\d+/);
    const inbox = /收件箱 \(inbox\): (http:\S+)/.exec(output)![1]!;
    expect((await fetch(inbox)).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
});
