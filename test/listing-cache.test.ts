/** The console's short-lived plan listings: shared while fresh, listed again when old, forgotten on a change, failures not kept. */
import { describe, expect, it } from 'vitest';
import type { ListedDeliverable } from '../web/console/console-gateway.ts';
import { createListingCache } from '../web/console/listing-cache.ts';

function counting(fail = () => false) {
  const calls: string[] = [];
  const list = async (planId: string): Promise<ListedDeliverable[]> => {
    calls.push(planId);
    if (fail()) throw new Error('visibility unavailable');
    return [];
  };
  return { calls, list };
}

describe('the listing cache', () => {
  it('answers requests within the time to live from one listing per plan, and lists again after it', async () => {
    let clock = 0;
    const { calls, list } = counting();
    const cache = createListingCache(list, () => clock, 15_000);
    const first = cache.rows('a');
    expect(cache.rows('a')).toBe(first);
    await cache.rows('b');
    clock = 14_999;
    expect((await cache.rows('a')).at).toBe(0);
    expect(calls).toEqual(['a', 'b']);
    clock = 15_000;
    expect((await cache.rows('a')).at).toBe(15_000);
    expect(calls).toEqual(['a', 'b', 'a']);
  });

  it('lists a plan again once told it changed, the other plans kept', async () => {
    const { calls, list } = counting();
    const cache = createListingCache(list, () => 0);
    await cache.rows('a');
    await cache.rows('b');
    cache.forget('a');
    await cache.rows('a');
    await cache.rows('b');
    expect(calls).toEqual(['a', 'b', 'a']);
  });

  it('keeps no failed listing', async () => {
    let failing = true;
    const { calls, list } = counting(() => failing);
    const cache = createListingCache(list, () => 0);
    await expect(cache.rows('a')).rejects.toThrow('visibility unavailable');
    failing = false;
    await expect(cache.rows('a')).resolves.toEqual({ rows: [], at: 0 });
    expect(calls).toEqual(['a', 'a']);
  });
});
