/** Reads a plan file (YAML or JSON), validates it, and reports every problem with its path and line. */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { planSchema, type Plan } from './plan-schema.ts';
import { checkPlan, type PlanProblem } from './plan-checks.ts';

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
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { ok: false, issues: [{ path: [], message: `cannot read ${file}: ${reason}` }] };
  }
  return parsePlanText(text);
}

/** Validates plan text (YAML, of which JSON is a subset). */
export function parsePlanText(text: string): PlanLoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const position = error.linePos?.[0];
        return { path: [], message: `YAML syntax: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, line: position?.line, column: position?.col };
      }),
    };
  }
  const locate = (problem: PlanProblem): PlanIssue => {
    // Walk up the path until a node exists (a missing key is reported at its parent).
    for (let depth = problem.path.length; depth >= 0; depth--) {
      const node = doc.getIn(problem.path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { ...problem, line, column: col };
      }
    }
    return problem;
  };
  const parsed = planSchema.safeParse(doc.toJS());
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => locate(fromZodIssue(issue))) };
  const problems = checkPlan(parsed.data);
  if (problems.length > 0) return { ok: false, issues: problems.map(locate) };
  return { ok: true, plan: parsed.data };
}

function fromZodIssue(issue: z.core.$ZodIssue): PlanProblem {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  if (issue.code === 'unrecognized_keys') return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return { path, message: `required field is missing (expected ${issue.expected})` };
  return { path, message: issue.message };
}

/** `deliverables[4].units[1]` for `['deliverables', 4, 'units', 1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

/** One line per issue: `path: message (line L, column C)`. */
export function formatIssue(issue: PlanIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line}, column ${issue.column})`;
  const path = formatPath(issue.path);
  return `${path ? `${path}: ` : ''}${issue.message}${where}`;
}
