import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadHistories } from './helpers/replay-fixtures.ts';

const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

describe('replaying recorded histories', () => {
  const histories = loadHistories();

  it('has recorded histories of the lifecycle scenarios to replay', () => {
    // Refresh with `npm run record-histories` after an intended change to workflow logic.
    expect(histories.length).toBeGreaterThanOrEqual(15);
  });

  it('replays every recorded scenario with today’s workflow code without a non-determinism error', async () => {
    const failures: string[] = [];
    const names = new Map(histories.map((h) => [h.workflowId, h.name]));
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories.map(({ workflowId, history }) => ({ workflowId, history })))) {
      if (result.error) failures.push(`${names.get(result.workflowId)}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
