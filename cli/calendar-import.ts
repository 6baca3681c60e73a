/**
 * `duban calendar import NOTICE.txt [-o FILE] [--year N] [--source TEXT] [--force]`: the State Council's 节假日安排
 * notice to a checked calendar file (default `config/calendars/cn-<year>.yaml`), every range and workday reported.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sharedCalendarDir } from '../config/calendar/calendar-file.ts';
import { importNotice } from '../config/calendar/import-notice.ts';
import { decodeDocument, UnsupportedDocumentError } from '../config/import/import-plan.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { CommandError, UsageError } from './usage-error.ts';

/** Where the command writes its report. */
export interface CalendarImportOutput {
  readonly stderr: (line: string) => void;
}

/** Imports the notice; returns 0 once the file is written, 2 (nothing written) when the notice has errors. */
export async function calendarImport(args: string[], output: CalendarImportOutput = { stderr: (line) => console.error(line) }): Promise<number> {
  const { values, positionals: given } = parseCommandArgs('calendar import', args, {
    out: { type: 'string', short: 'o' }, year: { type: 'string' }, source: { type: 'string' }, force: { type: 'boolean' },
  });
  const [file] = positionals('calendar import', given, ['NOTICE_FILE']);
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)) throw new UsageError(`calendar import: --year must be a year such as 2027, got "${values.year}"`);

  let text: string;
  try {
    text = decodeDocument(await readFile(file!)).text;
  } catch (err) {
    if (err instanceof UnsupportedDocumentError) throw new CommandError(`calendar import: ${file} ${err.message}`, 2);
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(`calendar import: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (err as Error).message}`, 2);
  }
  const result = importNotice(text, { year, source: values.source });
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.filter((p) => p.severity === 'warning').length;
  if (!result.calendar || !result.yaml) {
    output.stderr(`✗ ${file}: ${errors} error${errors === 1 ? '' : 's'}, nothing written`);
    for (const line of result.report) output.stderr(`  ${line}`);
    return 2;
  }
  const out = values.out ?? resolve(sharedCalendarDir, `cn-${result.calendar.year}.yaml`);
  if (resolve(out) === resolve(file!)) throw new UsageError('calendar import: -o would overwrite the notice itself');
  if (existsSync(out) && !values.force) throw new CommandError(`calendar import: ${out} exists; pass --force to replace it, or -o another file`, 2);
  // Written aside and renamed, so a failed write never leaves half a calendar behind.
  const staging = `${out}.partial-${process.pid}`;
  await writeFile(staging, result.yaml);
  await rename(staging, out);
  output.stderr(`✓ ${file} → ${out}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}: check them)` : ''}`);
  for (const line of result.report) output.stderr(`  ${line}`);
  return 0;
}
