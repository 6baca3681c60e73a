/** `duban simulate FILE [--scenario FILE] [--out HTML]`: the plan's year on the time-skipping test server, a summary and a timeline. */
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadPlanFile } from '../config/load-plan.ts';
import { ServerUnavailableError } from '../scripts/temporal-binaries.ts';
import { runSimulation } from '../simulate/run.ts';
import { defaultScenario, loadScenarioFile } from '../simulate/scenario.ts';
import { SimulationStalledError } from '../simulate/stall-guard.ts';
import { buildScript } from '../simulate/script.ts';
import { progressPrinter } from '../simulate/progress.ts';
import { formatSummary, simulationFigures } from '../simulate/summary.ts';
import { renderTimeline } from '../simulate/timeline-html.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { reportIssues } from './plan-validate.ts';
import { CommandError, UsageError } from './usage-error.ts';

/** Where the command writes; tests pass their own. */
export interface SimulateOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** The progress bar's stream (a terminal gets a bar redrawn in place). */
  readonly progress: { write(text: string): unknown; isTTY?: boolean };
}

const processOutput: SimulateOutput = { out: (line) => console.log(line), err: (line) => console.error(line), progress: process.stderr };

/** Validates the plan and scenario, runs the year, writes the timeline and prints the summary; returns the exit code. */
export async function simulate(args: string[], env: Readonly<Record<string, string | undefined>>, io: SimulateOutput = processOutput): Promise<number> {
  const { values, positionals: given } = parseCommandArgs('simulate', args, { scenario: { type: 'string' }, out: { type: 'string', short: 'o' } });
  const [file] = positionals('simulate', given, ['FILE']);

  const loaded = await loadPlanFile(file!);
  if (!loaded.ok) {
    reportIssues(file!, loaded.issues, io.err);
    return 2;
  }
  const plan = loaded.plan;
  let scenario = defaultScenario;
  let locate;
  if (values.scenario !== undefined) {
    const parsed = await loadScenarioFile(values.scenario);
    if (!parsed.ok) {
      reportIssues(values.scenario, parsed.issues, io.err);
      return 2;
    }
    ({ scenario, locate } = parsed);
  }
  const built = buildScript(plan, scenario, locate);
  if (!built.ok) {
    reportIssues(values.scenario ?? 'the default scenario', built.issues, io.err);
    return 2;
  }

  const outFile = values.out ?? `simulation-${plan.id}.html`;
  await checkWritable(outFile);
  quietRuntime();
  const progress = progressPrinter(io.progress);
  // Shown at once: the server start and the workflow bundle take a few seconds before the year begins.
  progress.tick({ date: plan.start, fraction: 0, notices: 0 });
  let result;
  try {
    result = await runSimulation({ plan, script: built.script, env, onProgress: (tick) => progress.tick(tick), log: io.err });
  } catch (err) {
    if (err instanceof ServerUnavailableError) throw new CommandError(err.message, 1);
    if (err instanceof SimulationStalledError) throw new CommandError(`simulate: ${err.message}`, 1);
    throw err;
  } finally {
    progress.done();
  }
  const figures = simulationFigures(result);
  await writeFile(outFile, renderTimeline(result, figures));
  for (const line of formatSummary(result, figures, outFile, process.uptime() * 1000)) io.out(line);
  return 0;
}

/** A year is not run only to find the timeline cannot be written: the folder must exist and take files. */
async function checkWritable(file: string): Promise<void> {
  const folder = dirname(resolve(file));
  const isFolder = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new UsageError(`simulate: --out ${file}: no folder ${folder}`);
  if ((await stat(resolve(file)).then((s) => s.isDirectory(), () => false))) throw new UsageError(`simulate: --out ${file} is a folder`);
  await access(folder, constants.W_OK).catch(() => {
    throw new UsageError(`simulate: --out ${file}: cannot write to ${folder}`);
  });
}

/**
 * Worker and core log only errors: their start-up and bundling chatter would break the progress bar. The runtime can
 * be installed once per process; where it already is (tests), it stays as it is.
 */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  } catch {
    // already installed
  }
}
