import { describe, expect, it } from 'vitest';
import { createLanes } from '../activities/start-lanes.ts';

/** A call that runs until the test releases it, telling when it began. */
function heldCalls() {
  const began: number[] = [];
  const release = new Map<number, () => void>();
  const call = (n: number) => () => {
    began.push(n);
    return new Promise<number>((resolve) => release.set(n, () => resolve(n)));
  };
  // Lets every settled promise's follow-ups run before the test looks.
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { began, release: (n: number) => release.get(n)!(), call, settle };
}

describe('start lanes', () => {
  it('runs at most their capacity at once, and the calls waiting in the order they came', async () => {
    const inLane = createLanes(2);
    const { began, release, call, settle } = heldCalls();
    const results = [1, 2, 3, 4, 5].map((n) => inLane(call(n)));
    await settle();
    expect(began).toEqual([1, 2]);
    release(2);
    await settle();
    expect(began).toEqual([1, 2, 3]);
    release(1);
    release(3);
    await settle();
    expect(began).toEqual([1, 2, 3, 4, 5]);
    release(4);
    release(5);
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
  });

  it('frees the lane of a call that fails, and passes its failure on', async () => {
    const inLane = createLanes(1);
    const failing = inLane(() => Promise.reject(new Error('server refused')));
    const after = inLane(async () => 'ran');
    await expect(failing).rejects.toThrow('server refused');
    expect(await after).toBe('ran');
  });

  it('refuses a capacity that is not a whole number of at least 1', () => {
    expect(() => createLanes(0)).toThrow(/at least 1, not 0/);
    expect(() => createLanes(1.5)).toThrow(/at least 1, not 1.5/);
  });
});
