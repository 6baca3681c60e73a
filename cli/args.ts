/** Strict argument parsing for the subcommands: unknown options, missing values and extra words are usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ZodType } from 'zod';
import { isIsoDate, type IsoDate } from '../domain/iso-date.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` for `command` with node:util's strict parser; its complaints become {@link UsageError}s naming the command. */
export function parseCommandArgs<const O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${command}: ${err.message.split('. ')[0]!.replace(/\.$/, '')}`);
    }
    throw err;
  }
}

/** The positional arguments, exactly `names.length` of them. */
export function positionals(command: string, given: string[], names: readonly string[]): string[] {
  if (given.length !== names.length) {
    const expected = names.length === 0 ? 'no arguments' : names.join(' ');
    throw new UsageError(`${command} takes ${expected}, got ${given.length === 0 ? 'none' : `"${given.join(' ')}"`}`);
  }
  return given;
}

/** A required option's value. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command}: --${name} is required`);
  return value;
}

/** A `YYYY-MM-DD` option value. */
export function isoDateOption(command: string, name: string, value: string): IsoDate {
  if (!isIsoDate(value)) throw new UsageError(`${command}: --${name} must be a real date written YYYY-MM-DD, got "${value}"`);
  return value;
}

/** `input` checked by the schema the workflow's validator uses, so a bad value is a usage error before anything is sent; `flags` names the option behind each field. */
export function checkedInput<T>(command: string, schema: ZodType<T>, input: unknown, flags: Readonly<Record<string, string>>): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  throw new UsageError(`${command}: ${flags[field] ? `--${flags[field]}` : field}: ${issue.message}`);
}
