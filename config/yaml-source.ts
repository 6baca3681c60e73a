/** YAML text with line numbers kept, so a problem found in the parsed data can be shown where it is in the file. */
import { Composer, YAMLParseError, isAlias, isMap, isNode, isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { planTextLimits, scanPlanText } from './plan-text-limits.ts';

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

/**
 * Parses YAML (of which JSON is a subset), rejecting duplicate keys. Every outcome is data or located problems,
 * never a throw: size, nesting and alias limits are checked on the syntax tree first (see plan-text-limits.ts).
 */
export function readYamlSource(text: string): YamlSource {
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
  const locate = <P extends { path: (string | number)[] }>(problem: P): P & { line?: number; column?: number } => {
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
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: planTextLimits.maxAliases }), locate };
  } catch (err) {
    // The library refuses an alias that expands too far (a "billion laughs") or names no anchor; anything else
    // is a bug to surface.
    if (!(err instanceof ReferenceError)) throw err;
    const message = /excessive alias count/i.test(err.message) ? 'aliases expand too far (a resource exhaustion attack?)' : `alias: ${err.message}`;
    return { ok: false, issues: [locate({ path: firstAliasPath(doc), message })] };
  }
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
function duplicateKeys(doc: Document, position: (offset: number) => { line: number; col: number }): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
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

/** A zod issue as a problem with a plain path and a message a person understands. */
export function fromZodIssue(issue: z.core.$ZodIssue): { path: (string | number)[]; message: string } {
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
