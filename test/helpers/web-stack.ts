/** A real web server for the security tests: built as `duban web` builds it, on a free loopback port, against a real Temporal client. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { readEnvironment } from '../../config/environment.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import type { Plan } from '../../config/plan-schema.ts';
import type { SignInLimits } from '../../web/auth/console-auth.ts';
import { buildWebApp } from '../../web/build-app.ts';
import { parseLinkKeys } from '../../web/links/link-keys.ts';
import { LinkSigner } from '../../web/links/link-token.ts';
import { startWebServer } from '../../web/server.ts';
import { deliverableWorkflow } from '../../workflows/deliverable.ts';
import { closedPort } from './duban-cli.ts';
import { pinnedClockOffsetMs, planYear } from './plan-clock.ts';

/** A strong random LINK_KEYS value for one test file. */
export function randomLinkKeys(id = 't1'): string {
  return `${id}:${randomBytes(32).toString('base64url')}`;
}

/** The shipped plan (its 督查室 and 局领导 may sign in). */
export async function shippedPlan(): Promise<Plan> {
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  return loaded.plan;
}

/**
 * Starts the web app on 127.0.0.1 with PUBLIC_URL its own address; `close` stops it. `temporalAddress` is the
 * server `client` talks to (TEMPORAL_ADDRESS: the web app checks there whether a slow server is still up).
 */
export async function startWebStack({ client, temporalAddress, smtpUrl, linkKeys = randomLinkKeys(), signInLimits, temporalGuard }: {
  client: Client; temporalAddress: string; smtpUrl: string; linkKeys?: string; signInLimits?: SignInLimits; temporalGuard?: Parameters<typeof buildWebApp>[0]['temporalGuard'];
}) {
  const port = await closedPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  // Its own DATA_DIR: an upload a test sends must not land in the working tree.
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-web-stack-'));
  const env = readEnvironment({ TEMPORAL_ADDRESS: temporalAddress, SMTP_URL: smtpUrl, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: publicUrl, LINK_KEYS: linkKeys, DATA_DIR: dataDir });
  const built = buildWebApp({ client, env, plans: [await shippedPlan()], now: Date.now, ...(signInLimits ? { signInLimits } : {}), ...(temporalGuard ? { temporalGuard } : {}) });
  const server = await startWebServer(built.app, '127.0.0.1', port);
  return {
    ...built, server, publicUrl, linkKeys, dataDir,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts item d10 of the shipped plan on `taskQueue`, without a plan, as `xinfang-2015/d10-<tag>-<random>`: in the
 * pinned plan time (helpers/plan-clock.ts) and due 30 December, so neither overdue nor in a year the calendar lacks,
 * whenever a test runs.
 */
export async function startPinnedD10(client: Client, taskQueue: string, tag: string) {
  const input = { ...deliverableInput(await shippedPlan(), 'd10', { clockOffsetMs: pinnedClockOffsetMs() }), due: `${planYear}-12-30`, planWorkflowId: undefined };
  return client.workflow.start(deliverableWorkflow, { args: [input], taskQueue, workflowId: `xinfang-2015/d10-${tag}-${randomUUID().slice(0, 8)}` });
}

/** The path of 综合指导司's 确认完成 link for `workflowId`, signed with `linkKeys`, valid a day. */
export function confirmLinkPath(linkKeys: string, workflowId: string): string {
  return `/a/${new LinkSigner(parseLinkKeys(linkKeys)).mint({ workflowId, unitId: 'zonghe', action: 'confirm', expiresAt: Date.now() + 86_400_000 })}`;
}

/** A form POST as our pages send it. */
export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } };
}
