/**
 * The dynamic config duban runs the CLI's dev server with (`duban dev`, and the tests' and benches' servers, so they
 * measure and test the server as it runs): one setting.
 *
 * The CLI's dev server turns its search attribute cache off (`system.forceSearchAttributesCacheRefreshOnRead`), so an
 * attribute added while it runs is usable at once: every read of the namespace's attributes goes to the database
 * instead, once per listed row and once per start or upsert that carries one. duban's attributes are registered when
 * the server starts (`--search-attribute`), before it answers, so the cache costs it nothing. Measured 2026-12-02 on
 * 10,000 workflows: listing them took 1.73–2.18 s with the cache against 3.33–3.75 s without (rows without attributes
 * 0.37–0.64 against 1.48–1.62 s), and without it one listing in most lasted about 2 s longer, its page refused
 * ("System Persistence Max QPS Reached": the rows' reads had used the frontend's database budget) and retried by the
 * client; a start carrying an item's attributes cost 1.04–1.18× a bare start with the cache against 1.22–1.25×.
 */
export const devServerSettings: readonly string[] = ['--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false'];
