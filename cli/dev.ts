/**
 * `duban dev`: the whole stack on one machine — Temporal dev server (SQLite), SMTP sink with a browser mailbox,
 * worker, web server — and the 2015 plan rehearsed from today. Ctrl-C stops it all; the next run resumes.
 */
import { trackedItems } from '../config/task-items.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime, NativeConnection } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { readEnvironment, type DubanEnvironment } from '../config/environment.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { DevStackError, startDevTemporal } from '../devtools/dev-temporal.ts';
import { rehearsalPlan, rehearsalPlanYaml } from '../devtools/dev-plan.ts';
import { startSmtpSink } from '../devtools/smtp-sink.ts';
import { buildWebApp } from '../web/build-app.ts';
import { startWebServer } from '../web/server.ts';
import { planSnapshotDir } from '../activities/plan-snapshots.ts';
import { createDubanWorker } from '../worker/create-worker.ts';
import { notificationSinkFor } from '../worker/notification-sink.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { planStart } from './plan-start.ts';
import { status } from './status.ts';
import { CommandError } from './usage-error.ts';

const command = 'dev';
const shippedPlan = new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname;

/** What the data folder keeps between runs, so a second run resumes the same rehearsal. */
interface DevState {
  readonly rebaseTo: string;
  readonly linkKeys: string;
}

/** Runs the stack until SIGINT/SIGTERM; returns the exit code. */
// One person clicking through the local stack should see the 交办通知 in the mailbox within seconds; a plan start
// of 13 items still fits in one window, so each unit gets one combined mail.
const devAssignmentBatchMs = 10_000;

export async function dev(args: string[], env: DubanEnvironment, out = console.log): Promise<number> {
  const { values, positionals: given } = parseCommandArgs(command, args, {
    plan: { type: 'string' }, 'temporal-port': { type: 'string' }, 'ui-port': { type: 'string' },
    'smtp-port': { type: 'string' }, 'mailbox-port': { type: 'string' },
  });
  positionals(command, given, []);
  const ports = {
    temporal: port('temporal-port', values['temporal-port'], 7233),
    ui: port('ui-port', values['ui-port'], 8233),
    smtp: port('smtp-port', values['smtp-port'], 1025),
    mailbox: port('mailbox-port', values['mailbox-port'], 8025),
    web: env.webPort || 8080,
  };
  await ensurePortsFree(ports);
  const dataDir = prepareDataDir(env.dataDir);
  const state = devState(dataDir);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const planFile = values.plan ?? shippedPlan;
  const loaded = await loadPlanFile(planFile);
  if (!loaded.ok) throw new CommandError(`${planFile} does not validate; run \`duban plan validate ${planFile}\``, 2);
  const { plan, assumedYears, calendarFiles } = rehearsalPlan(loaded.plan, state.rebaseTo);
  const rehearsalFile = join(dataDir, 'rehearsal-plan.yaml');
  writeFileSync(rehearsalFile, rehearsalPlanYaml(plan, loaded.plan.start, assumedYears, calendarFiles));

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    out(`duban dev: data in ${dataDir}`);
    const temporal = await startDevTemporal({ dbFile: join(dataDir, 'temporal.sqlite'), port: ports.temporal, uiPort: ports.ui, env: process.env, log: out });
    stops.push(temporal.stop);
    const mailbox = await startSmtpSink({ host: '127.0.0.1', smtpPort: ports.smtp, httpPort: ports.mailbox, storeDir: join(dataDir, 'mail') });
    stops.push(mailbox.close);

    const publicUrl = env.publicUrl ?? `http://127.0.0.1:${ports.web}`;
    const settings = readEnvironment({
      TEMPORAL_ADDRESS: temporal.address, DATA_DIR: dataDir, SMTP_URL: mailbox.smtpUrl, MAIL_FROM: env.mailFrom ?? '督办系统 <duban@xinfang.example>',
      PUBLIC_URL: publicUrl, LINK_KEYS: state.linkKeys, WEB_PORT: String(ports.web),
    });
    const connection = await NativeConnection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const worker = await createDubanWorker({ connection, namespace: 'default', sink: notificationSinkFor(settings).sink, snapshotDir: planSnapshotDir(settings.dataDir), assignmentBatchMs: env.assignmentBatchMs ?? devAssignmentBatchMs });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });

    const client = new Client({ connection, namespace: 'default' });
    const web = buildWebApp({ client, env: settings, plans: [plan], now: Date.now });
    const server = await startWebServer(web.app, '127.0.0.1', ports.web);
    stops.push(server.close);

    if (calendarFiles.length) out(`duban dev: holidays of the years the package lacks from ${calendarFiles.join(', ')}`);
    if (assumedYears.length) {
      out(`duban dev: WARNING: no holiday calendar for ${assumedYears.join(', ')}: the rehearsal counts weekends only there, so notices may fall on holidays`);
      out(`           (import the State Council's 节假日安排 notice: \`duban calendar import NOTICE.txt\` writes config/calendars/cn-<year>.yaml; see ${rehearsalFile})`);
    }
    await planStart([rehearsalFile], settings, out, out, { workerHint: false });
    const supervisor = plan.units.find((u) => u.id === plan.supervisor)!;
    out('');
    out(`  ${`${supervisor.name} console sign-in`.padEnd(22)}  ${publicUrl}/login/${web.signIn.mint(supervisor.emails[0]!, Date.now())}  (single use, 15 min; later: ${publicUrl}/login)`);
    out(`  mailbox (SMTP sink)     ${mailbox.webUrl}`);
    out(`  Temporal Web UI         ${temporal.uiUrl}`);
    out(`  rehearsal plan          ${plan.start} – ${plan.end} (the 2015 plan moved to start ${state.rebaseTo})`);
    out('');
    // Visibility lags a moment behind the starts; wait (bounded) so the table shows every deliverable.
    await waitForVisibility(client, plan.id, trackedItems(plan).length);
    await status(['--plan', plan.id], settings, out);
    out('');
    out('duban dev: running; Ctrl-C stops everything (state is kept for the next run)');
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    out('duban dev: stopping …');
    return 0;
  } catch (err) {
    if (err instanceof DevStackError) throw new CommandError(err.message, 1);
    throw err;
  } finally {
    await stopAll();
  }
}

async function waitForVisibility(client: Client, planId: string, expected: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { count } = await client.workflow.count(`DubanPlan = '${planId}'`);
    if (count >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CommandError(`dev: --${name} must be a port number, got "${value}"`, 2);
  return n;
}

/** Fails naming every service whose port is taken, before anything starts. */
async function ensurePortsFree(ports: Record<string, number>): Promise<void> {
  const taken: string[] = [];
  for (const [service, number] of Object.entries(ports)) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(number, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) taken.push(`${service} ${number}`);
  }
  if (taken.length) throw new CommandError(`ports in use: ${taken.join(', ')} (another \`duban dev\`? stop it, or choose others with --temporal-port/--ui-port/--smtp-port/--mailbox-port and WEB_PORT)`, 1);
}

function prepareDataDir(dir: string): string {
  const path = resolve(dir);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new CommandError(`DATA_DIR ${path} exists and is not a folder`, 1);
  mkdirSync(path, { recursive: true });
  return path;
}

/** The saved rehearsal start and link keys, created on the first run (the plan starts today, in Beijing). */
function devState(dataDir: string): DevState {
  const file = join(dataDir, 'dev-state.json');
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as DevState;
      if (typeof saved.rebaseTo === 'string' && typeof saved.linkKeys === 'string') return saved;
    } catch {
      // fall through to the message below
    }
    throw new CommandError(`${file} is unreadable (corrupt data folder?); remove ${dataDir} to start afresh`, 1);
  }
  const state: DevState = {
    rebaseTo: DateTime.now().setZone('Asia/Shanghai').toISODate()!,
    linkKeys: `dev:${randomBytes(32).toString('base64url')}`,
  };
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}
