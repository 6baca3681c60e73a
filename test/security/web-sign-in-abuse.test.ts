/**
 * Sign-in abuse: the sign-in page must not tell who may sign in (by answer, status or a failing mail server),
 * and must not become a mail cannon (limits per address and per client). Real web server, real SMTP.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { closedPort } from '../helpers/duban-cli.ts';
import { sentTo, waitForMail } from '../helpers/mailbox.ts';
import { startDevServer } from '../helpers/temporal-servers.ts';
import { formPost, startWebStack } from '../helpers/web-stack.ts';

const chief = 'duchashi@xinfang.example';
const leadership = 'leadership@xinfang.example';
let env: TestWorkflowEnvironment;
let sink: SmtpSink;

beforeAll(async () => {
  env = await startDevServer();
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
}, 120_000);

afterAll(async () => {
  await sink?.close();
  await env?.teardown();
});

const signInMails = (to: string) => sink.messages().filter((m) => sentTo(to)(m) && (m.mail.subject ?? '').includes('登录链接'));

async function askForLink(url: string, email: string) {
  const response = await fetch(`${url}/login`, formPost({ email }));
  return { status: response.status, location: response.headers.get('Location'), body: await response.text(), cookie: response.headers.get('Set-Cookie') };
}

describe('asking for a sign-in link', () => {
  it('answers a known and an unknown address alike, and mails only the known one', async () => {
    const web = await startWebStack({ client: env.client, temporalAddress: env.address, smtpUrl: sink.smtpUrl });
    try {
      const before = signInMails(chief).length;
      const known = await askForLink(web.server.url, chief);
      const unknown = await askForLink(web.server.url, 'nobody@xinfang.example');
      expect(known).toEqual(unknown);
      expect(known).toMatchObject({ status: 303, location: '/login?sent=1', cookie: null });
      await waitForMail(sink, () => signInMails(chief).length > before);
      await web.outbox.idle();
      expect(sink.messages().some(sentTo('nobody@xinfang.example'))).toBe(false);
    } finally {
      await web.close();
    }
  });

  it('answers the same page when the mail server is down, instead of a 500 that betrays a known address', async () => {
    const web = await startWebStack({ client: env.client, temporalAddress: env.address, smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    try {
      const known = await askForLink(web.server.url, chief);
      const unknown = await askForLink(web.server.url, 'nobody@xinfang.example');
      expect(known).toEqual(unknown);
      expect(known.status).toBe(303);
      // The failed send happens after the answer and ends in the log, not in the response.
      await web.outbox.idle();
    } finally {
      await web.close();
    }
  });

  it('mails one address at most 5 times in 15 minutes, answering every further request the same', async () => {
    const web = await startWebStack({ client: env.client, temporalAddress: env.address, smtpUrl: sink.smtpUrl });
    try {
      const before = signInMails(leadership).length;
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await askForLink(web.server.url, leadership));
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]!.status).toBe(303);
      await web.outbox.idle();
      expect(signInMails(leadership).length - before).toBe(5);
    } finally {
      await web.close();
    }
  });

  it('answers a client over 20 requests in 15 minutes with a 429 page in Chinese, and mails nothing for it', async () => {
    const web = await startWebStack({ client: env.client, temporalAddress: env.address, smtpUrl: sink.smtpUrl });
    try {
      for (let i = 0; i < 20; i++) expect((await askForLink(web.server.url, `visitor-${i}@example.org`)).status).toBe(303);
      const before = signInMails(chief).length;
      const refused = await askForLink(web.server.url, chief);
      expect(refused.status).toBe(429);
      expect(refused.body).toContain('登录请求过于频繁');
      await web.outbox.idle();
      expect(signInMails(chief).length).toBe(before);
    } finally {
      await web.close();
    }
  });
});
