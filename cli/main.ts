/** The `duban` command line: dispatches subcommands and turns known errors into one line and an exit code. */
import { readFileSync } from 'node:fs';
import { EnvironmentError, readEnvironment } from '../config/environment.ts';
import { planValidate } from './plan-validate.ts';
import { CommandError, UsageError } from './usage-error.ts';

// Kept in a text file so `bin/duban.js` prints it without loading TypeScript at all (`duban --help` stays instant).
const usage = readFileSync(new URL('./usage.txt', import.meta.url), 'utf8');

type Command = (args: string[]) => Promise<number>;

// Commands that talk to Temporal load its SDK only when run, so `plan validate` stays quick.
const commands: Record<string, Command> = {
  'plan validate': async (args) => {
    if (args.length !== 1) throw new UsageError(`plan validate takes exactly one FILE, got ${args.length}`);
    return planValidate(args[0]!);
  },
  'plan import': async (args) => (await import('./plan-import.ts')).planImport(args),
  'calendar import': async (args) => (await import('./calendar-import.ts')).calendarImport(args),
  'plan start': async (args) => (await import('./plan-start.ts')).planStart(args, environment()),
  'plan apply': async (args) => (await import('./plan-apply.ts')).planApply(args, environment()),
  status: async (args) => (await import('./status.ts')).status(args, environment()),
  escalate: async (args) => (await import('./escalate.ts')).escalate(args, environment()),
  extend: async (args) => (await import('./extend.ts')).extend(args, environment()),
  confirm: async (args) => (await import('./confirm.ts')).confirm(args, environment()),
  simulate: async (args) => (await import('./simulate.ts')).simulate(args, process.env),
  worker: async (args) => (await import('./worker.ts')).worker(args, environment()),
  web: async (args) => (await import('./web.ts')).web(args, environment()),
  dev: async (args) => (await import('./dev.ts')).dev(args, environment()),
};

async function main(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage);
    return first === undefined ? 2 : 0;
  }
  const twoWords = second === undefined ? undefined : commands[`${first} ${second}`];
  if (twoWords) return twoWords(rest);
  const oneWord = first === 'plan' || first === 'calendar' ? undefined : commands[first];
  if (oneWord) return oneWord(argv.slice(1));
  throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"; run \`duban --help\``);
}

function environment() {
  try {
    return readEnvironment();
  } catch (err) {
    if (err instanceof EnvironmentError) throw new CommandError(err.message, 2);
    throw err;
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    if (err instanceof UsageError || err instanceof CommandError || err instanceof EnvironmentError) {
      console.error(`duban: ${err.message}`);
      process.exit(err instanceof EnvironmentError ? 2 : err.exitCode);
    }
    console.error(err);
    process.exit(1);
  });
