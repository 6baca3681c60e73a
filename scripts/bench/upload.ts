/**
 * Benchmark: 办结材料 through the confirm link on the real stack (dev server, worker, SMTP sink, web app as `duban web`
 * builds it, all but Temporal in this process). Prints, per run, the time from the first byte sent to the answer and
 * this process's memory (RSS now, and its peak) for: 5 files of 5,000,000 bytes confirmed (near the 25 MB a confirmation takes), and a
 * 64 MB multipart body refused at the cap. The client streams its bodies, so the memory is the server's.
 * Run: `npm run bench:upload [-- --runs N]` (default 3).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { loadPlanFile } from '../../config/load-plan.ts';
import { deliverableInput } from '../../config/plan-inputs.ts';
import { parseLinkKeys } from '../../web/links/link-keys.ts';
import { LinkSigner } from '../../web/links/link-token.ts';
import { deliverableWorkflow } from '../../workflows/deliverable.ts';
import { startLinkStack } from '../../test/helpers/link-stack.ts';
import { dueFromToday } from './synthetic-plan.ts';

const megabyte = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const loaded = await loadPlanFile(new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('the shipped plan does not validate');
  const plan = dueFromToday(loaded.plan, () => 30);
  const stack = await startLinkStack({ console: true });
  try {
    console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ${runs} runs`);
    const signer = new LinkSigner(parseLinkKeys(stack.linkKeys));
    const confirmLink = async () => {
      const deliverableId = `d10-${randomUUID().slice(0, 8)}`;
      const input = { ...deliverableInput(plan, 'd10'), deliverableId, planWorkflowId: undefined };
      const handle = await stack.env.client.workflow.start(deliverableWorkflow, { args: [input], taskQueue: stack.taskQueue, workflowId: `${plan.id}/${deliverableId}` });
      return { handle, url: `${stack.web.url}/a/${signer.mint({ workflowId: handle.workflowId, unitId: 'zonghe', action: 'confirm', expiresAt: Date.now() + 3_600_000 })}` };
    };
    for (let run = 1; run <= runs; run += 1) {
      const [item, other] = await Promise.all([confirmLink(), confirmLink()]);
      const accepted = await measure(() => streamUpload(item.url, { files: 5, bytesEach: 5_000_000 }));
      console.log(`run ${run}: 5 files × 5,000,000 bytes confirmed → ${accepted.status} in ${accepted.ms} ms; RSS ${accepted.rss}; peak ${accepted.peak}`);
      const refused = await measure(() => streamUpload(other.url, { files: 1, bytesEach: 64 * megabyte }));
      console.log(`run ${run}: 64 MB refused → ${refused.status} in ${refused.ms} ms after ${(refused.written / megabyte).toFixed(1)} MB sent; RSS ${refused.rss}; peak ${refused.peak}`);
      await Promise.all([item, other].map((i) => i.handle.terminate('benchmark finished')));
    }
  } finally {
    await stack.stop();
  }
}

async function measure(run: () => Promise<{ status: number; written: number }>) {
  const before = memory();
  const started = process.hrtime.bigint();
  const answer = await run();
  const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const after = memory();
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  return { ...answer, ms, rss: `${mb(before.VmRSS)} → ${mb(after.VmRSS)}`, peak: `${mb(before.VmHWM)} → ${mb(after.VmHWM)}` };
}

function memory(): { VmRSS: number; VmHWM: number } {
  const lines = readFileSync('/proc/self/status', 'utf8').split('\n');
  const field = (name: string) => Number(/(\d+)/.exec(lines.find((l) => l.startsWith(`${name}:`)) ?? '0')![1]);
  return { VmRSS: field('VmRSS'), VmHWM: field('VmHWM') };
}

/** Posts `files` PDFs of `bytesEach` bytes as the confirm page would, generated while sent (the client holds 64 kB). */
function streamUpload(url: string, { files, bytesEach }: { files: number; bytesEach: number }): Promise<{ status: number; written: number }> {
  const boundary = `----dubanBench${randomUUID()}`;
  const target = new URL(url);
  const filler = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Origin: target.origin } });
    const parts = function* () {
      for (let i = 0; i < files; i += 1) {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="材料${i + 1}.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n% ${i} ${randomUUID()}\n`);
        let left = bytesEach - 60;
        while (left > 0) {
          const piece = filler.subarray(0, Math.min(left, filler.length));
          left -= piece.length;
          yield piece;
        }
        yield Buffer.from('\r\n');
      }
      yield Buffer.from(`--${boundary}--\r\n`);
    }();
    const pump = () => {
      for (let next = parts.next(); !answered; next = parts.next()) {
        if (next.done) return void req.end();
        written += next.value.length;
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, written }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve({ status: 0, written }) : reject(err)));
    pump();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
