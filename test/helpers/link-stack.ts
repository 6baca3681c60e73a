/** The whole link loop for a test file: dev server, real SMTP sink, web app and worker, plus a deliverable to act on. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchAttributePair } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { readEnvironment } from '../../config/environment.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import { startSmtpSink, type SmtpSink } from '../../devtools/smtp-sink.ts';
import { createWebApp } from '../../web/app.ts';
import { buildWebApp } from '../../web/build-app.ts';
import { createTemporalGateway } from '../../web/deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from '../../web/links/link-token.ts';
import { createTemporalGuard } from '../../web/temporal-guard.ts';
import { startWebServer, type RunningWebServer } from '../../web/server.ts';
import { createDubanWorker } from '../../worker/create-worker.ts';
import { notificationSinkFor } from '../../worker/notification-sink.ts';
import { taskQueue as defaultTaskQueue, type DeliverableInput } from '../../workflows/definitions.ts';
import { deliverableWorkflow } from '../../workflows/deliverable.ts';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';
import { closedPort } from './duban-cli.ts';
import { pinnedClockOffsetMs, planYear } from './plan-clock.ts';
import { startDevServer } from './temporal-servers.ts';

// A strong random key per run (the web server refuses weak or example ones).
const linkKeys = `stack:${randomBytes(32).toString('base64url')}`;

/** A running stack; `stop` closes everything it started. */
export interface LinkStack {
  readonly env: TestWorkflowEnvironment;
  readonly sink: SmtpSink;
  readonly web: RunningWebServer;
  /** The task queue the stack's worker polls. */
  readonly taskQueue: string;
  /** The stack's LINK_KEYS, for tests that mint links or sessions themselves. */
  readonly linkKeys: string;
  /** DATA_DIR of a stack built with the console (its 办结材料 are in `attachments/`). */
  readonly dataDir?: string;
  /** Plan time minus wall time for the stack's items ({@link pinnedClockOffsetMs}; links and sessions keep the wall clock). */
  readonly clockOffsetMs: number;
  /** The input of deliverable `d10` of the 2015 plan (as `deliverableId`), due 30 December of {@link planYear}, in the stack's plan time: open and on time. */
  d10Input(deliverableId?: string): DeliverableInput;
  /** Starts {@link d10Input}, adjusted. */
  startDeliverable(adjust?: (input: DeliverableInput) => DeliverableInput, typedSearchAttributes?: SearchAttributePair[]): ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>;
  /** Headers of a form POST from the web app's own origin. */
  formHeaders(): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the stack on free loopback ports. With `console`, the web server is the whole app as `duban web` builds it
 * (action links and the console with its mailed sign-in for the shipped plan's people, 办结材料 in a temporary
 * DATA_DIR), and the worker polls the default task queue, where the sign-in ledger runs (the dev server is this stack's own).
 */
export async function startLinkStack(options: {
  console?: boolean; snapshotDir?: string;
  /** How long the worker uses a plan's address book (default one minute, as `duban worker`); 0 asks the plan for each notice. */
  addressBookTtlMs?: number;
} = {}): Promise<LinkStack> {
  const env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
  const sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  // The web server's address is the PUBLIC_URL the mails link to, so its port is chosen first.
  const port = await closedPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const dataDir = options.console ? mkdtempSync(join(tmpdir(), 'duban-link-stack-')) : undefined;
  const settings = readEnvironment({ TEMPORAL_ADDRESS: env.address, SMTP_URL: sink.smtpUrl, MAIL_FROM: '督办系统 <duban@xinfang.example>', PUBLIC_URL: publicUrl, LINK_KEYS: linkKeys, ...(dataDir ? { DATA_DIR: dataDir } : {}) });
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  const plan = loaded.plan;
  const app = options.console
    ? buildWebApp({ client: env.client, env: settings, plans: [plan], now: Date.now }).app
    : createWebApp({ gateway: createTemporalGateway(env.client, createTemporalGuard(env.client, { address: env.address })), signer: new LinkSigner(parseLinkKeys(linkKeys)), publicUrl, now: Date.now });
  const web = await startWebServer(app, '127.0.0.1', port);
  const taskQueue = options.console ? defaultTaskQueue : `stack-${randomUUID()}`;
  const worker: Worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', sink: notificationSinkFor(settings).sink, taskQueue, assignmentBatchMs: 1_000, ...(options.addressBookTtlMs === undefined ? {} : { addressBookTtlMs: options.addressBookTtlMs }), ...(options.snapshotDir ? { snapshotDir: options.snapshotDir } : {}) });
  const running = worker.run();
  const clockOffsetMs = pinnedClockOffsetMs();
  const d10Input = (deliverableId?: string): DeliverableInput =>
    ({ ...deliverableInput(plan, 'd10', { clockOffsetMs }), ...(deliverableId ? { deliverableId } : {}), due: `${planYear}-12-30`, planWorkflowId: undefined });
  return {
    env, sink, web, taskQueue, linkKeys, clockOffsetMs, ...(dataDir ? { dataDir } : {}),
    d10Input,
    startDeliverable(adjust = (i) => i, typedSearchAttributes = []) {
      const input = adjust(d10Input());
      return env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue, workflowId: `xinfang-2015/d10-${randomUUID().slice(0, 8)}`, typedSearchAttributes });
    },
    formHeaders: () => ({ Origin: new URL(web.url).origin, 'Content-Type': 'application/x-www-form-urlencoded' }),
    async stop() {
      worker.shutdown();
      await running;
      await web.close();
      await sink.close();
      await env.teardown();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `task(i)` for i in 0…count-1 with at most `concurrency` at once; returns the results in order. */
export async function boundedAll<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}
