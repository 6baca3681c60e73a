/** `duban web [--plan FILE]…`: the action-link pages and the 督查室 console over HTTP, talking to Temporal. */
import { requireVariables, type DubanEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { buildWebApp } from '../web/build-app.ts';
import { parseLinkKeys } from '../web/links/link-keys.ts';
import { startWebServer } from '../web/server.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { reportIssues } from './plan-validate.ts';
import { connectTemporal } from './temporal.ts';
import { CommandError } from './usage-error.ts';

const command = 'web';
const shippedPlan = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;

/** Serves until SIGINT/SIGTERM; returns the exit code. */
export async function web(args: string[], env: DubanEnvironment, out = console.log, err = console.error): Promise<number> {
  const parsed = parseCommandArgs(command, args, { plan: { type: 'string', multiple: true } });
  positionals(command, parsed.positionals, []);
  const plans: Plan[] = [];
  for (const file of parsed.values.plan ?? [shippedPlan]) {
    const loaded = await loadPlanFile(file);
    if (!loaded.ok) {
      reportIssues(file, loaded.issues, err);
      return 2;
    }
    plans.push(loaded.plan);
  }
  // Refuse weak or missing keys before connecting anywhere: a bad LINK_KEYS is a start-up error (exit 2).
  try {
    requireVariables(env, ['PUBLIC_URL', 'LINK_KEYS', 'SMTP_URL', 'MAIL_FROM']);
    parseLinkKeys(env.linkKeys!);
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error), 2);
  }
  const session = await connectTemporal(env);
  let built;
  try {
    built = buildWebApp({ client: session.client, env, plans, now: Date.now });
  } catch (error) {
    await session.close();
    throw new CommandError(error instanceof Error ? error.message : String(error), 2);
  }
  let server;
  try {
    server = await startWebServer(built.app, env.webHost, env.webPort);
  } catch (error) {
    await session.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'EADDRINUSE' ? `port ${env.webPort} on ${env.webHost} is in use; set WEB_PORT to a free port` : `cannot listen on ${env.webHost}:${env.webPort}: ${(error as Error).message}`, 1);
  }
  out(`duban web: listening on ${server.url}; console ${env.publicUrl}/console, links point to ${env.publicUrl}; Temporal ${session.address}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await session.close();
  out('duban web: stopped');
  return 0;
}
