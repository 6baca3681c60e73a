/**
 * Threat: a deliverable whose history grows by updates alone (no timer fires between them) never reached the
 * continue-as-new check, which ran only after a timer. Now the check runs on every pass of the loop, so a run
 * hands over to a fresh one by history length even when only updates arrive; the state (log included) carries over.
 */
import { describe, expect, it } from 'vitest';
import { progressUpdate } from '../../workflows/definitions.ts';
import { beijing, useDeliverableHarness } from '../helpers/deliverable-harness.ts';

const harness = useDeliverableHarness({ record: false });

describe('a deliverable receiving only updates', () => {
  it('continues as new once its history passes the limit, keeping every report in its log', async () => {
    // Months before the first reminder: nothing but the updates below happens in this run.
    const run = await harness().startDeliverable('d10', beijing('2015-03-02 08:00'), (input) => ({ ...input, historyLimit: 40 }));
    const firstRunId = (await run.handle.describe()).runId;
    for (let i = 0; i < 20; i += 1) {
      await run.update(progressUpdate, { unitId: 'zonghe', note: `第${i + 1}次进展` });
      // An hour apart: each report is allowed (one per unit per hour).
      await harness().env.sleep(60 * 60 * 1000);
    }
    const first = await harness().env.client.workflow.getHandle(run.handle.workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const latest = await run.handle.describe();
    expect(latest.runId).not.toBe(firstRunId);
    expect(latest.status.name).toBe('RUNNING');
    const view = await run.status();
    expect(view.events.filter((e) => e.what === 'progress').map((e) => e.note)).toEqual(Array.from({ length: 20 }, (_, i) => `第${i + 1}次进展`));
    expect(view.events.filter((e) => e.what === 'assignment')).toHaveLength(1);
  });
});
