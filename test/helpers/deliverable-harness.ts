/** One time-skipping server and worker per test file, recording every notice, plus helpers to run plan time. */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { NotificationSink } from '../../activities/notification-sink.ts';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import type { Plan } from '../../config/plan-schema.ts';
import { cancelUpdate, statusQuery, type ActionResult, type DeliverableInput, type DeliverableStatusView, type Notification } from '../../workflows/definitions.ts';
import { deliverableWorkflow } from '../../workflows/deliverable.ts';
import { registerSearchAttributes } from '../../worker/register-search-attributes.ts';
import { loadWorkflowBundle } from '../../worker/workflow-bundle.ts';
import { startTimeSkippingServer } from './temporal-servers.ts';
import { waitFor } from './duban-cli.ts';
import { saveHistory } from './replay-fixtures.ts';

export const shanghai = 'Asia/Shanghai';

/** Plan-time instant of a Beijing wall-clock time such as `2015-10-08 09:00`. */
export function beijing(text: string): number {
  return DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm', { zone: shanghai }).toMillis();
}

/** The ISO string duban writes for a Beijing wall-clock time (`2015-10-08T09:00:00.000+08:00`). */
export function beijingIso(text: string): string {
  return DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm', { zone: shanghai }).toISO()!;
}

/** A running test server and worker with a sink that records what was delivered. */
export class DeliverableHarness {
  readonly delivered: Notification[] = [];
  /** Set to make the sink fail: returns the error to throw for a notice, or undefined to deliver it. */
  failWith: (notice: Notification) => Error | undefined = () => undefined;
  private running?: Promise<void>;
  private readonly runs: DeliverableRun[] = [];

  private constructor(readonly env: TestWorkflowEnvironment, readonly worker: Worker, readonly taskQueue: string, readonly plan: Plan) {}

  /** Starts the server and worker; `forward` also receives every notice (e.g. a real email sink). */
  static async start(forward?: NotificationSink): Promise<DeliverableHarness> {
    const env = await startTimeSkippingServer();
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('the shipped plan does not validate');
    const taskQueue = `deliverables-${randomUUID()}`;
    // The sink is built before the harness it reports to.
    const self: { harness?: DeliverableHarness } = {};
    const sink: NotificationSink = {
      async deliver(notice) {
        const failure = self.harness!.failWith(notice);
        if (failure) throw failure;
        await forward?.deliver(notice);
        self.harness!.delivered.push(notice);
      },
    };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await loadWorkflowBundle(), activities: createActivities({ sink }) });
    const harness = new DeliverableHarness(env, worker, taskQueue, loaded.plan);
    self.harness = harness;
    harness.running = worker.run();
    return harness;
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.env.teardown();
  }

  /**
   * Starts a deliverable of the 2015 plan so that its plan time begins at `planStart`; `adjust` may change its input
   * (e.g. the policy). Returns the handle and the clock offset used.
   */
  async startDeliverable(deliverableId: string, planStart: number, adjust: (input: DeliverableInput) => DeliverableInput = (i) => i) {
    const clockOffsetMs = planStart - (await this.env.currentTimeMs());
    // Shown in one upsert per change with its console facts, as every starter does today (recorded fixtures replay runs from before).
    const input = adjust(withoutAcknowledgementPolicy({ ...deliverableInput(this.plan, deliverableId, { clockOffsetMs }), planWorkflowId: undefined, showsInOneUpsert: true, showsConsoleFacts: true }));
    const workflowId = `${this.plan.id}/${deliverableId}/${randomUUID()}`;
    const handle = await this.env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue: this.taskQueue, workflowId });
    const run = new DeliverableRun(this, handle, clockOffsetMs);
    this.runs.push(run);
    return run;
  }

  /**
   * Closes workflows a test left running, so their timers do not slow the next test. They are cancelled through
   * their own update and allowed to finish: terminating one with a notice in flight would leave the test server's
   * time skipping locked for good. With RECORD_HISTORIES=1 every history is saved as a replay fixture.
   */
  async closeRunning(testName: string | undefined): Promise<void> {
    const runs = this.runs.splice(0);
    for (const [i, run] of runs.entries()) {
      if ((await run.handle.describe()).status.name === 'RUNNING') {
        await run.handle.executeUpdate(cancelUpdate, { args: [{ by: 'test', reason: 'test finished' }] }).catch(() => undefined);
      }
      await run.handle.result();
      if (process.env.RECORD_HISTORIES === '1' && testName) await saveHistory(`${testName}${runs.length > 1 ? ` ${i + 1}` : ''}`, run.handle);
    }
  }
}

/** One started deliverable, with plan-time helpers. */
export class DeliverableRun {
  constructor(readonly harness: DeliverableHarness, readonly handle: WorkflowHandle<typeof deliverableWorkflow>, readonly clockOffsetMs: number) {}

  /** Current plan time. */
  async now(): Promise<number> {
    return (await this.harness.env.currentTimeMs()) + this.clockOffsetMs;
  }

  /** Skips time until the plan-time instant (a no-op if it has passed). */
  async runUntil(instant: number): Promise<void> {
    const wait = instant - (await this.now());
    if (wait > 0) await this.harness.env.sleep(wait);
  }

  status(): Promise<DeliverableStatusView> {
    return this.handle.query(statusQuery);
  }

  /** Runs an update with one argument and returns the status afterwards (the update itself answers only a small result). */
  async update<T>(definition: UpdateDefinition<ActionResult, [T]>, arg: T): Promise<DeliverableStatusView> {
    await this.handle.executeUpdate(definition, { args: [arg] });
    return this.status();
  }

  /** Notices delivered for this workflow, in the order the workflow issued them (deliveries may overtake each other). */
  notices(): Notification[] {
    const seq = (n: Notification) => Number(n.key.split('#')[1]);
    return this.harness.delivered.filter((n) => n.workflowId === this.handle.workflowId).sort((a, b) => seq(a) - seq(b));
  }

  /** Number of update-related events (admitted, accepted, completed) in the workflow's history. */
  async updateEventCount(): Promise<number> {
    const events = (await this.handle.fetchHistory()).events ?? [];
    return events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateAdmittedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes).length;
  }

  /** Waits (bounded) until a notice of this kind has been delivered, and returns the latest one. */
  delivered(kind: Notification['kind']): Promise<Notification> {
    return waitFor(`a ${kind} notice for ${this.handle.workflowId}`, () => this.notices().filter((n) => n.kind === kind).at(-1), 10_000, 20);
  }
}

/** A notice as one readable line: `kind[stage|level] YYYY-MM-DDTHH:mm → to,cc`. */
export function noticeLine(n: Notification): string {
  return `${n.kind}${n.context.stage ?? ''}${n.context.level ?? ''} ${n.scheduledFor.slice(0, 16)} → ${[...n.to, ...n.cc].map((r) => r.unitId).join(',')}`;
}

/**
 * Registers the hooks of a test file that uses one harness: started before all tests, workflows closed (and,
 * when recording, saved) after each, stopped after all. Returns a getter for the running harness.
 */
export function useDeliverableHarness(options: { record?: boolean; forward?: () => NotificationSink } = { record: true }): () => DeliverableHarness {
  let harness: DeliverableHarness | undefined;
  beforeAll(async () => {
    harness = await DeliverableHarness.start(options.forward?.());
  }, 120_000);
  afterEach(async () => {
    harness!.failWith = () => undefined;
    await harness!.closeRunning(options.record ? expect.getState().currentTestName : undefined);
  });
  afterAll(async () => harness?.stop());
  return () => harness!;
}

/**
 * The shipped plan turns on 签收 (催签, the escalation hold); the schedule tests describe the base schedule, so a
 * deliverable starts without them and a 签收 test puts them back in its `adjust`.
 */
function withoutAcknowledgementPolicy(input: DeliverableInput): DeliverableInput {
  const policy = { ...input.policy };
  delete policy.acknowledgeWithin;
  delete policy.acknowledgementPausesEscalation;
  return { ...input, policy };
}
