/** The search attributes duban keeps on every deliverable workflow, so the console and CLI filter through visibility. */
import { defineSearchAttributeKey } from '@temporalio/common';

export const planAttribute = defineSearchAttributeKey('DubanPlan', 'KEYWORD');
export const deliverableAttribute = defineSearchAttributeKey('DubanDeliverable', 'KEYWORD');
export const statusAttribute = defineSearchAttributeKey('DubanStatus', 'KEYWORD');
export const lightAttribute = defineSearchAttributeKey('DubanLight', 'KEYWORD');
export const escalationLevelAttribute = defineSearchAttributeKey('DubanEscalationLevel', 'INT');
export const dueAttribute = defineSearchAttributeKey('DubanDue', 'DATETIME');
export const unitsAttribute = defineSearchAttributeKey('DubanUnits', 'KEYWORD_LIST');
/**
 * The instant of an item's next notices (ISO, UTC, {@link noticeSlotOf}) when its plan mails in rounds; the round lists
 * the items due at its slot by it. A keyword, matched exactly: the dev server's SQLite visibility matches no datetime.
 */
export const noticeSlotAttribute = defineSearchAttributeKey('DubanNoticeSlot', 'KEYWORD');

/**
 * The units that have acknowledged an item (签收), in the item's order; absent while none has. Beside
 * {@link unitsAttribute} and {@link openInstructionsAttribute}, what the console counts of every item without asking
 * it (items started with `showsConsoleFacts`). Kept as the units that did, so a new item starts without it.
 */
export const acknowledgedAttribute = defineSearchAttributeKey('DubanAcknowledged', 'KEYWORD_LIST');
/** An item's 批示 waiting for an answer; present (0 too) on every item that shows the console its facts: their mark. */
export const openInstructionsAttribute = defineSearchAttributeKey('DubanOpenInstructions', 'INT');

/** The value of {@link noticeSlotAttribute} for a plan-time instant. */
export function noticeSlotOf(at: number): string {
  return new Date(at).toISOString();
}

/** Every attribute, for registering them on a server (`--search-attribute Name=Type`). */
export const allSearchAttributes = [
  planAttribute, deliverableAttribute, statusAttribute, lightAttribute, escalationLevelAttribute, dueAttribute, unitsAttribute, noticeSlotAttribute,
  acknowledgedAttribute, openInstructionsAttribute,
] as const;
