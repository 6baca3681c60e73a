/**
 * How duban runs the CLI's dev server (`duban dev`, and the tests' and benches' servers, so they test and measure
 * the server as it runs): two choices the CLI makes for a throwaway server that duban's long-lived one undoes.
 *
 * Its search attribute cache: the CLI turns it off (`system.forceSearchAttributesCacheRefreshOnRead`), so an attribute
 * added while it runs is usable at once: every read of the namespace's attributes goes to the database instead (to
 * list rows, apparently once per row; to start or upsert with attributes). duban registers its attributes as the
 * server starts (`--search-attribute`), before it answers, so it needs no such read; one added later by hand may wait
 * for the cache's next refresh. Measured 2026-12-02 on 10,000 workflows: listing them took 1.63–2.18 s with the cache
 * against 3.27–3.75 s without (rows without attributes 0.37–0.64 against 1.48–1.62 s), and without it most listings
 * lasted about 2 s longer, a page refused ("System Persistence Max QPS Reached": those reads had spent the frontend's
 * database budget) and retried by the client; a start carrying an item's attributes cost 1.04–1.18× a bare start with
 * the cache against 1.22–1.25×.
 *
 * Its database file's journal: SQLite's default rollback journal syncs the journal and the database on every commit;
 * a write-ahead log with `synchronous=full` syncs the log alone on every commit, as durable (a committed start
 * survives a crash or a power cut). 1,000 starts on a file: 97 and 103/s with the default, 198 and 234/s in WAL
 * (`synchronous=normal`, which may lose the last commits to a power cut, 238 and 270/s: not taken). The log and its
 * index (`-wal`, `-shm`) lie beside the file; copy all three, or the file with the server stopped.
 */
export function devServerSettings({ onFile }: { onFile: boolean }): string[] {
  const cache = ['--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false'];
  return onFile ? [...cache, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=full'] : cache;
}
