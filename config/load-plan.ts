/** Reads a plan file (YAML or JSON), validates it, and reports every problem with its path and line. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { planSchema, type Plan } from './plan-schema.ts';
import { checkPlan, type PlanProblem } from './plan-checks.ts';
import { calendarOverride, loadCalendarFile, resolveCalendarPath } from './calendar/calendar-file.ts';
import { planTextLimits } from './plan-text-limits.ts';
import { formatPath, fromZodIssue, readYamlSource } from './yaml-source.ts';

export { formatPath };

/** A located problem, ready to print. */
export interface PlanIssue extends PlanProblem {
  /** 1-based line and column in the file, when the path exists there. */
  readonly line?: number;
  readonly column?: number;
}

/** The outcome of loading a plan: the plan, or every problem found. */
export type PlanLoadResult = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[] };

/** Loads and validates the plan at `file`; I/O errors become issues too, so callers print one kind of thing. */
export async function loadPlanFile(file: string): Promise<PlanLoadResult> {
  let text: string;
  try {
    // A file far larger than any plan is refused before it is read into memory (4 bytes per character at most).
    const { size } = await stat(file);
    if (size > planTextLimits.maxChars * 4) return { ok: false, issues: [{ path: [], message: `${file} has ${size} bytes; a plan may have at most ${planTextLimits.maxChars} characters`, line: 1, column: 1 }] };
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { ok: false, issues: [{ path: [], message: `cannot read ${file}: ${reason}` }] };
  }
  return parsePlanText(text, { planDir: dirname(file) });
}

/**
 * Validates plan text (YAML, of which JSON is a subset). Calendar files it names are read relative to `planDir`
 * (default: the working directory) or from `config/calendars/`, and their years join `calendar.overrides` (files
 * first, so the plan's own overrides win).
 */
export function parsePlanText(text: string, options: { planDir?: string } = {}): PlanLoadResult {
  const source = readYamlSource(text);
  if (!source.ok) return source;
  const parsed = planSchema.safeParse(source.data);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => source.locate(fromZodIssue(issue))) };
  const withFiles = withCalendarFiles(parsed.data, options.planDir ?? process.cwd());
  if (!withFiles.ok) return { ok: false, issues: withFiles.problems.map(source.locate) };
  const problems = checkPlan(withFiles.plan);
  if (problems.length > 0) return { ok: false, issues: problems.map(source.locate) };
  return { ok: true, plan: withFiles.plan };
}

/** The plan with its calendar files read into `calendar.overrides`, or where each file went wrong. */
function withCalendarFiles(plan: Plan, planDir: string): { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const fromFiles: Plan['calendar']['overrides'] = [];
  plan.calendar.files.forEach((ref, i) => {
    const path = resolveCalendarPath(ref, planDir);
    if (!path) return problems.push({ path: ['calendar', 'files', i], message: `no calendar file "${ref}" (looked beside the plan and in config/calendars/)` });
    const loaded = loadCalendarFile(path);
    if (!loaded.ok) {
      for (const issue of loaded.issues) {
        const where = [formatPath(issue.path), issue.line === undefined ? '' : `line ${issue.line}, column ${issue.column}`].filter(Boolean).join(', ');
        problems.push({ path: ['calendar', 'files', i], message: `${shortPath(path)}${where ? ` (${where})` : ''}: ${issue.message}` });
      }
      return undefined;
    }
    const year = loaded.calendar.year;
    if (fromFiles.some((o) => o.year === year)) return problems.push({ path: ['calendar', 'files', i], message: `a second calendar file for ${year}` });
    fromFiles.push(calendarOverride(loaded.calendar));
    return undefined;
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: { ...plan, calendar: { ...plan.calendar, overrides: [...fromFiles, ...plan.calendar.overrides] } } };
}

/** A path relative to the working directory when it lies below it, else absolute. */
function shortPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith('..') ? below : path;
}

/** One line per issue: `path: message (line L, column C)`. */
export function formatIssue(issue: PlanIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line}, column ${issue.column})`;
  const path = formatPath(issue.path);
  return escapeControlCharacters(`${path ? `${path}: ` : ''}${issue.message}${where}`);
}

/**
 * Text safe for a terminal: C0/C1 control characters, DEL and the bidirectional overrides (which reorder what is
 * shown) are written as `\u{…}`, so a plan file cannot colour, move or hide what the operator reads.
 */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
