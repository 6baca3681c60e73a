/** `duban plan start FILE [--rebase-to DATE]`: validates the plan, then starts its plan workflow once (a second start changes nothing). */
import { taskItems } from '../config/task-items.ts';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { planSnapshotDir, savePlanSnapshot } from '../activities/plan-snapshots.ts';
import type { DubanEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { checkPlan } from '../config/plan-checks.ts';
import { planWorkflowInput, rebasePlan } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { displayName } from '../domain/plan-units.ts';
import { deliverableWorkflowId, planWorkflowId, taskQueue } from '../workflows/definitions.ts';
import type { planWorkflow } from '../workflows/plan.ts';
import { isoDateOption, parseCommandArgs, positionals } from './args.ts';
import { reportIssues } from './plan-validate.ts';
import { withTemporal } from './temporal.ts';

const command = 'plan start';

/** Runs `duban plan start` with the arguments after `plan start`; returns the exit code. */
export async function planStart(args: string[], env: DubanEnvironment, out = console.log, err = console.error, { workerHint = true } = {}): Promise<number> {
  const parsed = parseCommandArgs(command, args, { 'rebase-to': { type: 'string' } });
  const [file] = positionals(command, parsed.positionals, ['FILE']) as [string];
  const rebaseTo = parsed.values['rebase-to'] === undefined ? undefined : isoDateOption(command, 'rebase-to', parsed.values['rebase-to']);

  const loaded = await loadPlanFile(file);
  if (!loaded.ok) {
    reportIssues(file, loaded.issues, err);
    err('nothing started');
    return 2;
  }
  let plan = loaded.plan;
  if (rebaseTo !== undefined) {
    plan = rebasePlan(plan, rebaseTo);
    // The shifted dates must still lie in the calendar and the plan period.
    const problems = checkPlan(plan);
    if (problems.length > 0) {
      reportIssues(`${file} rebased to ${rebaseTo}`, problems, err);
      err('nothing started');
      return 2;
    }
  }

  return withTemporal(env, async ({ client, address, namespace }) => {
    const workflowId = planWorkflowId(plan.id);
    try {
      const handle = await client.workflow.start<typeof planWorkflow>('planWorkflow', {
        workflowId, taskQueue, args: [planWorkflowInput(plan, { planRef: await savePlanSnapshot(plan, planSnapshotDir(env.dataDir)) })],
        // A plan that completed stays completed; one that failed or was terminated may be started again,
        // and its deliverables that are still running are kept.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
      out(`✓ started plan ${plan.id} (${plan.title}) on ${address}, namespace ${namespace}, task queue ${taskQueue}`);
      out(`  workflow      ${workflowId} (run ${handle.firstExecutionRunId})`);
      for (const line of describePlan(plan, loaded.plan.start, workerHint)) out(line);
      return 0;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const existing = await client.workflow.getHandle(workflowId).describe();
      const since = existing.startTime.toISOString();
      if (existing.status.name === 'RUNNING') {
        out(`plan ${plan.id} is already running (workflow ${workflowId}, run ${existing.runId}, since ${since}); nothing new started`);
        return 0;
      }
      err(`duban: plan ${plan.id} already ran and ${existing.status.name.toLowerCase()} (workflow ${workflowId}, started ${since}); nothing started`);
      return 2;
    }
  });
}

function describePlan(plan: Plan, originalStart: string, workerHint: boolean): string[] {
  const byDue = [...plan.deliverables].sort((a, b) => a.due.localeCompare(b.due));
  const lead = (d: Plan['deliverables'][number]) => displayName(plan, d.units[0]!);
  return [
    `  period        ${plan.start} – ${plan.end}${plan.start === originalStart ? '' : ` (rebased from ${originalStart})`}`,
    `  deliverables  ${plan.deliverables.length} workflows, ${deliverableWorkflowId(plan.id, plan.deliverables[0]!.id)} … ${deliverableWorkflowId(plan.id, plan.deliverables.at(-1)!.id)}`,
    ...(taskItems(plan).length ? [`  task items    ${taskItems(plan).length} workflows (工作任务 without an annex deliverable), due ${plan.end}`] : []),
    `  first due     ${byDue[0]!.due} (${byDue[0]!.id} ${byDue[0]!.title}, 牵头 ${lead(byDue[0]!)})`,
    `  last due      ${byDue.at(-1)!.due} (${byDue.at(-1)!.id} ${byDue.at(-1)!.title}, 牵头 ${lead(byDue.at(-1)!)})`,
    ...(workerHint ? [`  next          a worker must run (\`duban worker\`); follow progress with \`duban status --plan ${plan.id}\``] : []),
  ];
}
