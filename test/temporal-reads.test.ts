/** Listing runs by their search attributes alone, as the console, `duban status` and the plan's reports read them. */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TypedSearchAttributes } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepNewest, latestRuns, listedRuns, type ListedRun } from '../activities/temporal-reads.ts';
import { allSearchAttributes, deliverableAttribute, dueAttribute, escalationLevelAttribute, planAttribute, unitsAttribute } from '../workflows/search-attributes.ts';
import { waitFor } from './helpers/duban-cli.ts';
import { startDevServer } from './helpers/temporal-servers.ts';

const planId = `reads-${randomUUID().slice(0, 8)}`;
// No worker polls it: the runs stay open, as started.
const taskQueue = `${planId}-nobody`;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startDevServer({ searchAttributes: [...allSearchAttributes] });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

async function startItem(n: number) {
  return env.client.workflow.start('deliverableWorkflow', {
    taskQueue, workflowId: `${planId}/d0${n}`, memo: { held: 'x'.repeat(2000) },
    typedSearchAttributes: [
      { key: planAttribute, value: planId }, { key: deliverableAttribute, value: `d0${n}` }, { key: escalationLevelAttribute, value: n },
      { key: dueAttribute, value: new Date(`2026-12-0${n}T00:00:00Z`) }, { key: unitsAttribute, value: ['zonghe', `unit-${n}`] },
    ],
  });
}

/**
 * Visibility lags a start or a termination a moment: waits until one pass of the query lists `count` runs, and
 * `settled` holds of them (a run that closes while its pages are read is listed twice: see `keepNewest`).
 */
function listedOnce(count: number, settled: (runs: ListedRun[]) => boolean = () => true) {
  return waitFor(`${count} runs of ${planId} listed`, async () => {
    const runs: ListedRun[] = [];
    for await (const run of listedRuns(env.client, `${planAttribute.name} = '${planId}'`, { pageSize: 2 })) runs.push(run);
    return runs.length === count && settled(runs) ? runs : undefined;
  }, 10_000);
}

const terminatedThird = (runs: ListedRun[]) => runs.some((r) => r.workflowId === `${planId}/d03` && r.status.name === 'TERMINATED');

describe('runs listed by their search attributes', () => {
  it('come page after page, each with its attributes decoded, its status named and when it started', async () => {
    const before = Date.now();
    const handles = await Promise.all([1, 2, 3, 4, 5].map(startItem));
    await handles[2]!.terminate('listed as stopped');
    const runs = await listedOnce(5, terminatedThird);
    expect(runs.map((r) => r.workflowId).sort()).toEqual(handles.map((h) => h.workflowId).sort());
    const third = runs.find((r) => r.workflowId === `${planId}/d03`)!;
    expect(third.status.name).toBe('TERMINATED');
    expect(runs.filter((r) => r.status.name === 'RUNNING')).toHaveLength(4);
    expect(third.runId).toBe(handles[2]!.firstExecutionRunId);
    expect(third.typedSearchAttributes.get(deliverableAttribute)).toBe('d03');
    expect(third.typedSearchAttributes.get(escalationLevelAttribute)).toBe(3);
    expect(third.typedSearchAttributes.get(dueAttribute)).toEqual(new Date('2026-12-03T00:00:00Z'));
    expect(third.typedSearchAttributes.get(unitsAttribute)).toEqual(['zonghe', 'unit-3']);
    expect(third.startTime.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(third.startTime.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('give each workflow its newest run only, when one was started again', async () => {
    const again = await startItem(3);
    await listedOnce(6, (runs) => runs.some((r) => r.runId === again.firstExecutionRunId));
    const latest = await latestRuns(env.client, `${planAttribute.name} = '${planId}'`);
    expect(latest).toHaveLength(5);
    const third = latest.find((r) => r.workflowId === `${planId}/d03`)!;
    expect(third.runId).toBe(again.firstExecutionRunId);
    expect(third.status.name).toBe('RUNNING');
  });
});

describe('the newest run of each workflow', () => {
  const run = (workflowId: string, runId: string, startMs: number, name: ListedRun['status']['name']): ListedRun => ({
    workflowId, runId, startTime: new Date(startMs), status: { code: 0, name }, typedSearchAttributes: new TypedSearchAttributes(),
  });

  it('keeps the later sighting of a run listed twice (open, then closed while the pages were read)', () => {
    const latest = new Map<string, ListedRun>();
    for (const info of [run('p/d01', 'a', 1000, 'RUNNING'), run('p/d02', 'b', 1000, 'RUNNING'), run('p/d01', 'a', 1000, 'TERMINATED')]) keepNewest(latest, info);
    expect([...latest.values()].map((r) => `${r.workflowId} ${r.status.name}`)).toEqual(['p/d01 TERMINATED', 'p/d02 RUNNING']);
  });

  it('keeps the run started last, in whichever order the runs come', () => {
    const latest = new Map<string, ListedRun>();
    for (const info of [run('p/d01', 'new', 2000, 'RUNNING'), run('p/d01', 'old', 1000, 'CONTINUED_AS_NEW')]) keepNewest(latest, info);
    expect(latest.get('p/d01')!.runId).toBe('new');
  });
});
