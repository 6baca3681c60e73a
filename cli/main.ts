/** The `duban` command line: dispatches subcommands and turns known errors into one line and an exit code. */
import { planValidate } from './plan-validate.ts';
import { UsageError } from './usage-error.ts';

const usage = `usage: duban <command>

  plan validate FILE     check a plan file and summarise it (exit 2 on problems)
`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'plan' && sub === 'validate') {
    if (rest.length !== 1) throw new UsageError(`duban plan validate takes exactly one FILE, got ${rest.length}`);
    return planValidate(rest[0]!);
  }
  throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"; run \`duban --help\``);
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    if (err instanceof UsageError) {
      console.error(`duban: ${err.message}`);
      process.exit(err.exitCode);
    }
    console.error(err);
    process.exit(1);
  });
