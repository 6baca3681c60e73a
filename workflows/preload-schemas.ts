/**
 * Preloaded after `definitions.ts` (see worker/workflow-bundle.ts): the worker shares that module across workflows
 * and freezes it, but zod builds some members of a schema on first use (bound methods, derived internals) by
 * defining them on the schema — impossible once frozen. Reading each of them once here, before the freeze, builds
 * them all; parsing a sample builds the rest. Pure: it only reads the schemas and parses constants.
 */
import * as definitions from './definitions.ts';

const skipped = new Set<unknown>([Object.prototype, Function.prototype, Array.prototype]);

/** Reads every getter along each reachable object's prototype chain through the object itself, so zod's lazy members become own values. */
export function materialize(root: unknown): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value) || value instanceof Map || value instanceof Set) continue;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      stack.push(descriptor && 'value' in descriptor ? descriptor.value : read(value, key));
    }
    for (let proto = Object.getPrototypeOf(value) as object | null; proto && !skipped.has(proto); proto = Object.getPrototypeOf(proto) as object | null) {
      for (const key of Reflect.ownKeys(proto)) {
        if (Object.getOwnPropertyDescriptor(proto, key)?.get) stack.push(read(value, key));
      }
    }
  }
}

function read(target: object, key: string | symbol): unknown {
  try {
    return (target as Record<string | symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}

const schemas = [
  definitions.confirmInput, definitions.progressInput, definitions.extensionRequestInput, definitions.extensionDecisionInput,
  definitions.escalateInput, definitions.acceptInput, definitions.rejectInput, definitions.cancelInput,
  definitions.reviseInput, definitions.revisePlanInput, definitions.reopenInput,
  definitions.milestoneDoneInput, definitions.milestoneExtensionInput,
  definitions.acknowledgeInput, definitions.instructInput, definitions.answerInstructionInput,
];
// Parsing once, valid and invalid, builds what zod compiles on a schema's first parse.
for (const schema of schemas) {
  schema.safeParse({});
  schema.safeParse({ unitId: 'u', note: 'n', to: '2015-01-05', reason: 'r', by: 'b', remark: 'r', approved: true });
  schema.safeParse({ milestoneId: 'm', unitId: 'u' });
  schema.safeParse({ milestoneId: 'm', to: '2015-01-05', reason: 'r', by: 'b' });
  schema.safeParse({ unitId: 'u', holdEscalation: true });
  schema.safeParse({ unitId: 'u', instructionId: 'p1', text: 't', by: 'b' });
}
// The mid-year change inputs, valid (nested unit lists and e-mail addresses included) and not.
definitions.reviseInput.safeParse({ units: [{ unitId: 'u', name: 'n', emails: ['u@unit.example'] }, { unitId: 'v', name: 'n', emails: ['bad'] }], title: 't', reason: 'r', by: 'b' });
definitions.reviseInput.safeParse({ units: [{ unitId: 'u', name: 'n', emails: ['u@unit.example'] }], title: 't', reason: 'r', by: 'b' });
definitions.reviseInput.safeParse({ milestones: [{ id: 'm', title: 't', due: '2015-01-05', units: [{ unitId: 'u', name: 'n', emails: ['u@unit.example'] }] }, { id: 'm', title: '', due: 'x' }], reason: 'r', by: 'b' });
definitions.reviseInput.safeParse({ milestones: [{ id: 'm', title: 't', due: '2015-01-05' }, { id: 'n', title: 't', due: '2015-01-06' }], reason: 'r', by: 'b' });
// New reminder and escalation rules, valid (every optional rule given) and not.
const policy = {
  reminderOffsets: [5, 1], sendHour: 9, overdueRepeatEvery: 5, escalationThresholds: [0, 10], completion: 'lead', acceptanceRequired: true,
  reportEvery: 10, reportDayOfMonth: 25, acknowledgeWithin: 3, acknowledgementPausesEscalation: 5, instructionReminderDays: 5,
};
const escalation = [{ level: 1, label: '督办', threshold: 0, recipients: [{ unitId: 'u', name: 'n', emails: ['u@unit.example'] }] }];
definitions.reviseInput.safeParse({ policy, escalation, reason: 'r', by: 'b' });
definitions.reviseInput.safeParse({ policy: { ...policy, sendHour: 30, completion: 'x', extra: 1 }, escalation: [{ ...escalation[0], level: 0, recipients: [] }], reason: 'r', by: 'b' });
definitions.revisePlanInput.safeParse({ planRef: '0'.repeat(32), deliverableIds: ['d01'], basedOn: '1'.repeat(32) });
definitions.reopenInput.safeParse({ due: '2015-01-05', reason: 'r', by: 'b' });
definitions.confirmInput.safeParse({ unitId: 'u', attachments: [{ sha256: '0'.repeat(64), name: 'a.pdf', type: 'application/pdf', size: 1 }] });
materialize(definitions);
