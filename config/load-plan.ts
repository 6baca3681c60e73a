/** Reads a plan file (YAML or JSON), validates it, and reports every problem with its path and line. */
import { readFile, stat } from 'node:fs/promises';
import { Composer, YAMLParseError, isAlias, isMap, isNode, isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { planSchema, type Plan } from './plan-schema.ts';
import { checkPlan, type PlanProblem } from './plan-checks.ts';
import { planTextLimits, scanPlanText } from './plan-text-limits.ts';

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
  return parsePlanText(text);
}

/** Validates plan text (YAML, of which JSON is a subset); every outcome is a plan or located problems, never a throw. */
export function parsePlanText(text: string): PlanLoadResult {
  const { tokens, lines: lineCounter, problems: tooLarge } = scanPlanText(text);
  if (tooLarge.length > 0) return { ok: false, issues: [...tooLarge] };
  const doc = composeSingleDocument(tokens, text.length);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: [], message: `YAML syntax: ${error.message.split('\n')[0]!}`, line, column: col };
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
    return { ...problem, line: 1, column: 1 };
  };
  const duplicates = duplicateKeys(doc, (offset) => lineCounter.linePos(offset));
  if (duplicates.length > 0) return { ok: false, issues: duplicates };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: planTextLimits.maxAliases });
  } catch (err) {
    // The library refuses an alias that expands too far (a "billion laughs"); anything else is a bug to surface.
    if (!(err instanceof ReferenceError)) throw err;
    return { ok: false, issues: [locate({ path: firstAliasPath(doc), message: `aliases expand too far (${err.message.toLowerCase()})` })] };
  }
  const parsed = planSchema.safeParse(data);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => locate(fromZodIssue(issue))) };
  const problems = checkPlan(parsed.data);
  if (problems.length > 0) return { ok: false, issues: problems.map(locate) };
  return { ok: true, plan: parsed.data };
}

function fromZodIssue(issue: z.core.$ZodIssue): PlanProblem {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  if (issue.code === 'unrecognized_keys') {
    const named = issue.keys.slice(0, 10).map((k) => `"${k}"`).join(', ');
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${named}${issue.keys.length > 10 ? ` and ${issue.keys.length - 10} more` : ''}` };
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return { path, message: `required field is missing (expected ${issue.expected})` };
  return { path, message: issue.message };
}

/** `deliverables[4].units[1]` for `['deliverables', 4, 'units', 1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

/** One line per issue: `path: message (line L, column C)`; control characters from the file are shown escaped. */
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

/**
 * The document of already parsed tokens (as `parseDocument` builds it, without parsing again). Duplicate keys are
 * left to {@link duplicateKeys}: the library's own check compares every key with every other (40,000 keys: 37 s).
 */
function composeSingleDocument(tokens: Parameters<Composer['compose']>[0], length: number): Document {
  // logLevel error: the library's warnings go to stderr unescaped; what matters is reported as problems.
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  let doc: Document | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'a plan file holds one document; found a second one'));
      break;
    }
  }
  return doc!;
}

/** Keys repeated within one mapping, found with one set per mapping (linear in the number of keys). */
function duplicateKeys(doc: Document, position: (offset: number) => { line: number; col: number }): PlanIssue[] {
  const problems: PlanIssue[] = [];
  visit(doc, {
    Map(_, map, ancestors) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (!seen.has(key)) {
          seen.add(key);
        } else if (problems.length < 100) {
          const { line, col } = position(pair.key.range?.[0] ?? 0);
          problems.push({ path: [...pathOf([...ancestors, map]), String(pair.key.value)], message: `duplicate key "${String(pair.key.value)}"`, line, column: col });
        }
      }
    },
  });
  return problems;
}

/** The path of the first alias in the document (where an expansion problem is reported). */
function firstAliasPath(doc: Document): (string | number)[] {
  let found: (string | number)[] = [];
  visit(doc, {
    Alias(_, alias, ancestors) {
      found = pathOf([...ancestors, alias]);
      return visit.BREAK;
    },
  });
  return found;
}

/** A path of keys and indexes from a chain of ancestors as `visit` gives it (document first, node last). */
function pathOf(chain: readonly unknown[]): (string | number)[] {
  const path: (string | number)[] = [];
  chain.forEach((node, i) => {
    const child = chain[i + 1];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as never));
    else if (isMap(node) || isAlias(node) || isNode(node)) return;
  });
  return path;
}
