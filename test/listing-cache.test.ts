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
    await Promise.all([cache.rows('a'), cache.rows('a')]);
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

  it('names an item changed through the console with every listing of its plan for as long as a listing lives', async () => {
    let clock = 0;
    const { list } = counting();
    const cache = createListingCache(list, () => clock, 15_000);
    cache.forget('a', 'a/d08');
    expect((await cache.rows('a')).changed).toEqual(new Set(['a/d08']));
    expect((await cache.rows('b')).changed).toEqual(new Set());
    clock = 10_000;
    cache.forget('a', 'a/d09');
    clock = 14_999;
    expect((await cache.rows('a')).changed).toEqual(new Set(['a/d08', 'a/d09']));
    clock = 15_000;
    expect((await cache.rows('a')).changed).toEqual(new Set(['a/d09']));
  });

  it('keeps no failed listing', async () => {
    let failing = true;
    const { calls, list } = counting(() => failing);
    const cache = createListingCache(list, () => 0);
    await expect(cache.rows('a')).rejects.toThrow('visibility unavailable');
    failing = false;
    await expect(cache.rows('a')).resolves.toEqual({ rows: [], at: 0, changed: new Set() });
    expect(calls).toEqual(['a', 'a']);
  });
});
