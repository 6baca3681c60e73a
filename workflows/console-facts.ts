/**
 * An item's {@link ConsoleFacts} as search attributes: the console's dashboard counts them from the plan's visibility
 * listing instead of asking thousands of items their status (each query of an item out of the worker's cache replays
 * it). The item shows them in the same upsert as its state, so an action that changes both (a unit's first action
 * also acknowledges) writes one event and one visibility record.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import type { ConsoleFacts } from './definitions.ts';
import { openInstructionsAttribute, unacknowledgedAttribute } from './search-attributes.ts';

/** The attributes that show `facts` (an empty list of units is no attribute: Temporal keeps no empty list). */
export function consoleFactAttributes(facts: ConsoleFacts): SearchAttributeUpdatePair[] {
  return [
    { key: unacknowledgedAttribute, value: facts.unacknowledged.length > 0 ? [...facts.unacknowledged] : null },
    { key: openInstructionsAttribute, value: facts.openInstructions },
  ];
}

/** The same for a start's attributes, which hold no removals. */
export function startingFactAttributes(facts: ConsoleFacts): SearchAttributePair[] {
  return consoleFactAttributes(facts).filter((pair): pair is SearchAttributePair => pair.value !== null);
}

/** The facts an item shows, or undefined for an item that shows none (started before items did). */
export function consoleFactsIn(attributes: TypedSearchAttributes): ConsoleFacts | undefined {
  const openInstructions = attributes.get(openInstructionsAttribute);
  if (openInstructions === undefined) return undefined;
  return { unacknowledged: attributes.get(unacknowledgedAttribute) ?? [], openInstructions };
}
