/**
 * The deliverable starts one worker makes at once, across every start batch it runs. A plan keeps one batch more in
 * flight than the lanes hold, so that while a batch ends (its last starts, its 交办通知 queued, the plan's task that
 * schedules the next) the batch after it already fills the lanes the ending one left.
 */

/** Runs `work` in a lane: at once if one is free, else after the callers queued before it (first come, first served). */
export type InLane = <T>(work: () => Promise<T>) => Promise<T>;

/** Lanes for at most `capacity` calls at a time; a call that fails frees its lane as one that succeeds does. */
export function createLanes(capacity: number): InLane {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`lanes need a whole number capacity of at least 1, not ${capacity}`);
  let free = capacity;
  const queued: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => queued.push(resolve));
    try {
      return await work();
    } finally {
      // Handed straight to the next caller, so no one arriving meanwhile takes it out of turn.
      const next = queued.shift();
      if (next) next();
      else free += 1;
    }
  };
}
