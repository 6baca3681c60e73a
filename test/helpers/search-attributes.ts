/** Registers duban's search attributes on a test server (the dev server gets them at start-up). */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { allSearchAttributes } from '../../workflows/search-attributes.ts';

export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(allSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
  });
}
