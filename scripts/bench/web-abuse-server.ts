/**
 * The web server the abuse benchmark measures, in its own process so its memory can be read: the web app of the
 * checkout given as the first argument (this one, or an older one for "before" figures), built as `duban web`
 * builds it, with the sign-in limits lifted so every request of the timing run takes the full path.
 */
import { pathToFileURL } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

async function main(): Promise<void> {
  const root = pathToFileURL(`${process.argv[2] ?? new URL('../..', import.meta.url).pathname}/`);
  const load = (path: string) => import(new URL(path, root).href);
  const { readEnvironment } = await load('config/environment.ts');
  const { loadPlanFile } = await load('config/load-plan.ts');
  const { buildWebApp } = await load('web/build-app.ts');
  const { startWebServer } = await load('web/server.ts');
  const env = readEnvironment();
  const loaded = await loadPlanFile(new URL('config/plans/xinfang-2015.yaml', root).pathname);
  const connection = await NativeConnection.connect(env.temporal.connectionOptions);
  const lifted = { limit: 1_000_000, windowMs: 60_000 };
  const { app } = buildWebApp({
    client: new Client({ connection, namespace: 'default' }), env, plans: [loaded.plan], now: Date.now,
    signInLimits: { perAddress: lifted, perClient: lifted },
  });
  const server = await startWebServer(app, '127.0.0.1', env.webPort);
  console.log(`listening ${server.url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
