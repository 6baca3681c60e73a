/**
 * The dynamic config duban runs the CLI's dev server with (`duban dev`, and the tests' and benches' servers, so they
 * test and measure the server as it runs): one setting.
 *
 * The CLI's dev server turns its search attribute cache off (`system.forceSearchAttributesCacheRefreshOnRead`), so an
 * attribute added while it runs is usable at once: every read of the namespace's attributes goes to the database
 * instead (to list rows, apparently once per row; to start or upsert with attributes). duban registers its attributes
 * as the server starts (`--search-attribute`), before it answers, so it needs no such read; one added later by hand
 * may wait for the cache's next refresh. Measured 2026-12-02 on 10,000 workflows: listing them took 1.73–2.18 s with
 * the cache against 3.33–3.75 s without (rows without attributes 0.37–0.64 against 1.48–1.62 s), and without it most
 * listings lasted about 2 s longer, a page refused ("System Persistence Max QPS Reached": those reads had spent the
 * frontend's database budget) and retried by the client; a start carrying an item's attributes cost 1.04–1.18× a bare
 * start with the cache against 1.22–1.25×.
 */
export const devServerSettings: readonly string[] = ['--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false'];
