/** `duban escalate ID --reason TEXT`: 督办 by hand; the units receive the reason as the supervisor's remark. */
import type { DubanEnvironment } from '../config/environment.ts';
import { escalateInput, escalateUpdate } from '../workflows/definitions.ts';
import { checkedInput, parseCommandArgs, positionals, required } from './args.ts';
import { deliverableTarget, supervisorName, updateDeliverable } from './deliverable-update.ts';

const command = 'escalate';

/** Runs `duban escalate` with the arguments after `escalate`; returns the exit code. */
export async function escalate(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  const { values, positionals: given } = parseCommandArgs(command, args, { reason: { type: 'string' }, plan: { type: 'string' } });
  const [id] = positionals(command, given, ['ID']) as [string];
  // Checked before connecting (bad arguments fail at once); the actor is the plan's supervisor, asked of the workflow.
  const input = checkedInput(command, escalateInput, { remark: required(command, 'reason', values.reason), by: '-' }, { remark: 'reason' });
  return updateDeliverable(env, deliverableTarget(command, id, values.plan), escalateUpdate, (office) => ({ ...input, by: supervisorName(office) }), out);
}
