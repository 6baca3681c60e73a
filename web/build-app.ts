/** Puts the web app together from the environment: action links, and the console with its mailed sign-in. */
import type { Client } from '@temporalio/client';
import { createSmtpTransport } from '../activities/mail/email-sink.ts';
import { requireVariables, type DubanEnvironment } from '../config/environment.ts';
import type { Plan } from '../config/plan-schema.ts';
import { createWebApp } from './app.ts';
import { createConsoleGateway } from './console/console-gateway.ts';
import { createConsoleRoutes } from './console/routes.ts';
import { createConsoleAuth } from './auth/console-auth.ts';
import { consoleAudienceOf, consoleUsersOf } from './auth/console-users.ts';
import { SessionCodec } from './auth/session.ts';
import { createSignInMailer } from './auth/sign-in-mailer.ts';
import { SignInTokens } from './auth/sign-in-tokens.ts';
import { createTemporalGateway } from './deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from './links/link-token.ts';

/** The app, and the sign-in tokens it redeems (so `duban dev` can print a first sign-in link). */
export function buildWebApp({ client, env, plans, now }: { client: Client; env: DubanEnvironment; plans: readonly Plan[]; now: () => number }) {
  requireVariables(env, ['PUBLIC_URL', 'LINK_KEYS', 'SMTP_URL', 'MAIL_FROM']);
  const keys = parseLinkKeys(env.linkKeys!);
  const signIn = new SignInTokens(keys);
  const auth = createConsoleAuth({
    sessions: new SessionCodec(keys), signIn, users: consoleUsersOf(plans), audience: consoleAudienceOf(plans) || undefined,
    mailer: createSignInMailer(createSmtpTransport(env.smtpUrl!), env.mailFrom!), publicUrl: env.publicUrl!, now,
  });
  const app = createWebApp({
    gateway: createTemporalGateway(client), signer: new LinkSigner(keys), publicUrl: env.publicUrl!, now,
    timezone: plans[0]?.timezone,
    console: {
      auth,
      routes: createConsoleRoutes({
        gateway: createConsoleGateway(client), now,
        plans: plans.map((p) => ({ id: p.id, title: p.title, units: p.units.map((u) => ({ id: u.id, name: u.name })) })),
      }),
    },
  });
  return { app, signIn };
}
