/** What the console needs from Temporal: a plan's deliverables through visibility, one status, and 督查室's updates. */
import {
  QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowExecutionDescription, type WorkflowExecutionInfo,
} from '@temporalio/client';
import {
  acceptUpdate, cancelUpdate, escalateUpdate, extensionDecisionUpdate, instructUpdate, rejectUpdate, statusQuery, type InstructInput,
  milestoneDoneUpdate, milestoneExtensionUpdate, type MilestoneDoneInput, type MilestoneExtensionInput,
  type AcceptInput, type ActionResult, type CancelInput, type ConsoleFacts, type DeliverableStatus, type DeliverableStatusView, type EscalateInput,
  type ExtensionDecisionInput, type Light, type RejectInput,
} from '../../workflows/definitions.ts';
import {
  deliverableAttribute, dueAttribute, escalationLevelAttribute, lightAttribute, planAttribute, statusAttribute, unitsAttribute,
} from '../../workflows/search-attributes.ts';
import { eachLimited, latestRuns } from '../../activities/temporal-reads.ts';
import { taskItemPrefix } from '../../config/task-items.ts';
import { stoppedStatus } from '../../domain/execution-outcome.ts';
import { consoleFactsIn } from '../../workflows/console-facts.ts';
import { closedUnderUpdate } from '../closed-under-update.ts';
import { ActionRejectedError } from '../deliverable-gateway.ts';
import { createTemporalGuard, type TemporalGuard } from '../temporal-guard.ts';

export { ActionRejectedError };

/** No deliverable workflow has this id (or it is closed and cannot take updates). */
export class DeliverableNotFoundError extends Error {
  override readonly name = 'DeliverableNotFoundError';
  constructor(readonly workflowId: string) {
    super(`事项 ${workflowId} 不存在或已结束`);
  }
}

/** The workflow did not answer its status query in time (typically: no worker is running). */
export class StatusUnavailableError extends Error {
  override readonly name = 'StatusUnavailableError';
  constructor(readonly workflowId: string) {
    super(`事项 ${workflowId} 暂时无法查询（工作进程可能未运行）`);
  }
}

/** A deliverable as the plan's visibility listing shows it, without asking the item anything. */
export interface ListedDeliverable {
  /** Its state from its search attributes: enough to count, filter and sort, not to show (no title, no log). */
  readonly listed: DeliverableStatusView;
  /** Temporal's status of its newest run: `RUNNING`, `COMPLETED`, `TERMINATED`, … */
  readonly execution: string;
  /** What it shows the console of its 签收 and 批示; absent for items started before items showed them. */
  readonly facts?: ConsoleFacts;
}

/** The console's view of Temporal; an update the workflow refuses throws {@link ActionRejectedError} with its reason. */
export interface ConsoleGateway {
  /** Every deliverable of the plan (newest run of each), each asked its status: annex deliverables, then task items, each by number. */
  listDeliverables(planId: string): Promise<DeliverableStatusView[]>;
  /** Every deliverable of the plan as visibility lists it (no status query), in the same order. */
  listDeliverableRows(planId: string): Promise<ListedDeliverable[]>;
  /** The listed deliverables, each asked its status ({@link describeConcurrency} at a time); one that does not answer in time keeps its listed state. */
  describeDeliverables(rows: readonly ListedDeliverable[]): Promise<DeliverableStatusView[]>;
  /** One deliverable's status, or undefined when no such workflow exists. */
  status(workflowId: string): Promise<DeliverableStatusView | undefined>;
  escalate(workflowId: string, input: EscalateInput): Promise<ActionResult>;
  decideExtension(workflowId: string, input: ExtensionDecisionInput): Promise<ActionResult>;
  accept(workflowId: string, input: AcceptInput): Promise<ActionResult>;
  reject(workflowId: string, input: RejectInput): Promise<ActionResult>;
  cancel(workflowId: string, input: CancelInput): Promise<ActionResult>;
  /** The supervisor marks a milestone done. */
  completeMilestone(workflowId: string, input: MilestoneDoneInput): Promise<ActionResult>;
  /** The supervisor moves a milestone's date. */
  extendMilestone(workflowId: string, input: MilestoneExtensionInput): Promise<ActionResult>;
  /** Leadership writes a 批示. */
  instruct(workflowId: string, input: InstructInput): Promise<ActionResult>;
}

// A closed workflow is answered by replaying it on a worker; without one the query would wait indefinitely.
const queryWaitMs = 5_000;
/**
 * Status queries in flight at once for one page: each query of an item out of the worker's cache replays it, and a
 * plan of 2,000 asked all at once kept the worker busy for 4 s of CPU per page, most answers coming too late.
 */
export const describeConcurrency = 16;

/** A console gateway over a Temporal client. */
export function createConsoleGateway(client: Client, { queryTimeoutMs = queryWaitMs, guard = createTemporalGuard(client) }: { queryTimeoutMs?: number; guard?: TemporalGuard } = {}): ConsoleGateway {
  const query = async (workflowId: string, runId?: string): Promise<DeliverableStatusView | 'timeout'> => {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, queryTimeoutMs, 'timeout')));
    try {
      return await guard(() => Promise.race([client.workflow.getHandle(workflowId, runId).query(statusQuery), giveUp]));
    } finally {
      clearTimeout(timer);
    }
  };

  const update = async (workflowId: string, run: () => Promise<ActionResult>): Promise<ActionResult> => {
    try {
      return await guard(run, { changes: true });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ActionRejectedError(err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError || (await closedUnderUpdate(err, handle(workflowId)))) throw new DeliverableNotFoundError(workflowId);
      throw err;
    }
  };
  const handle = (workflowId: string) => client.workflow.getHandle(workflowId);

  const listRows = async (planId: string): Promise<ListedDeliverable[]> => {
    // The id goes into a visibility query: only the characters a plan id uses, so quoting cannot break.
    if (!/^[\w.-]+$/.test(planId)) throw new RangeError(`not a plan id: "${planId}"`);
    const latest = await guard(() => latestRuns(client, `${planAttribute.name} = '${planId}'`));
    const rows = latest.map((info): ListedDeliverable => {
      const facts = consoleFactsIn(info.typedSearchAttributes);
      return { listed: asExecuted(fromVisibility(info, planId), info.status.name), execution: info.status.name, ...(facts ? { facts } : {}) };
    });
    // As {@link inPlanOrder}, by what the listing knows: a task item by its id.
    const order = planOrder((v) => v.deliverableId.startsWith(taskItemPrefix));
    return rows.sort((a, b) => order(a.listed, b.listed));
  };

  const describe = async (rows: readonly ListedDeliverable[]): Promise<DeliverableStatusView[]> => {
    const views: DeliverableStatusView[] = [];
    await eachLimited(rows, describeConcurrency, async ({ listed, execution }, i) => {
      const view = await query(listed.workflowId).catch(() => 'timeout' as const);
      views[i] = view === 'timeout' ? listed : asExecuted(view, execution);
    });
    return views;
  };

  return {
    listDeliverables: async (planId) => inPlanOrder(await describe(await listRows(planId))),
    listDeliverableRows: listRows,
    describeDeliverables: describe,
    async status(workflowId) {
      let described: WorkflowExecutionDescription;
      try {
        described = await handle(workflowId).describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError) return undefined;
        throw err;
      }
      const stopped = stoppedStatus(described.status.name) !== undefined;
      // A workflow terminated with a task pending cannot answer a query at all; what visibility knows must do.
      const view = await query(workflowId).catch((err: unknown) => {
        if (stopped) return 'timeout' as const;
        throw err;
      });
      if (view !== 'timeout') return asExecuted(view, described.status.name);
      if (!stopped) throw new StatusUnavailableError(workflowId);
      return asExecuted(fromVisibility(described, described.typedSearchAttributes.get(planAttribute) ?? workflowId.split('/')[0]!), described.status.name);
    },
    escalate: (id, input) => update(id, () => handle(id).executeUpdate(escalateUpdate, { args: [input] })),
    decideExtension: (id, input) => update(id, () => handle(id).executeUpdate(extensionDecisionUpdate, { args: [input] })),
    accept: (id, input) => update(id, () => handle(id).executeUpdate(acceptUpdate, { args: [input] })),
    reject: (id, input) => update(id, () => handle(id).executeUpdate(rejectUpdate, { args: [input] })),
    cancel: (id, input) => update(id, () => handle(id).executeUpdate(cancelUpdate, { args: [input] })),
    completeMilestone: (id, input) => update(id, () => handle(id).executeUpdate(milestoneDoneUpdate, { args: [input] })),
    extendMilestone: (id, input) => update(id, () => handle(id).executeUpdate(milestoneExtensionUpdate, { args: [input] })),
    instruct: (id, input) => update(id, () => handle(id).executeUpdate(instructUpdate, { args: [input] })),
  };
}

/**
 * Annex deliverables first, then the plan's tasks tracked as items (their numbers overlap), as the mails list them;
 * by the numbers the items answered (a listing knows only the digits that end an id).
 */
export function inPlanOrder(views: DeliverableStatusView[]): DeliverableStatusView[] {
  return views.sort(planOrder((v) => v.itemKind === 'task'));
}

/** Annex deliverables before task items (told apart by `isTask`), each by number, then by id. */
function planOrder(isTask: (view: DeliverableStatusView) => boolean): (a: DeliverableStatusView, b: DeliverableStatusView) => number {
  return (a, b) => Number(isTask(a)) - Number(isTask(b)) || a.number - b.number || a.deliverableId.localeCompare(b.deliverableId);
}

/** A stopped workflow still answers with its last state (often green): Temporal's execution status comes first. */
function asExecuted(view: DeliverableStatusView, execution: string): DeliverableStatusView {
  const stopped = stoppedStatus(execution);
  return stopped ? { ...view, status: stopped, light: 'red', nextNotice: undefined } : view;
}

/**
 * What the search attributes tell of a deliverable whose workflow did not answer: enough for a row of the
 * dashboard (its title says the details are missing), no events.
 */
function fromVisibility(info: Pick<WorkflowExecutionInfo, 'workflowId' | 'typedSearchAttributes'>, planId: string): DeliverableStatusView {
  const attrs = info.typedSearchAttributes;
  const deliverableId = attrs.get(deliverableAttribute) ?? info.workflowId.split('/').at(-1)!;
  const due = attrs.get(dueAttribute)?.toISOString().slice(0, 10) ?? '';
  return {
    workflowId: info.workflowId, planId, deliverableId, number: Number(/\d+$/.exec(deliverableId)?.[0] ?? Number.MAX_SAFE_INTEGER),
    title: `${deliverableId}（暂时无法查询详情）`,
    status: (attrs.get(statusAttribute) ?? 'unknown') as DeliverableStatus, light: (attrs.get(lightAttribute) ?? 'grey') as Light,
    due, originalDue: due, escalationLevel: attrs.get(escalationLevelAttribute) ?? 0,
    units: (attrs.get(unitsAttribute) ?? []).map((unitId, i) => ({ unitId, name: unitId, lead: i === 0 })),
    events: [],
  };
}
