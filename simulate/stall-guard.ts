/**
 * A bound on each step of a simulation in real time. On the time-skipping server a step takes milliseconds to a few
 * seconds; one that does not end means the server stopped advancing time (something holds its time lock) or a call
 * went unanswered, and without a bound the run would wait forever. A stalled step fails the run with what was
 * waiting, so the cause can be found.
 */

/** A step of the run that did not end within its bound. */
export class SimulationStalledError extends Error {
  override readonly name = 'SimulationStalledError';
}

/** What was waiting when a step stalled (e.g. each workflow's pending activities); best effort. */
export type StallDiagnosis = () => Promise<string[]>;

/**
 * `step(label, work)` resolves as `work` does, or rejects with SimulationStalledError after `limitMs` of real time,
 * with what `diagnose` found. The diagnosis reads the same server that stalled: it gets a bound of its own.
 */
export function stallGuard(limitMs: number, diagnose: StallDiagnosis, diagnosisLimitMs = 5_000) {
  return async function step<T>(label: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void withinLimit(diagnose(), diagnosisLimitMs).then((found) => {
          const lines = found ?? ['(the server did not answer the diagnosis either)'];
          reject(new SimulationStalledError([`no progress for ${limitMs / 1000} s of real time while ${label}`, ...lines.map((l) => `  ${l}`)].join('\n')));
        });
      }, limitMs);
    });
    try {
      return await Promise.race([work, stalled]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** `work`'s lines, or undefined if it fails or takes longer than `ms`. */
async function withinLimit(work: Promise<string[]>, ms: number): Promise<string[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work.catch((err: unknown) => [`diagnosis failed: ${err instanceof Error ? err.message : String(err)}`]), late]);
  } finally {
    clearTimeout(timer);
  }
}
