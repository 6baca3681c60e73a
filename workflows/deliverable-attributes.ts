/**
 * The search attributes that show a deliverable's state in visibility (status, light, level, due), and which of them
 * an upsert must carry: only those that differ from what the workflow already shows. A deliverable started with
 * them set (see {@link openingStart}) needs no upsert in its first task, and a notice or action that leaves
 * them as they were needs none either: each upsert is a history event and a visibility write.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import type { DeliverableInput, Notification } from './definitions.ts';
import { startingFactAttributes } from './console-facts.ts';
import { noticesAhead } from './notice-rounds.ts';
import { noticesMemo } from './notice-packing.ts';
import { DeliverableMachine } from './deliverable-machine.ts';
import {
  deliverableAttribute, dueAttribute, escalationLevelAttribute, lightAttribute, noticeSlotAttribute, noticeSlotOf, planAttribute, statusAttribute, unitsAttribute,
} from './search-attributes.ts';

/** Which item a deliverable is (its plan, its id, its units), as it is started: these never change in a run. */
export function identityAttributes(input: Pick<DeliverableInput, 'planId' | 'deliverableId' | 'units'>): SearchAttributePair[] {
  return [
    { key: planAttribute, value: input.planId },
    { key: deliverableAttribute, value: input.deliverableId },
    { key: unitsAttribute, value: input.units.map((u) => u.unitId) },
  ];
}

/** The state attributes of a deliverable as its machine stands. */
export function stateAttributes(machine: Pick<DeliverableMachine, 'status' | 'light' | 'escalationLevel' | 'effectiveDue'>): SearchAttributePair[] {
  return [
    { key: statusAttribute, value: machine.status },
    { key: lightAttribute, value: machine.light },
    { key: escalationLevelAttribute, value: machine.escalationLevel },
    { key: dueAttribute, value: new Date(`${machine.effectiveDue}T00:00:00Z`) },
  ];
}

/**
 * A deliverable's input and the state attributes it shows before its first task (for the start's
 * `typedSearchAttributes`), marked so the workflow upserts only what changes. `now` is plan time. With
 * `queueAssignment`, the starter queues the 交办通知 itself: the input says so, and `assignment` is the notice the
 * workflow records at `now` (same key), for the starter to hand to the units' batches.
 */
export function openingStart(workflowId: string, input: DeliverableInput, now: number, { queueAssignment = false } = {}): {
  input: DeliverableInput; attributes: SearchAttributePair[]; memo?: Record<string, unknown>; assignment?: Notification;
} {
  const machine = new DeliverableMachine(workflowId, input, DeliverableMachine.initialState(input, now));
  const attributes = stateAttributes(machine);
  const [assignment] = machine.assign(now);
  const published = input.noticeRounds ? firstPublished(machine, now) : {};
  // Its console facts too, so its first task need not upsert them.
  const shown = { attributes: [...attributes, ...startingFactAttributes(machine.consoleFacts), ...(published.attributes ?? [])], memo: published.memo };
  const started = { ...input, startedWithAttributes: true, ...currentRunFlags };
  if (!queueAssignment) return { input: started, ...shown };
  return { input: { ...started, assignmentQueuedAt: now }, ...shown, assignment };
}

/**
 * The input flags of a run started today (each documented on DeliverableInput), whoever starts it: an item's opening
 * and a reopened item's new run alike. A new flag goes here, once.
 */
export const currentRunFlags = { showsInOneUpsert: true, showsConsoleFacts: true, confirmationsInRounds: true, closesAfterTellingPlan: true } as const;

/**
 * What an item in notice rounds publishes in its first task (`workflows/notice-rounds.ts`), given at its start
 * instead: the workflow finds it in its memo and publishes nothing then, saving every start an upsert of each.
 */
function firstPublished(machine: DeliverableMachine, now: number): { attributes?: SearchAttributePair[]; memo?: Record<string, unknown> } {
  machine.catchUp(now);
  const due = noticesAhead(machine, machine.upcoming(now), now);
  return due ? { attributes: [{ key: noticeSlotAttribute, value: noticeSlotOf(due.at) }], memo: noticesMemo(due) } : {};
}

/** The pairs of `wanted` whose value is not already in `current` (`null`, a removal, is there when the key is absent). */
export function changedAttributes(current: TypedSearchAttributes, wanted: readonly SearchAttributeUpdatePair[]): SearchAttributeUpdatePair[] {
  return wanted.filter(({ key, value }) => {
    const shown: unknown = current.get(key);
    if (value === null) return shown !== undefined;
    if (Array.isArray(value)) return !(Array.isArray(shown) && shown.length === value.length && shown.every((v, i) => v === value[i]));
    return value instanceof Date ? !(shown instanceof Date && shown.getTime() === value.getTime()) : shown !== value;
  });
}
