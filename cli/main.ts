/** The `duban` command line: dispatches subcommands and turns known errors into one line and an exit code. */
import { EnvironmentError, readEnvironment } from '../config/environment.ts';
import { planValidate } from './plan-validate.ts';
import { CommandError, UsageError } from './usage-error.ts';

const usage = `usage: duban <command>

  plan validate FILE                      check a plan file and summarise it (exit 2 on problems)
  plan import TEXT_FILE [-o OUT]          a 工作要点 document (the seed's format) to a plan skeleton: YAML to OUT or
                                          stdout, a report of guesses and gaps on stderr (exit 2: unreadable or unsupported)
  calendar import NOTICE [-o FILE] [--year N] [--source TEXT] [--force]
                                          the State Council's 节假日安排 notice (its text) to a checked calendar file
                                          (default config/calendars/cn-<year>.yaml); every range and 调休 day reported
  plan start FILE [--rebase-to DATE]      validate, then start the plan's workflows once (a second start changes nothing);
                                          --rebase-to moves every date so the plan starts on DATE (a rehearsal)
  status [--plan ID] [--json]             every deliverable as a traffic light, from Temporal visibility
  escalate ID --reason TEXT               督办 by hand: the units receive TEXT as 督查室's remark
  extend ID --to DATE --reason TEXT       move a deliverable's due date (approved by 督查室)
  confirm ID --unit UNIT [--note TEXT]    a responsible unit confirms its part is done
  simulate FILE [--scenario FILE] [--out HTML]
                                          the plan's year on the time-skipping test server with scripted units; a summary,
                                          and a timeline (default simulation-<planId>.html)
  worker                                  run the workflows and activities until SIGINT/SIGTERM
  web [--plan FILE]                       serve the action-link pages and the 督查室 console (PUBLIC_URL, LINK_KEYS, SMTP_URL, MAIL_FROM, WEB_PORT)
  dev                                     the whole stack on this machine: dev server (SQLite), SMTP sink, worker, web, the 2015 plan from today

  ID is a deliverable's workflow id, e.g. xinfang-2015/d04 (or d04 with --plan xinfang-2015); DATE is YYYY-MM-DD.
  Temporal is reached through TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY / TEMPORAL_TLS_*; notices
  are recorded under DATA_DIR. Exit 2: bad input or a refused request; exit 1: the server or the system failed.
`;

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
