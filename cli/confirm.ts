/** `duban confirm ID --unit UNIT [--note TEXT]`: records a responsible unit's confirmation that its part is done. */
import type { DubanEnvironment } from '../config/environment.ts';
import { confirmInput, confirmUpdate } from '../workflows/definitions.ts';
import { checkedInput, parseCommandArgs, positionals, required } from './args.ts';
import { deliverableTarget, updateDeliverable } from './deliverable-update.ts';

const command = 'confirm';

/** Runs `duban confirm` with the arguments after `confirm`; returns the exit code. */
export async function confirm(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  const { values, positionals: given } = parseCommandArgs(command, args, {
    unit: { type: 'string' }, note: { type: 'string' }, plan: { type: 'string' },
  });
  const [id] = positionals(command, given, ['ID']) as [string];
  const input = checkedInput(command, confirmInput, { unitId: required(command, 'unit', values.unit), note: values.note }, { unitId: 'unit', note: 'note' });
  return updateDeliverable(env, deliverableTarget(command, id, values.plan), confirmUpdate, input, out);
}
