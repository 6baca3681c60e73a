/** The sign-in ledger workflow: first redemption wins, sign-outs are remembered until expiry, and the history stays bounded. */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { createTemporalSignInLedger } from '../web/auth/sign-in-ledger.ts';
import { redeemSignInLinkUpdate, sessionRevokedQuery } from '../workflows/sign-in-definitions.ts';
import { startTimeSkippingServer } from './helpers/temporal-servers.ts';

const taskQueue = `ledger-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await startTimeSkippingServer();
  worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname,
    activities: createActivities({ sink: { deliver: async () => undefined } }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

// The time-skipping server's clock runs ahead of the wall clock once a test has slept: expiries count from it.
const serverNow = () => env.currentTimeMs();

function ledger() {
  const workflowId = `ledger-${randomUUID()}`;
  const client = new Client({ connection: env.connection });
  return { workflowId, client, ledger: createTemporalSignInLedger(client, { taskQueue, workflowId, now: () => Date.now() }) };
}

describe('the sign-in ledger', () => {
  it('starts on first use and lets exactly one of many concurrent redemptions of a link win', async () => {
    const { ledger: l } = ledger();
    const expiresAt = (await serverNow()) + 15 * 60_000;
    const answers = await Promise.all(Array.from({ length: 20 }, () => l.redeemLink('link-1', expiresAt)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await l.redeemLink('link-2', expiresAt)).toBe(true);
    expect(await l.redeemLink('link-1', expiresAt)).toBe(false);
  });

  it('refuses an already expired link and remembers a sign-out until the session expires, then drops it', async () => {
    const { ledger: l, client, workflowId } = ledger();
    expect(await l.redeemLink('stale', (await serverNow()) - 1)).toBe(false);
    const session = 'session-1';
    const expiresAt = (await serverNow()) + 3_600_000;
    expect(await l.isSessionRevoked(session, expiresAt)).toBe(false);
    await l.revokeSession(session, expiresAt);
    // Another process (no local memory of the sign-out) asks the ledger.
    const other = createTemporalSignInLedger(client, { taskQueue, workflowId });
    expect(await other.isSessionRevoked(session, expiresAt)).toBe(true);
    await env.sleep('2 hours');
    // The next change prunes what expired (a query alone cannot: it sees the time of the last change).
    await l.redeemLink('tick', (await serverNow()) + 60_000);
    const later = createTemporalSignInLedger(client, { taskQueue, workflowId });
    expect(await later.isSessionRevoked(session, expiresAt)).toBe(false);
  });

  it('refuses malformed entries in its validator, before they reach history', async () => {
    const { ledger: l, client, workflowId } = ledger();
    await l.redeemLink('warm-up', (await serverNow()) + 60_000);
    await expect(client.workflow.getHandle(workflowId).executeUpdate(redeemSignInLinkUpdate, { args: [{ id: 'not-hex', expiresAt: (await serverNow()) + 60_000 }] })).rejects.toThrow();
  });

  it('continues as new before its history grows large, keeping what is still valid', async () => {
    const { ledger: l, client, workflowId } = ledger();
    const now = await serverNow();
    const expiresAt = now + 8 * 3_600_000;
    await l.revokeSession('kept', expiresAt);
    const first = (await client.workflow.getHandle(workflowId).describe()).runId;
    for (let i = 0; i < 450; i++) expect(await l.redeemLink(`flood-${i}`, now + 3_600_000)).toBe(true);
    const handle = client.workflow.getHandle(workflowId);
    const described = await handle.describe();
    expect(described.runId).not.toBe(first);
    expect(described.historyLength).toBeLessThan(2_100);
    expect(await l.redeemLink('flood-3', now + 3_600_000)).toBe(false);
    const fresh = createTemporalSignInLedger(client, { taskQueue, workflowId });
    expect(await fresh.isSessionRevoked('kept', expiresAt)).toBe(true);
    expect(await handle.query(sessionRevokedQuery, 'no-such-digest')).toBe(false);
  });
});
