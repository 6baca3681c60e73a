/** Puts the web app together from the environment: action links, and the console with its mailed sign-in. */
import type { Client } from '@temporalio/client';
import { createSmtpTransport } from '../activities/mail/email-sink.ts';
import { requireVariables, type DubanEnvironment } from '../config/environment.ts';
import type { Plan } from '../config/plan-schema.ts';
import { createWebApp } from './app.ts';
import { createFileAttachmentStore } from './attachments/attachment-store.ts';
import { createConsoleGateway } from './console/console-gateway.ts';
import { createConsoleRoutes } from './console/routes.ts';
import { createPlanChanges } from '../activities/plan-changes.ts';
import { planSnapshotDir } from '../activities/plan-snapshots.ts';
import { createBackgroundMailer } from './auth/background-mailer.ts';
import { createConsoleAuth, type SignInLimits } from './auth/console-auth.ts';
import { consoleAudienceOf, consoleUsersOf } from './auth/console-users.ts';
import { SessionCodec } from './auth/session.ts';
import { createSignInMailer } from './auth/sign-in-mailer.ts';
import { createTemporalSignInLedger } from './auth/sign-in-ledger.ts';
import { SignInTokens } from './auth/sign-in-tokens.ts';
import { createTemporalGateway } from './deliverable-gateway.ts';
import { LinkSigner, parseLinkKeys } from './links/link-token.ts';
import { createTemporalGuard, type TemporalGuardOptions } from './temporal-guard.ts';

/** The app, the sign-in tokens it redeems (so `duban dev` can print a first sign-in link), and its sign-in mail queue. */
export function buildWebApp({ client, env, plans, now, signInLimits, temporalGuard }: {
  client: Client; env: DubanEnvironment; plans: readonly Plan[]; now: () => number; signInLimits?: SignInLimits;
  /** The guard's timings (tests shorten them); its address is TEMPORAL_ADDRESS's. */
  temporalGuard?: Omit<TemporalGuardOptions, 'address'>;
}) {
  requireVariables(env, ['PUBLIC_URL', 'LINK_KEYS', 'SMTP_URL', 'MAIL_FROM']);
  const keys = parseLinkKeys(env.linkKeys!);
  // One guard for every Temporal call of this process, so a server found down is remembered by all pages.
  const guard = createTemporalGuard(client, { ...temporalGuard, address: env.temporal.connectionOptions.address });
  const ledger = createTemporalSignInLedger(client, { guard, now });
  const attachments = createFileAttachmentStore(env.attachmentsDir);
  const signIn = new SignInTokens(keys, ledger);
  const outbox = createBackgroundMailer();
  const auth = createConsoleAuth({
    sessions: new SessionCodec(keys), signIn, users: consoleUsersOf(plans), audience: consoleAudienceOf(plans) || undefined,
    ledger, outbox, ...(signInLimits ? { limits: signInLimits } : {}),
    mailer: createSignInMailer(createSmtpTransport(env.smtpUrl!), env.mailFrom!), publicUrl: env.publicUrl!, now,
  });
  const app = createWebApp({
    gateway: createTemporalGateway(client, guard), signer: new LinkSigner(keys), publicUrl: env.publicUrl!, now,
    timezone: plans[0]?.timezone,
    uploads: { store: attachments },
    console: {
      auth,
      routes: createConsoleRoutes({
        gateway: createConsoleGateway(client, { guard }), now, attachments,
        // The console changes running plans through the snapshots `duban plan start` stored (DATA_DIR/plans).
        changes: createPlanChanges({ client, snapshotDir: planSnapshotDir(env.dataDir) }),
        plans: plans.map((p) => ({ id: p.id, title: p.title, units: p.units.map((u) => ({ id: u.id, name: u.name })) })),
      }),
    },
  });
  return { app, signIn, outbox };
}
