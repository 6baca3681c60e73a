/**
 * The cached workflow bundle keeps its source map's mappings but not the sources' texts: a worker holds less, and a
 * workflow's stack trace still names our TypeScript file and line.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflowBundle, withoutSourceTexts } from '../worker/workflow-bundle.ts';
import { confirmUpdate } from '../workflows/definitions.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });
const inlineMap = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

function mapOf(code: string): { sources: string[]; mappings: string; sourcesContent?: unknown } {
  return JSON.parse(Buffer.from(code.slice(code.lastIndexOf(inlineMap) + inlineMap.length), 'base64').toString('utf8'));
}

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('the workflow bundle', () => {
  it('drops the source texts from the inline map and keeps the code and mappings', () => {
    const map = { version: 3, sources: ['webpack:///./workflows/a.ts'], names: ['f'], mappings: 'AAAA,SAASA', sourcesContent: ['export function f() {}'] };
    const code = `var f = 1;\n${inlineMap}${Buffer.from(JSON.stringify(map)).toString('base64')}`;
    const slim = withoutSourceTexts(code);
    expect(slim.startsWith('var f = 1;\n')).toBe(true);
    expect(mapOf(slim)).toEqual({ version: 3, sources: ['webpack:///./workflows/a.ts'], names: ['f'], mappings: 'AAAA,SAASA' });
    expect(withoutSourceTexts('var f = 1;')).toBe('var f = 1;');
  });

  it('is built once, cached without source texts, and read back as cached', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'duban-bundle-'));
    folders.push(cacheDir);
    const built = await loadWorkflowBundle({ cacheDir });
    const map = mapOf(built.code);
    expect(map.sourcesContent).toBeUndefined();
    expect(map.mappings.length).toBeGreaterThan(100_000);
    expect(map.sources.some((s) => s.endsWith('workflows/deliverable-machine.ts'))).toBe(true);
    expect(await readdir(cacheDir)).toEqual([expect.stringMatching(/^workflow-bundle-[0-9a-f]{16}\.js$/)]);
    expect((await loadWorkflowBundle({ cacheDir })).code).toBe(built.code);
  }, 120_000);

  it("still maps a workflow's stack trace to our TypeScript file and line", async () => {
    const run = await harness().startDeliverable('d08', beijing('2015-04-01 10:00'));
    const refused = await run.update(confirmUpdate, { unitId: 'renshisi' }).then(() => undefined, (err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refused as WorkflowUpdateFailedError).cause?.stack)).toMatch(/workflows\/deliverable-machine\.ts:\d+:\d+/);
  });
});
