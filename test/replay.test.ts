import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadWorkflowBundle } from '../worker/workflow-bundle.ts';
import { loadHistories } from './helpers/replay-fixtures.ts';

describe('replaying recorded histories', () => {
  const histories = loadHistories();

  it('has recorded histories of the lifecycle scenarios to replay', () => {
    // Refresh with `npm run record-histories` after an intended change to workflow logic.
    expect(histories.length).toBeGreaterThanOrEqual(15);
  });

  it('replays every recorded scenario with today’s workflow bundle (as workers run it, libraries preloaded) without a non-determinism error', async () => {
    const failures: string[] = [];
    const names = new Map(histories.map((h) => [h.workflowId, h.name]));
    for await (const result of Worker.runReplayHistories({ workflowBundle: await loadWorkflowBundle() }, histories.map(({ workflowId, history }) => ({ workflowId, history })))) {
      if (result.error) failures.push(`${names.get(result.workflowId)}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
