/** What `duban escalate`, `extend` and `confirm` share: naming the deliverable, sending one update, reporting the outcome. */
import type { UpdateDefinition } from '@temporalio/client';
import type { DubanEnvironment } from '../config/environment.ts';
import { deliverableWorkflowId, statusQuery, taskQueue, type ActionResult, type OfficeNames } from '../workflows/definitions.ts';
import { describeOutcome } from './labels.ts';
import { withTemporal } from './temporal.ts';
import { CommandError, UsageError } from './usage-error.ts';

// With no worker polling, an update waits for one indefinitely; a person at a terminal should hear about it.
const workerWaitMs = 30_000;

/** The workflow id named by `ID` (`xinfang-2015/d04`), or by a bare deliverable id with `--plan`. */
export function deliverableTarget(command: string, id: string, plan: string | undefined): string {
  if (id.includes('/')) {
    if (plan !== undefined && !id.startsWith(`${plan}/`)) throw new UsageError(`${command}: ${id} is not in plan ${plan}`);
    return id;
  }
  if (plan === undefined) throw new UsageError(`${command}: give the workflow id as PLAN/DELIVERABLE (e.g. xinfang-2015/d04), or add --plan PLAN`);
  return deliverableWorkflowId(plan, id);
}

/** The name a command acts under for the supervisor: the plan's own (督查室, 督查处 …), as the workflow knows it. */
export function supervisorName(office: OfficeNames | undefined): string {
  return office?.supervisor ?? '督查部门';
}

/**
 * Sends `update` with `input` to the deliverable workflow and prints where it stands afterwards; returns the exit
 * code. An `input` given as a function is completed from the office's names the workflow carries (one query first).
 */
export async function updateDeliverable<T>(
  env: DubanEnvironment, workflowId: string, update: UpdateDefinition<ActionResult, [T]>,
  input: T | ((office: OfficeNames | undefined) => T), out: (line: string) => void,
): Promise<number> {
  const view = await withTemporal(env, async ({ client }) => {
    const handle = client.workflow.getHandle(workflowId);
    let timer: NodeJS.Timeout | undefined;
    const noWorker = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CommandError(
        `no worker answered within ${workerWaitMs / 1000} s on task queue "${taskQueue}"; is \`duban worker\` running? The request may still be applied when one starts`,
        1,
      )), workerWaitMs);
    });
    try {
      const args = typeof input === 'function'
        ? (input as (office: OfficeNames | undefined) => T)((await Promise.race([handle.query(statusQuery), noWorker])).office)
        : input;
      // The update answers small (history keeps it); the full view comes from the query, which history does not keep.
      await Promise.race([handle.executeUpdate(update, { args: [args] }), noWorker]);
      return await Promise.race([handle.query(statusQuery), noWorker]);
    } finally {
      clearTimeout(timer);
    }
  });
  for (const line of describeOutcome(view)) out(line);
  return 0;
}
