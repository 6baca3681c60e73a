/** Registers duban's search attributes on a server that lacks them (tests, a fresh dev server). */
import type { Connection } from '@temporalio/client';
// A CommonJS package whose exports Node's ESM loader cannot see by name: import the whole module.
import proto from '@temporalio/proto';
import { allSearchAttributes } from '../workflows/search-attributes.ts';

/** Adds every duban search attribute to the namespace; ones already present are kept. */
export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const { IndexedValueType } = proto.temporal.api.enums.v1;
  // The time-skipping test server cannot list attributes (UNIMPLEMENTED); there we add them all.
  const existing = await connection.operatorService.listSearchAttributes({ namespace }).catch(() => undefined);
  const missing = allSearchAttributes.filter((key) => !existing?.customAttributes?.[key.name]);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
}

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  const cliType = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList', TEXT: 'Text', DOUBLE: 'Double', BOOL: 'Bool' } as const;
  return allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
