import { Worker } from '@temporalio/worker';
import { loadWorkflowBundle } from '../../worker/workflow-bundle.ts';
import { loadHistories } from '../../test/helpers/replay-fixtures.ts';
const histories = loadHistories();
const rounds = Number(process.argv[2] ?? 10);
const bundle = await loadWorkflowBundle();
const all = [] as { workflowId: string; history: any }[];
for (let r = 0; r < rounds; r++) for (const h of histories) all.push({ workflowId: `${h.workflowId}-${r}`, history: h.history });
let events = 0; for (const h of all) events += h.history.events.length;
const t0 = performance.now(); let n = 0;
for await (const res of Worker.runReplayHistories({ workflowBundle: bundle }, all)) { if (res.error) console.error(res.error.message); n++; }
const ms = performance.now() - t0;
console.log(`${n} histories, ${events} events in ${ms.toFixed(0)} ms: ${(ms / n).toFixed(2)} ms/history`);
