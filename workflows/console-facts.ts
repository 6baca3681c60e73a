/**
 * What an item shows the console as search attributes: the console's dashboard counts 签收 and 批示 from the plan's
 * visibility listing instead of asking thousands of items their status (each query of an item out of the worker's
 * cache replays it). The item shows them in the same upsert as its state, so an action that changes both (a unit's
 * first action also acknowledges) writes one event and one visibility record. A new item starts with only
 * `DubanOpenInstructions` (0), the mark that it shows them: nobody has acknowledged it yet.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import type { ConsoleFacts } from './definitions.ts';
import { acknowledgedAttribute, openInstructionsAttribute, unitsAttribute } from './search-attributes.ts';

/** What an item knows of its 签收 and 批示. */
export interface ItemFacts {
  /** Its units that have acknowledged it, in its order. */
  readonly acknowledged: readonly string[];
  readonly openInstructions: number;
}

/** The attributes that show `facts` (no unit acknowledged is no attribute: Temporal keeps no empty list). */
export function consoleFactAttributes(facts: ItemFacts): SearchAttributeUpdatePair[] {
  return [
    { key: acknowledgedAttribute, value: facts.acknowledged.length > 0 ? [...facts.acknowledged] : null },
    { key: openInstructionsAttribute, value: facts.openInstructions },
  ];
}

/** The same for a start's attributes, which hold no removals. */
export function startingFactAttributes(facts: ItemFacts): SearchAttributePair[] {
  return consoleFactAttributes(facts).filter((pair): pair is SearchAttributePair => pair.value !== null);
}

/**
 * What the console counts of an item from its attributes (the units yet to acknowledge, whatever its state: the console
 * leaves closed items out), or undefined for an item that shows none (started before items did).
 */
export function consoleFactsIn(attributes: TypedSearchAttributes): ConsoleFacts | undefined {
  const openInstructions = attributes.get(openInstructionsAttribute);
  if (openInstructions === undefined) return undefined;
  const acknowledged = new Set(attributes.get(acknowledgedAttribute) ?? []);
  return { unacknowledged: (attributes.get(unitsAttribute) ?? []).filter((unitId) => !acknowledged.has(unitId)), openInstructions };
}
