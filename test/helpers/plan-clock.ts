/**
 * Plan time for tests that run items on the dev server, whose clock is the wall clock: items started with
 * {@link pinnedClockOffsetMs} live on 1 June {@link planYear}, whatever the day the tests run, so their dates (late in
 * that year) stay ahead of "today" and inside the years the shipped calendar covers (chinese-days: 2004–2026).
 */
export const planYear = 2026;

/** Plan time minus wall time, for an item or plan started now, so that its "today" is 1 June {@link planYear}, 10:00 in Beijing. */
export function pinnedClockOffsetMs(): number {
  return Date.parse(`${planYear}-06-01T02:00:00Z`) - Date.now();
}
