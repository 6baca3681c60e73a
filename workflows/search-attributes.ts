/** The search attributes duban keeps on every deliverable workflow, so the console and CLI filter through visibility. */
import { defineSearchAttributeKey } from '@temporalio/common';

export const planAttribute = defineSearchAttributeKey('DubanPlan', 'KEYWORD');
export const deliverableAttribute = defineSearchAttributeKey('DubanDeliverable', 'KEYWORD');
export const statusAttribute = defineSearchAttributeKey('DubanStatus', 'KEYWORD');
export const lightAttribute = defineSearchAttributeKey('DubanLight', 'KEYWORD');
export const escalationLevelAttribute = defineSearchAttributeKey('DubanEscalationLevel', 'INT');
export const dueAttribute = defineSearchAttributeKey('DubanDue', 'DATETIME');
export const unitsAttribute = defineSearchAttributeKey('DubanUnits', 'KEYWORD_LIST');

/** Every attribute, for registering them on a server (`--search-attribute Name=Type`). */
export const allSearchAttributes = [
  planAttribute, deliverableAttribute, statusAttribute, lightAttribute, escalationLevelAttribute, dueAttribute, unitsAttribute,
] as const;
