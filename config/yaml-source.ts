/** YAML text with line numbers kept, so a problem found in the parsed data can be shown where it is in the file. */
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';

/** A problem at a path of the data, with its 1-based line and column when the path exists in the file. */
export interface LocatedProblem {
  readonly path: (string | number)[];
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** Parsed YAML and a locator for its paths, or the syntax errors. */
export type YamlSource =
  | { ok: true; data: unknown; locate: <P extends { path: (string | number)[] }>(problem: P) => P & { line?: number; column?: number } }
  | { ok: false; issues: LocatedProblem[] };

/** Parses YAML (of which JSON is a subset), rejecting duplicate keys. */
export function readYamlSource(text: string): YamlSource {
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
  const locate = <P extends { path: (string | number)[] }>(problem: P): P & { line?: number; column?: number } => {
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
  return { ok: true, data: doc.toJS(), locate };
}

/** A zod issue as a problem with a plain path and a message a person understands. */
export function fromZodIssue(issue: z.core.$ZodIssue): { path: (string | number)[]; message: string } {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  if (issue.code === 'unrecognized_keys') return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return { path, message: `required field is missing (expected ${issue.expected})` };
  return { path, message: issue.message };
}

/** `deliverables[4].units[1]` for `['deliverables', 4, 'units', 1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}
