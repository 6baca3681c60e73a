/** `npm run provision`: fetches and caches both Temporal servers, printing the route that worked and the time it took. */
import { clearPartials, provisionServer, type ServerKind } from './temporal-binaries.ts';

async function main(): Promise<void> {
  const options = { env: process.env, log: (line: string) => console.log(`  ${line}`) };
  await clearPartials(options);
  for (const kind of ['dev-server', 'test-server'] as ServerKind[]) {
    const started = Date.now();
    const binary = await provisionServer(kind, options);
    console.log(`${kind}: ${binary.path} (route: ${binary.route}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
