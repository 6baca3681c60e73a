/** The coalescer on its own: groups by key, a full group at once, one outcome for every item, no process kept alive. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCoalescer } from '../activities/mail/reminder-coalescer.ts';

describe('the reminder coalescer', () => {
  it('sends each key’s items together, and every item gets its group’s result', async () => {
    const sent: string[][] = [];
    const coalescer = createCoalescer(async (items: readonly string[]) => (sent.push([...items]), items.length), { windowMs: 20 });
    const results = await Promise.all([coalescer.add('a', 'a1'), coalescer.add('b', 'b1'), coalescer.add('a', 'a2')]);
    expect(sent).toEqual([['a1', 'a2'], ['b1']]);
    expect(results).toEqual([2, 1, 2]);
  });

  it('sends a group as soon as it is full, without waiting for the window', async () => {
    const sent: string[][] = [];
    // A window far longer than the test may run: only the size can send the group.
    const coalescer = createCoalescer(async (items: readonly string[]) => void sent.push([...items]), { windowMs: 600_000, maxItems: 2 });
    await Promise.all([coalescer.add('a', 'a1'), coalescer.add('a', 'a2')]);
    expect(sent).toEqual([['a1', 'a2']]);
  });

  it('rejects every item of a group whose send fails', async () => {
    const coalescer = createCoalescer(async () => Promise.reject(new Error('451 try again later')), { windowMs: 5 });
    const outcomes = await Promise.allSettled([coalescer.add('a', 1), coalescer.add('a', 2)]);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual(['451 try again later', '451 try again later']);
  });

  it('refuses a window or size that cannot work, when it is built', () => {
    expect(() => createCoalescer(async () => undefined, { maxItems: 0 })).toThrow(/coalescing/);
    expect(() => createCoalescer(async () => undefined, { windowMs: -1 })).toThrow(/coalescing/);
  });

  it('lets a process end while a group is still waiting (its timer holds nothing open)', async () => {
    const module = new URL('../activities/mail/reminder-coalescer.ts', import.meta.url).pathname;
    const script = `import { createCoalescer } from ${JSON.stringify(module)};
      createCoalescer(async () => undefined, { windowMs: 600000 }).add('a', 1);
      console.log('waiting');`;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
    expect(stdout.trim()).toBe('waiting');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
