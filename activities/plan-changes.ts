/**
 * Mid-year changes to a running plan, for `duban plan apply` and the console (issue 12 item 7): reads the plan's
 * current snapshot, changes running items through their updates (`revise`, a direct extension, a milestone's new date,
 * `cancel`), reopens a closed item as a new run of its workflow carrying the old run's state, and hands the plan its
 * new snapshot (`revisePlan`), which starts the items it did not have. Every refusal is a {@link PlanChangeError}
 * saying why.
 */
import {
  QueryNotRegisteredError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import { diffPlans, withAddedItem, withItemChanged, withoutPinnedTaskItems, type AddedItem, type PlanChange, type PlanDiff } from '../config/plan-diff.ts';
import { checkPlan } from '../config/plan-checks.ts';
import { formatPath } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { trackedItems } from '../config/task-items.ts';
import { deliverableInput } from '../config/plan-inputs.ts';
import { WorkingDayCalendar } from '../domain/working-days.ts';
import {
  cancelUpdate, carriedQuery, deliverableWorkflowId, extensionDecisionUpdate, milestoneExtensionUpdate, planSourceQuery, planWorkflowId, reopenInput,
  reviseUpdate, revisePlanUpdate, statusQuery, type DeliverableInput, type EscalationLevel, type PlanSource, type ReopenInput, type ReviseInput,
} from '../workflows/definitions.ts';
import { DeliverableMachine, InvalidActionError, type DeliverableState } from '../workflows/deliverable-machine.ts';
import { currentRunFlags, identityAttributes } from '../workflows/deliverable-attributes.ts';
import { ruleLines } from '../workflows/policy-changes.ts';
import { editedMilestones, revisedMilestones, showsMilestones, type MilestoneEdit } from './milestone-edits.ts';
import { createSnapshotReader, MissingPlanSnapshotError, savePlanSnapshot } from './plan-snapshots.ts';

/** A ladder rung as the `revise` input takes it (mutable address lists). */
const mutableLevel = (level: EscalationLevel) => ({ ...level, recipients: level.recipients.map((r) => ({ ...r, emails: [...r.emails] })) });

/** A change that cannot be made (unknown plan or item, closed workflow, bad date …); nothing was changed by it. */
export class PlanChangeError extends Error {
  override readonly name = 'PlanChangeError';
}

/** A running plan as a change sees it: its snapshot and the item list the plan workflow holds. */
export interface RunningPlan {
  readonly plan: Plan;
  readonly source: PlanSource;
}

/** A changed plan file compared with the running plan, before anything is applied. */
export interface Preview {
  readonly current: RunningPlan;
  readonly diff: PlanDiff;
  readonly file: Plan;
}

/** What applying a diff did, item by item, in Chinese. */
export interface ApplyOutcome {
  readonly lines: string[];
  /** Items refused by their workflow (the reason is in `lines`). */
  readonly refused: number;
  /** Whether the plan received a new snapshot. */
  readonly published: boolean;
}

/** The change operations over a Temporal client and the shared snapshot folder (DATA_DIR/plans). */
export function createPlanChanges({ client, snapshotDir, now = Date.now }: {
  client: Client; snapshotDir: string;
  /** Wall clock, epoch milliseconds (a reopened due date must lie after today, in plan time). */
  now?: () => number;
}) {
  const readPlan = createSnapshotReader(snapshotDir);
  const deliverable = (planId: string, id: string) => client.workflow.getHandle(deliverableWorkflowId(planId, id));

  const running = async (planId: string): Promise<RunningPlan> => {
    const handle = client.workflow.getHandle(planWorkflowId(planId));
    const described = await handle.describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) throw new PlanChangeError(`没有名为“${planId}”的计划在运行（先用 duban plan start 启动）`);
      throw err;
    });
    if (described.status.name !== 'RUNNING') throw new PlanChangeError(`计划“${planId}”已结束（${described.status.name}），不能再调整`);
    const source = await handle.query(planSourceQuery).catch((err: unknown) => {
      // A plan started before mid-year changes existed has no such query: its worker must run this version first.
      if (err instanceof QueryNotRegisteredError) throw new PlanChangeError(`计划“${planId}”由旧版本启动，尚不能调整（请先用新版本运行 worker）`);
      throw err;
    });
    const plan = await readPlan(source.planRef).catch((err: unknown) => {
      if (err instanceof MissingPlanSnapshotError) throw new PlanChangeError(`找不到计划快照：${err.message}`);
      throw err;
    });
    return { source, plan };
  };

  /**
   * Stores the snapshot `change` makes of the current one and tells the plan; returns how many new items it started
   * (0 when nothing changed). Two changes at once: the plan refuses the one made against an older snapshot, which is
   * then made again against the newer one.
   */
  const publish = async <T>(planId: string, change: (plan: Plan) => { plan: Plan; result: T }, first?: RunningPlan): Promise<{ started: number; published: boolean; result: T }> => {
    for (let attempt = 1; ; attempt += 1) {
      const current = attempt === 1 && first ? first : await running(planId);
      const { plan: next, result } = change(current.plan);
      const planRef = await savePlanSnapshot(next, snapshotDir);
      const deliverableIds = trackedItems(next).map((d) => d.id);
      if (planRef === current.source.planRef && deliverableIds.length === current.source.deliverableIds.length) return { started: 0, published: false, result };
      try {
        const { started } = await client.workflow.getHandle(planWorkflowId(planId)).executeUpdate(revisePlanUpdate, { args: [{ planRef, deliverableIds, basedOn: current.source.planRef }] });
        return { started, published: true, result };
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError && /\(stale\)/.test(err.cause?.message ?? '') && attempt < 5)) throw err;
      }
    }
  };

  const recipientsOf = (plan: Plan, unitIds: readonly string[]) => unitIds.map((id) => {
    const unit = plan.units.find((u) => u.id === id);
    if (!unit) throw new PlanChangeError(`计划中没有单位“${id}”`);
    return { unitId: unit.id, name: unit.name, emails: [...unit.emails] };
  });

  const refusal = (err: unknown): string | undefined => {
    if (err instanceof WorkflowUpdateFailedError) return (err.cause?.message ?? err.message).split('\n')[0];
    if (err instanceof WorkflowNotFoundError) return '事项未在运行（已结束或尚未启动）';
    return undefined;
  };

  /** The item's `revise` update; a refusal (closed item, nothing to change, a bad date) as a {@link PlanChangeError}. */
  const revise = async (planId: string, id: string, change: ReviseInput): Promise<void> => {
    try {
      await deliverable(planId, id).executeUpdate(reviseUpdate, { args: [change] });
    } catch (err) {
      const why = refusal(err);
      if (why !== undefined) throw new PlanChangeError(why);
      throw err;
    }
  };

  return {
    running,

    /** The diff of a changed plan file against the running plan (nothing changed yet). */
    async preview(file: Plan): Promise<Preview> {
      const current = await running(file.id);
      const diff = diffPlans(current.plan, file);
      const problems = checkPlan(withoutPinnedTaskItems(diff.merged));
      if (problems.length > 0) throw new PlanChangeError(`调整后的计划无效：${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('；')}`);
      return { current, diff, file };
    },

    /** Applies a previewed diff: running items first, then the new snapshot (which starts the new items). */
    async apply({ current, diff, file }: Preview, { by, reason, cancelRemoved = false, progress }: {
      by: string; reason: string; cancelRemoved?: boolean;
      /** Told after each running item is changed (a plan-wide rule change reaches every item, thousands at province scale). */
      progress?: (done: number, total: number) => void;
    }): Promise<ApplyOutcome> {
      const lines: string[] = [];
      let refused = 0;
      const planId = current.plan.id;
      const calendar = new WorkingDayCalendar(diff.merged.timezone, diff.merged.calendar.overrides);
      const byItem = new Map<string, PlanChange[]>();
      for (const change of diff.changes) byItem.set(change.id, [...(byItem.get(change.id) ?? []), change]);
      const total = [...byItem.values()].filter((changes) => !changes.some((c) => c.kind === 'added')).length;
      let done = 0;
      for (const [id, changes] of byItem) {
        if (changes.some((c) => c.kind === 'added')) continue;
        const view = await deliverable(planId, id).query(statusQuery).catch(() => undefined);
        const closed = !view || view.status === 'done' || view.status === 'cancelled';
        try {
          for (const change of changes) {
            if (change.kind === 'removed') {
              if (!cancelRemoved) lines.push(`  ${id} 文件中已移除，仍在运行${closed ? '（已结束）' : ''}；加 --cancel-removed 才撤销`);
              else if (closed) lines.push(`  ${id} 已结束，无需撤销`);
              else {
                await deliverable(planId, id).executeUpdate(cancelUpdate, { args: [{ by, reason }] });
                lines.push(`  ${id} 已撤销`);
              }
            }
          }
          const units = changes.find((c) => c.kind === 'units');
          const title = changes.find((c) => c.kind === 'title');
          const due = changes.find((c) => c.kind === 'due');
          // The item as the changed plan builds it: its milestones, and its rules (the policy and the 督办 ladder).
          const wanted = changes.some((c) => c.kind === 'milestones' || c.kind === 'rules') ? deliverableInput(diff.merged, id) : undefined;
          const milestones = changes.some((c) => c.kind === 'milestones') ? revisedMilestones(wanted!) : undefined;
          const rules = changes.some((c) => c.kind === 'rules') ? wanted : undefined;
          // The item's own date first: a milestone the revision adds may fall after its old date.
          if (due && closed) lines.push(`  ${id} 已结束，未变更期限（可在控制台重新打开）`);
          else if (due && view!.due === calendar.onOrAfter(due.to)) lines.push(`  ${id} 期限已是 ${due.to}`);
          else if (due) {
            await deliverable(planId, id).executeUpdate(extensionDecisionUpdate, { args: [{ approved: true, to: due.to, reason, by }] });
            lines.push(`  ${id} 期限已变更为 ${due.to}`);
          }
          if ((units || title || milestones || rules) && closed) lines.push(`  ${id} 已结束，未调整责任单位、标题、分解节点或提醒督办规则（可在控制台重新打开）`);
          else if (units || title || milestones || rules) {
            const sameUnits = !units || view!.units.map((u) => u.unitId).join() === units.to.join();
            const sameTitle = !title || view!.title === title.to;
            const sameMilestones = !milestones || showsMilestones(view!, milestones);
            // A view from a worker before views showed rules says nothing of them: they are sent.
            const sameRules = !rules || JSON.stringify(view!.rules) === JSON.stringify(ruleLines(rules));
            if (sameUnits && sameTitle && sameMilestones && sameRules) lines.push(`  ${id} 已是新的责任单位、标题、分解节点和提醒督办规则`);
            else {
              await deliverable(planId, id).executeUpdate(reviseUpdate, {
                args: [{
                  ...(sameUnits ? {} : { units: recipientsOf(diff.merged, units!.to) }), ...(sameTitle ? {} : { title: title!.to }),
                  ...(sameMilestones ? {} : { milestones }), ...(sameRules ? {} : { policy: rules!.policy, escalation: rules!.escalation.map(mutableLevel) }), reason, by,
                }],
              });
              const revised = [sameUnits ? '' : '责任单位', sameTitle ? '' : '标题', sameMilestones ? '' : '分解节点', sameRules ? '' : '提醒督办规则'].filter(Boolean);
              lines.push(`  ${id} 已调整${revised.join('、')}`);
            }
          }
          // After the item's own date: a milestone may not fall after the item's due date, which may just have moved.
          for (const change of changes) {
            if (change.kind !== 'milestoneDue') continue;
            const named = `节点“${change.title}”`;
            const milestone = view?.milestones?.find((m) => m.id === change.milestoneId);
            if (closed) lines.push(`  ${id} 已结束，未变更${named}期限`);
            else if (!milestone) lines.push(`  ${id} 运行中的事项没有${named}，未变更期限`);
            else if (milestone.doneAt !== undefined) lines.push(`  ${id} ${named}已完成，未变更期限`);
            else if (milestone.due === calendar.onOrAfter(change.to)) lines.push(`  ${id} ${named}期限已是 ${change.to}`);
            else {
              await deliverable(planId, id).executeUpdate(milestoneExtensionUpdate, { args: [{ milestoneId: change.milestoneId, to: change.to, reason, by }] });
              lines.push(`  ${id} ${named}期限已变更为 ${change.to}`);
            }
          }
        } catch (err) {
          const why = refusal(err);
          if (why === undefined) throw err;
          refused += 1;
          lines.push(`  ${id} 未能调整：${why}`);
        }
        done += 1;
        progress?.(done, total);
      }
      // Made again against the newer snapshot if the plan changed meanwhile (e.g. a 临时交办 in the console).
      const { started, published } = await publish(planId, (plan) => ({ plan: plan === current.plan ? diff.merged : diffPlans(plan, file).merged, result: undefined }), current);
      const added = diff.changes.filter((c) => c.kind === 'added').length;
      if (added > 0) lines.push(`  新增事项 ${added} 项，已启动 ${started} 项${started < added ? '（其余已在运行）' : ''}`);
      return { lines, refused, published };
    },

    /** 临时交办: a new item in the running plan, started at once; returns its id. */
    async addItem(planId: string, item: AddedItem): Promise<string> {
      const { result: id } = await publish(planId, (current) => {
        const { plan, id } = withAddedItem(current, item);
        const problems = checkPlan(withoutPinnedTaskItems(plan));
        if (problems.length > 0) throw new PlanChangeError(problems.map((p) => p.message).join('；'));
        return { plan, result: id };
      });
      return id;
    },

    /** Changes an open item's units (lead first); the snapshot follows. */
    async changeUnits(planId: string, id: string, unitIds: readonly string[], { by, reason }: { by: string; reason: string }): Promise<void> {
      const current = await running(planId);
      if (!trackedItems(current.plan).some((d) => d.id === id)) throw new PlanChangeError(`计划中没有事项“${id}”`);
      await revise(planId, id, { units: recipientsOf(current.plan, unitIds), reason, by });
      await publish(planId, (plan) => ({ plan: withItemChanged(plan, id, { units: [...unitIds] }), result: undefined }), current);
    },

    /**
     * 分解节点 from the console: adds a milestone (its id `m` and the time in base 36, placed by its date; `unit`, its own unit,
     * else the item's units) or removes one; the item's `revise` takes the new list, and the snapshot follows.
     */
    async changeMilestones(planId: string, id: string, edit: MilestoneEdit, { by, reason }: { by: string; reason: string }): Promise<void> {
      const current = await running(planId);
      const item = trackedItems(current.plan).find((d) => d.id === id);
      if (!item) throw new PlanChangeError(`计划中没有事项“${id}”`);
      const view = await deliverable(planId, id).query(statusQuery).catch(() => undefined);
      if (!view) throw new PlanChangeError('事项未在运行（已结束或尚未启动）');
      // A date extended in the console since the snapshot was written is the item's date now: the snapshot takes it too.
      const calendar = new WorkingDayCalendar(current.plan.timezone, current.plan.calendar.overrides);
      const due = calendar.onOrAfter(item.due) < view.due ? view.due : item.due;
      if (edit.kind === 'add' && edit.due > due) throw new PlanChangeError(`节点期限 ${edit.due} 晚于事项办理期限 ${due}；请先延长事项期限`);
      const milestones = editedMilestones(item.milestones ?? [], edit, now());
      if (!milestones) throw new PlanChangeError(`事项没有节点“${edit.kind === 'remove' ? edit.milestoneId : ''}”`);
      const changed = { milestones: milestones.length > 0 ? milestones : undefined, ...(due === item.due ? {} : { due }) };
      const plan = withItemChanged(current.plan, id, changed);
      const problems = checkPlan(withoutPinnedTaskItems(plan));
      if (problems.length > 0) throw new PlanChangeError(`节点不符合计划要求：${problems.map((p) => p.message).join('；')}`);
      await revise(planId, id, { milestones: revisedMilestones(deliverableInput(plan, id)), reason, by });
      await publish(planId, (latest) => ({ plan: withItemChanged(latest, id, changed), result: undefined }), current);
    },

    /**
     * Reopens a closed item: a new run of the same workflow id starts with the closed run's input and state (its log,
     * so the console still shows the earlier events) and opens it again until `due`.
     */
    async reopen(planId: string, id: string, change: ReopenInput): Promise<void> {
      const parsed = reopenInput.safeParse(change);
      if (!parsed.success) throw new PlanChangeError(parsed.error.issues.map((i) => i.message).join('；'));
      const handle = deliverable(planId, id);
      const described = await handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) throw new PlanChangeError(`没有事项“${id}”`);
        throw err;
      });
      if (described.status.name === 'RUNNING') throw new PlanChangeError('事项仍在办理中，无需重新打开 (not closed)');
      if (described.status.name !== 'COMPLETED') throw new PlanChangeError(`事项的工作流已异常终止（${described.status.name}），不能重新打开`);
      const carried = await handle.query(carriedQuery).catch(() => {
        throw new PlanChangeError('该事项由旧版本启动，无法取回其状态，不能重新打开');
      });
      const input = carried.input as DeliverableInput;
      const state = carried.state as DeliverableState;
      const machine = new DeliverableMachine(described.workflowId, input, structuredClone(state));
      try {
        machine.checkReopen(parsed.data, now() + input.clockOffsetMs);
      } catch (err) {
        if (err instanceof InvalidActionError) throw new PlanChangeError(err.message);
        throw err;
      }
      try {
        await client.workflow.start('deliverableWorkflow', {
          // A new run (not a continuation): it shows its changes as runs started today do.
          workflowId: described.workflowId, taskQueue: described.taskQueue, args: [{ ...input, ...currentRunFlags }, state, parsed.data],
          // The closed run stays in history; the reopened one is the newest run of the same id.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          typedSearchAttributes: identityAttributes(input),
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw new PlanChangeError('事项刚被重新打开 (already reopened)');
        throw err;
      }
    },
  };
}

export type PlanChanges = ReturnType<typeof createPlanChanges>;
