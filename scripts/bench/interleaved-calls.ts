/** Latencies of kinds of calls made side by side, so a box that speeds up or slows down weighs on each alike. */
import { eachLimited } from '../../activities/temporal-reads.ts';

/** Rounds each kind of call is split into. */
export const interleavedRounds = 6;

/** A kind of call's latencies, and the time its passes took together. */
export interface Timed {
  times: number[];
  ms: number;
  /** With a probe: what the probe's counters (e.g. each process's CPU ms) grew by during this kind's passes. */
  counted?: Record<string, number>;
}

/**
 * A kind of call: timed whole, or its `call` timed after an untimed `before` for the same item (e.g. the page a person
 * opens before pressing its button). A pass's elapsed time includes the `before`s.
 */
export type Call = ((i: number) => Promise<unknown>) | { readonly before: (i: number) => Promise<unknown>; readonly call: (i: number) => Promise<unknown> };

/** Counters read before and after each pass (e.g. processes' CPU time); undefined when they cannot be read. */
export type PassProbe = () => Record<string, number> | undefined;

/**
 * Makes each of `calls` for items `from` to `to`, `concurrency` at a time, side by side in six rounds (which goes
 * first rotating), so a box that speeds up or slows down during the minute this takes weighs on all alike: one pass
 * of each after the other gave floors 70% apart run to run.
 */
export async function interleaved(
  from: number, to: number, calls: readonly Call[], concurrency: number, probe?: PassProbe,
): Promise<Timed[]> {
  const times = calls.map((): Timed => ({ times: [], ms: 0 }));
  let probeFailed = false;
  for (let round = 0; round < interleavedRounds; round++) {
    const [start, end] = [from + Math.floor((round * (to - from)) / interleavedRounds), from + Math.floor(((round + 1) * (to - from)) / interleavedRounds)];
    for (let k = 0; k < calls.length; k++) {
      const which = (round + k) % calls.length;
      const before = probe?.();
      await timedCalls(start, end, calls[which]!, times[which]!, concurrency);
      const after = probe?.();
      // A pass the probe could not read leaves no figures at all, rather than some passes' worth.
      if (before && after) count(times[which]!, before, after);
      else probeFailed ||= probe !== undefined;
    }
  }
  if (probeFailed) for (const timed of times) delete timed.counted;
  return times;
}

/** What each counter grew by from `before` to `after` (one missing before counts as not grown). */
export function counterGrowth(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? value)]));
}

/** Adds what each counter grew by during one pass to `into`. */
function count(into: Timed, before: Record<string, number>, after: Record<string, number>): void {
  into.counted ??= {};
  for (const [name, grown] of Object.entries(counterGrowth(before, after))) into.counted[name] = (into.counted[name] ?? 0) + grown;
}

/** The `p`th percentile of `values` (nearest rank). */
export function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Makes `call` for indices `from`…`to - 1`, adding each call's time and the elapsed time to `into`. */
async function timedCalls(from: number, to: number, call: Call, into: Timed, concurrency: number): Promise<void> {
  const { before, call: timedCall } = typeof call === 'function' ? { before: undefined, call } : call;
  const began = performance.now();
  await eachLimited(Array.from({ length: to - from }, (_, k) => from + k), concurrency, async (i) => {
    await before?.(i);
    const callBegan = performance.now();
    await timedCall(i);
    into.times.push(performance.now() - callBegan);
  });
  into.ms += performance.now() - began;
}
