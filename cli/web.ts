/** `duban web`: the action-link pages (and later the console) over HTTP, talking to Temporal. */
import { requireVariables, type DubanEnvironment } from '../config/environment.ts';
import { createWebApp } from '../web/app.ts';
import { createTemporalGateway } from '../web/deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from '../web/links/link-token.ts';
import { startWebServer } from '../web/server.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { connectTemporal } from './temporal.ts';
import { CommandError } from './usage-error.ts';

const command = 'web';

/** Serves until SIGINT/SIGTERM; returns the exit code. */
export async function web(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  positionals(command, parseCommandArgs(command, args, {}).positionals, []);
  requireVariables(env, ['PUBLIC_URL', 'LINK_KEYS']);
  let signer: LinkSigner;
  try {
    signer = new LinkSigner(parseLinkKeys(env.linkKeys!));
  } catch (err) {
    throw new CommandError((err as Error).message, 2);
  }
  const session = await connectTemporal(env);
  const app = createWebApp({ gateway: createTemporalGateway(session.client), signer, publicUrl: env.publicUrl!, now: Date.now });
  let server;
  try {
    server = await startWebServer(app, env.webHost, env.webPort);
  } catch (err) {
    await session.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'EADDRINUSE' ? `port ${env.webPort} on ${env.webHost} is in use; set WEB_PORT to a free port` : `cannot listen on ${env.webHost}:${env.webPort}: ${(err as Error).message}`, 1);
  }
  out(`duban web: listening on ${server.url} (links point to ${env.publicUrl}); Temporal ${session.address}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await session.close();
  out('duban web: stopped');
  return 0;
}
