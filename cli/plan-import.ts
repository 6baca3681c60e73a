/** `duban plan import TEXT_FILE [-o OUT]`: a 工作要点 document to a plan skeleton (YAML on stdout or OUT, a report on stderr). */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { shippedCalendarPath } from '../config/calendar/calendar-file.ts';
import { decodeDocument, importWorkPlan, UnsupportedDocumentError } from '../config/import/import-plan.ts';
import { parseCommandArgs, positionals } from './args.ts';
import { CommandError, UsageError } from './usage-error.ts';

/** Where the command writes. */
export interface ImportOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (line: string) => void;
}

const processOutput: ImportOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => console.error(line),
};

/** Imports the document and writes the skeleton; returns 0 once written (gaps are reported, not failures). */
export async function planImport(args: string[], output: ImportOutput = processOutput): Promise<number> {
  const { values, positionals: given } = parseCommandArgs('plan import', args, { out: { type: 'string', short: 'o' } });
  const [file] = positionals('plan import', given, ['TEXT_FILE']);
  if (values.out !== undefined && resolve(values.out) === resolve(file!)) throw new UsageError('plan import: -o would overwrite the document itself');

  let bytes: Buffer;
  try {
    bytes = await readFile(file!);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(`plan import: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (err as Error).message}`, 2);
  }
  let result;
  let encoding;
  try {
    const decoded = decodeDocument(bytes);
    encoding = decoded.encoding;
    result = importWorkPlan(decoded.text, { source: basename(file!), calendarFileFor: (year) => (shippedCalendarPath(year) ? `cn-${year}.yaml` : undefined) });
  } catch (err) {
    if (err instanceof UnsupportedDocumentError) throw new CommandError(`plan import: ${file} ${err.message}`, 2);
    throw err;
  }

  if (values.out === undefined) {
    output.stdout(result.yaml);
  } else {
    // Written aside and renamed, so a failed write never leaves half a plan behind.
    const staging = `${values.out}.partial-${process.pid}`;
    await writeFile(staging, result.yaml);
    await rename(staging, values.out);
  }
  output.stderr(`duban plan import: ${file}${encoding === 'UTF-8' ? '' : ` (read as ${encoding})`} → ${values.out ?? 'stdout'}`);
  for (const line of result.report) output.stderr(`  ${line}`);
  return 0;
}
