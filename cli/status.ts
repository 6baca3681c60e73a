/**
 * `duban status [--plan ID] [--json] [--query]`: every deliverable workflow found through Temporal visibility, as
 * traffic lights; each asked its status (title, units' names, 签收) when there are few, or with `--query`.
 */
import { taskItemPrefix } from '../config/task-items.ts';
import type { Client } from '@temporalio/client';
import type { DubanEnvironment } from '../config/environment.ts';
import { stoppedStatus } from '../domain/execution-outcome.ts';
import { statusQuery, type DeliverableStatusView } from '../workflows/definitions.ts';
import {
  deliverableAttribute, dueAttribute, escalationLevelAttribute, lightAttribute, planAttribute, statusAttribute, unitsAttribute,
} from '../workflows/search-attributes.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { levelLabel, lightSymbol, statusName } from './labels.ts';
import { withTemporal } from './temporal.ts';
import { eachLimited, latestRuns, type ListedRun } from '../activities/temporal-reads.ts';
import { describeConcurrency } from '../web/console/console-gateway.ts';
import { describedUpTo } from '../web/console/dashboard-board.ts';
import { formatTable } from './text-table.ts';
import { UsageError } from './usage-error.ts';

const command = 'status';
// A closed workflow is answered by replaying it on a worker; without one, the visibility record has to do.
const queryWaitMs = 5_000;
/**
 * Up to this many deliverables each is asked its status, 16 at a time; more are shown from visibility alone unless
 * `--query` says otherwise: asking 10,000 items took the console 115 s and the worker 88 s of CPU (most replay, being
 * out of its cache), where one listing takes seconds.
 */
export const askedEachUpTo = describedUpTo;

/** One deliverable as `status` shows it (and prints with `--json`). */
export interface StatusRow {
  readonly workflowId: string;
  readonly planId: string | null;
  readonly deliverableId: string;
  readonly number: number | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly light: string | null;
  readonly due: string | null;
  readonly escalationLevel: number | null;
  /** Responsible units, the lead first; `name` is known when the workflow answered. */
  readonly units: readonly { readonly unitId: string; readonly name?: string; readonly lead: boolean; readonly confirmedAt?: string; readonly acknowledgedAt?: string }[];
  /** Temporal's view of the execution: RUNNING, COMPLETED, TERMINATED, … */
  readonly execution: string;
  /** `query` when the workflow answered its status query, `visibility` when only search attributes were available. */
  readonly source: 'query' | 'visibility';
}

/** Runs `duban status` with the arguments after `status`; returns the exit code. */
export async function status(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  const { values, positionals: given } = parseCommandArgs(command, args, { plan: { type: 'string' }, json: { type: 'boolean' }, query: { type: 'boolean' } });
  positionals(command, given, []);
  const planId = values.plan;
  // The id goes into a visibility query: keep to the characters a plan id uses, so quoting cannot break.
  if (planId !== undefined && !/^[\w.-]+$/.test(planId)) throw new UsageError(`status: --plan must be a plan id (letters, digits, . _ -), got "${planId}"`);

  const rows = await withTemporal(env, ({ client }) => listDeliverables(client, planId, { queryAll: values.query === true, progress }));
  if (values.json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    out(`no deliverable workflows found${planId ? ` for plan ${planId}` : ''}`);
    return 0;
  }
  for (const line of renderTable(rows)) out(line);
  return 0;
}

/** Progress of a long listing, on stderr (stdout stays the table or the JSON). */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * The latest run of every deliverable workflow (of one plan, or all), sorted by plan and deliverable number: each
 * asked its status when there are at most {@link askedEachUpTo} or `queryAll` says so, else as visibility shows it.
 */
export async function listDeliverables(
  client: Client, planId?: string,
  { queryAll = false, askUpTo = askedEachUpTo, progress: report }: { queryAll?: boolean; askUpTo?: number; progress?: (line: string) => void } = {},
): Promise<StatusRow[]> {
  const listed = await latestRuns(client, planId ? `${planAttribute.name} = '${planId}'` : `${deliverableAttribute.name} IS NOT NULL`);
  const asking = queryAll || listed.length <= askUpTo;
  if (!asking) report?.(`${listed.length} deliverables: shown as visibility lists them (no title, 签收 unknown); --query asks each, ${describeConcurrency} at a time`);
  const rows: StatusRow[] = [];
  let done = 0;
  await eachLimited(listed, describeConcurrency, async (info, i) => {
    rows[i] = await describeRow(client, info, asking);
    done += 1;
    if (asking && listed.length > askUpTo && done % 500 === 0) report?.(`asked ${done} of ${listed.length}`);
  });
  return rows.sort((a, b) =>
    (a.planId ?? '').localeCompare(b.planId ?? '') || Number(isTaskItemId(a.deliverableId)) - Number(isTaskItemId(b.deliverableId))
    || (a.number ?? Infinity) - (b.number ?? Infinity) || a.deliverableId.localeCompare(b.deliverableId));
}

// Task items (工作任务) come after the annex deliverables, each group in number order.
function isTaskItemId(deliverableId: string): boolean {
  return deliverableId.startsWith(taskItemPrefix);
}

async function describeRow(client: Client, info: ListedRun, asking: boolean): Promise<StatusRow> {
  const attrs = info.typedSearchAttributes;
  const execution = info.status.name;
  // A stopped workflow still answers with its last state (often green): Temporal's execution status comes first.
  const stopped = stoppedStatus(execution);
  const view = asking ? await queryStatus(client, info) : undefined;
  if (view) {
    return {
      workflowId: info.workflowId, planId: view.planId, deliverableId: view.deliverableId, number: view.number, title: view.title,
      status: stopped ?? view.status, light: stopped ? 'red' : view.light, due: view.due, escalationLevel: view.escalationLevel,
      units: view.units.map((u) => ({
        unitId: u.unitId, name: u.name, lead: u.lead, ...(u.confirmedAt ? { confirmedAt: u.confirmedAt } : {}), ...(u.acknowledgedAt ? { acknowledgedAt: u.acknowledgedAt } : {}),
      })),
      execution, source: 'query',
    };
  }
  const deliverableId = attrs.get(deliverableAttribute) ?? info.workflowId.split('/').at(-1)!;
  const due = attrs.get(dueAttribute);
  const number = /\d+$/.exec(deliverableId)?.[0];
  return {
    workflowId: info.workflowId, planId: attrs.get(planAttribute) ?? null, deliverableId,
    number: number === undefined ? null : Number(number), title: null,
    status: stopped ?? attrs.get(statusAttribute) ?? null, light: stopped ? 'red' : attrs.get(lightAttribute) ?? null,
    due: due ? due.toISOString().slice(0, 10) : null, escalationLevel: attrs.get(escalationLevelAttribute) ?? null,
    units: (attrs.get(unitsAttribute) ?? []).map((unitId, i) => ({ unitId, lead: i === 0 })),
    execution, source: 'visibility',
  };
}

async function queryStatus(client: Client, info: ListedRun): Promise<DeliverableStatusView | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, queryWaitMs, undefined)));
  try {
    const handle = client.workflow.getHandle(info.workflowId, info.runId);
    return await Promise.race([handle.query(statusQuery).catch(() => undefined), giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

function renderTable(rows: readonly StatusRow[]): string[] {
  const lead = (row: StatusRow) => row.units.find((u) => u.lead);
  const table = formatTable(
    ['编号', '事项', '牵头单位', '期限', '状态', '灯', '督办级别'],
    rows.map((row) => [
      row.deliverableId,
      row.title ?? '—',
      lead(row)?.name ?? lead(row)?.unitId ?? '—',
      row.due ?? '—',
      row.status ? statusName(row.status) + (row.execution === 'RUNNING' ? '' : ` [${row.execution}]`) : '—',
      row.light ? lightSymbol(row.light) : '—',
      row.escalationLevel === null ? '—' : levelLabel(row.escalationLevel),
    ]),
  );
  const counts = (['green', 'yellow', 'red', 'grey'] as const).map((light) => `${lightSymbol(light)} ${rows.filter((r) => r.light === light).length}`);
  const unanswered = rows.filter((r) => r.source === 'visibility').length;
  // Only rows the workflow answered know who acknowledged; closed items ask nothing more of anyone.
  const silent = rows.filter((r) => r.source === 'query' && r.execution === 'RUNNING' && !['done', 'cancelled'].includes(r.status ?? '') && r.units.some((u) => !u.acknowledgedAt));
  return [
    ...table,
    '',
    `${rows.length} deliverable${rows.length === 1 ? '' : 's'} · ${counts.join(' ')}`,
    ...(silent.length ? [`未签收：${silent.length}项有单位尚未签收（${silent.slice(0, 10).map((r) => r.deliverableId).join('、')}${silent.length > 10 ? '…' : ''}）`] : []),
    ...(unanswered ? [`(${unanswered} shown from visibility only, titles unknown: not asked (more than ${askedEachUpTo} deliverables; --query asks each) or no worker answered)`] : []),
  ];
}
