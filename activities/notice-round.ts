/**
 * A plan's notice round at one send slot: every item due then has published its notices (`workflows/notice-rounds.ts`),
 * so one activity reads them all from visibility and mails them at once (the sink combines each unit's into one mail),
 * instead of thousands of items each waking at 09:00 to mail their own. Each item it mailed for is then told so; an
 * item it could not serve (a transient failure, a lost signal) mails its notices itself after a grace: nothing is lost.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Plan } from '../config/plan-schema.ts';
import { trackedItems } from '../config/task-items.ts';
import {
  deliverableWorkflowId, noticesDeliveredSignal,
  type DeliveryFailureReport, type Notification,
} from '../workflows/definitions.ts';
import { noticeSlotAttribute, noticeSlotOf, planAttribute } from '../workflows/search-attributes.ts';
import { PermanentDeliveryError, type NotificationSink } from './notification-sink.ts';
import { eachLimited, isUnimplemented, unlessNotFound } from './temporal-reads.ts';
import { publishedNotices } from '../workflows/notice-packing.ts';

/** The round of one plan at one send slot (plan-time epoch ms). */
export interface NoticeRoundRequest {
  readonly planId: string;
  readonly planRef: string;
  readonly at: number;
}

/** What a round did, for the plan's history and the operator. */
export interface NoticeRoundResult {
  /** Items whose notices it mailed and told so. */
  readonly items: number;
  readonly notices: number;
  /** Items left to mail their own (a transient failure): they do so after their grace. */
  readonly leftToItems: number;
}

/** One item due at the slot, with the notices it published. */
interface DueItem {
  readonly workflowId: string;
  readonly notices: readonly Notification[];
}

/** Signals (or describes) sent at once, and how often the round tells Temporal it is alive (its timeout: a minute). */
const signalConcurrency = 32;
const heartbeatMs = 10_000;

export function createNoticeRound({ readPlan, sink }: { readPlan: (ref: string) => Promise<Plan>; sink: NotificationSink }) {
  return async function deliverNoticeRound(request: NoticeRoundRequest): Promise<NoticeRoundResult> {
    const context = Context.current();
    const { client } = context;
    // A round of thousands of mails outlasts the heartbeat timeout; a retry would mail them all again.
    const beating = setInterval(() => context.heartbeat(), heartbeatMs);
    try {
      const due = await itemsDueAt(client, request, readPlan);
      // Every notice at once: the sink holds a unit's 提醒/催办/超期 of the instant for a moment and mails them as one.
      const reports = await Promise.all(due.map(async (item) => ({ item, failures: failuresOf(item.notices, await Promise.allSettled(item.notices.map((n) => sink.deliver(n)))) })));
      const served = reports.filter((r): r is { item: DueItem; failures: DeliveryFailureReport[] } => r.failures !== undefined);
      await eachLimited(served, signalConcurrency, async ({ item, failures }) => {
        // An item that closed meanwhile has nothing to record.
        await unlessNotFound(client.workflow.getHandle(item.workflowId).signal(noticesDeliveredSignal, { at: request.at, failures }));
      });
      return { items: served.length, notices: served.reduce((sum, r) => sum + r.item.notices.length, 0), leftToItems: due.length - served.length };
    } finally {
      clearInterval(beating);
    }
  };
}

/**
 * The permanent failures to report, or `undefined` when any notice failed in a way a retry may mend: then the item is
 * not told, and after its grace mails them itself, through the notice activity that retries without limit.
 */
function failuresOf(notices: readonly Notification[], outcomes: readonly PromiseSettledResult<void>[]): DeliveryFailureReport[] | undefined {
  const failures: DeliveryFailureReport[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    if (!(outcome.reason instanceof PermanentDeliveryError)) return undefined;
    const { key, kind, to } = notices[i]!;
    failures.push({ key, kind, to, error: outcome.reason.message });
  }
  return failures;
}

/** The running items of the plan that published notices for the slot: one visibility listing, or a describe per item where there is none. */
async function itemsDueAt(client: Client, { planId, planRef, at }: NoticeRoundRequest, readPlan: (ref: string) => Promise<Plan>): Promise<DueItem[]> {
  const found: DueItem[] = [];
  const take = (workflowId: string, memo: Record<string, unknown> | undefined) => {
    const due = publishedNotices(memo);
    // The memo and the attribute change together; a listing that caught them apart mails nothing for the item.
    if (due?.at === at && due.notices.length > 0) found.push({ workflowId, notices: due.notices });
  };
  const slot = noticeSlotOf(at);
  try {
    const query = `${planAttribute.name} = '${planId}' AND ${noticeSlotAttribute.name} = '${slot}' AND ExecutionStatus = 'Running'`;
    for await (const info of client.workflow.list({ query, pageSize: 1000 })) take(info.workflowId, info.memo);
    return found;
  } catch (err) {
    if (!isUnimplemented(err)) throw err;
  }
  const plan = await readPlan(planRef);
  await eachLimited(trackedItems(plan), signalConcurrency, async ({ id }) => {
    const description = await unlessNotFound(client.workflow.getHandle(deliverableWorkflowId(planId, id)).describe());
    if (description?.status.name === 'RUNNING' && description.typedSearchAttributes.get(noticeSlotAttribute) === slot) take(description.workflowId, description.memo);
  });
  return found;
}
