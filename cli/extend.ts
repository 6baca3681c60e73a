/** `duban extend ID --to DATE --reason TEXT`: the supervisor moves a deliverable's due date; its schedule is rebuilt. */
import type { DubanEnvironment } from '../config/environment.ts';
import { extensionDecisionInput, extensionDecisionUpdate } from '../workflows/definitions.ts';
import { checkedInput, isoDateOption, parseCommandArgs, positionals, required } from './args.ts';
import { deliverableTarget, supervisorName, updateDeliverable } from './deliverable-update.ts';

const command = 'extend';

/** Runs `duban extend` with the arguments after `extend`; returns the exit code. */
export async function extend(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  const { values, positionals: given } = parseCommandArgs(command, args, {
    to: { type: 'string' }, reason: { type: 'string' }, plan: { type: 'string' },
  });
  const [id] = positionals(command, given, ['ID']) as [string];
  const to = isoDateOption(command, 'to', required(command, 'to', values.to));
  // Approving with a date is how 督查室 extends directly, whether or not a unit asked for it.
  const input = checkedInput(command, extensionDecisionInput, {
    approved: true, to, reason: required(command, 'reason', values.reason), by: '-',
  }, { to: 'to', reason: 'reason' });
  return updateDeliverable(env, deliverableTarget(command, id, values.plan), extensionDecisionUpdate, (office) => ({ ...input, by: supervisorName(office) }), out);
}
