/** What the web pages need from Temporal: a deliverable's status, and the unit actions as workflow updates. */
import { ApplicationFailure, QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  acknowledgeUpdate, answerInstructionUpdate, confirmUpdate, extensionRequestUpdate, progressUpdate, statusQuery,
  type AcknowledgeInput, type ActionResult, type AnswerInstructionInput, type ConfirmInput, type DeliverableStatusView, type ExtensionRequestInput, type ProgressInput,
  milestoneDoneUpdate, type MilestoneDoneInput,
} from '../workflows/definitions.ts';
import { closedUnderUpdate } from './closed-under-update.ts';
import { createTemporalGuard, type TemporalGuard } from './temporal-guard.ts';

/** The workflow refused the action (its validator said why); nothing changed. */
export class ActionRejectedError extends Error {
  override readonly name = 'ActionRejectedError';
}

/** The unit actions a link can trigger, and the status page's data. */
export interface DeliverableGateway {
  /** The deliverable's status, or undefined when no such workflow exists. */
  status(workflowId: string): Promise<DeliverableStatusView | undefined>;
  confirm(workflowId: string, input: ConfirmInput): Promise<ActionResult>;
  reportProgress(workflowId: string, input: ProgressInput): Promise<ActionResult>;
  requestExtension(workflowId: string, input: ExtensionRequestInput): Promise<ActionResult>;
  /** 节点完成: the milestone's lead unit marks it done. */
  completeMilestone(workflowId: string, input: MilestoneDoneInput): Promise<ActionResult>;
  /** 签收; a repeat answers kindly (it is in), not as a failure. */
  acknowledge(workflowId: string, input: AcknowledgeInput): Promise<ActionResult>;
  /** A unit answers a leadership instruction (批示). */
  answerInstruction(workflowId: string, input: AnswerInstructionInput): Promise<ActionResult>;
}

/**
 * The shape of a deliverable's workflow id (`<planId>/<deliverableId>`, tests add a suffix); the plan's id and
 * the sign-in ledger's have no "/", so no token can make them answer as a deliverable.
 */
export function isDeliverableWorkflowId(workflowId: string): boolean {
  return workflowId.length <= 200 && /^[\w.-]+(\/[\w.-]+)+$/.test(workflowId);
}

/** A gateway over a Temporal client; a server that does not answer fails fast ({@link TemporalGuard}). */
export function createTemporalGateway(client: Client, guard: TemporalGuard = createTemporalGuard(client)): DeliverableGateway {
  const update = async (workflowId: string, run: () => Promise<ActionResult>): Promise<ActionResult> => {
    if (!isDeliverableWorkflowId(workflowId)) throw new ActionRejectedError(`事项 ${workflowId} 不存在或已结束`);
    try {
      return await guard(run, { changes: true });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        // A repeated request is refused before it reaches history, yet for the unit it is the answer: it is in.
        if (isAlreadySubmitted(err.cause)) {
          const view = await handle(workflowId).query(statusQuery);
          return { ok: true, status: view.status, light: view.light, message: err.cause.message };
        }
        throw new ActionRejectedError(err.cause?.message ?? err.message);
      }
      if (err instanceof WorkflowNotFoundError || (await closedUnderUpdate(err, handle(workflowId)))) throw new ActionRejectedError(`事项 ${workflowId} 不存在或已结束`);
      throw err;
    }
  };
  const handle = (workflowId: string) => client.workflow.getHandle(workflowId);
  return {
    async status(workflowId) {
      // A token can only name what our mail named, but a workflow that is no deliverable (the plan, the sign-in
      // ledger) must still read as "no such item", not as a failure.
      if (!isDeliverableWorkflowId(workflowId)) return undefined;
      try {
        return await guard(() => handle(workflowId).query(statusQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError) return undefined;
        throw err;
      }
    },
    confirm: (id, input) => update(id, () => handle(id).executeUpdate(confirmUpdate, { args: [input] })),
    reportProgress: (id, input) => update(id, () => handle(id).executeUpdate(progressUpdate, { args: [input] })),
    requestExtension: (id, input) => update(id, () => handle(id).executeUpdate(extensionRequestUpdate, { args: [input] })),
    completeMilestone: (id, input) => update(id, () => handle(id).executeUpdate(milestoneDoneUpdate, { args: [input] })),
    acknowledge: (id, input) => update(id, () => handle(id).executeUpdate(acknowledgeUpdate, { args: [input] })),
    answerInstruction: (id, input) => update(id, () => handle(id).executeUpdate(answerInstructionUpdate, { args: [input] })),
  };
}

function isAlreadySubmitted(cause: unknown): cause is ApplicationFailure {
  return cause instanceof ApplicationFailure && cause.type === 'AlreadySubmittedError';
}
