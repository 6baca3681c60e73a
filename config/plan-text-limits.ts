/**
 * Size limits a plan file must keep before it is turned into data, checked on the YAML syntax tree with an
 * explicit stack: alias bombs, 10,000-deep nesting, megabyte strings and runaway lists end in located problems
 * instead of a stack overflow or minutes of work.
 */
import { CST, Lexer, LineCounter, Parser } from 'yaml';
import type { PlanProblem } from './plan-checks.ts';

/** The limits; generous for any real plan (the 2015 plan: 10 KB, depth 5, no alias, lists of 30). */
export const planTextLimits = {
  /** Characters in the whole file (a plan with 10,000 deliverables is about 2 MB). */
  maxChars: 8 * 1024 * 1024,
  /** Collections inside collections. */
  maxDepth: 32,
  /** Alias nodes (`*name`) in the file; their expansion is limited separately when the data is built. */
  maxAliases: 100,
  /** Entries of one list or mapping. */
  maxItems: 50_000,
  /** Characters of one scalar (a title, a name). */
  maxStringChars: 10_000,
} as const;

/** A problem found in the text, located by path (as far as it is known) and 1-based line and column. */
export interface TextProblem extends PlanProblem {
  readonly line: number;
  readonly column: number;
}

interface Pending {
  readonly token: CST.Token;
  readonly depth: number;
  readonly path: (string | number)[];
}

/** The syntax tree of a plan text, its line index, and the limits it breaks (at most one problem per kind). */
export interface ScannedPlanText {
  readonly tokens: readonly CST.Token[];
  readonly lines: LineCounter;
  readonly problems: readonly TextProblem[];
}

/** Parses the text into its syntax tree (once; the caller composes the same tokens) and checks every limit. */
export function scanPlanText(text: string): ScannedPlanText {
  const lines = new LineCounter();
  if (text.length > planTextLimits.maxChars) {
    return { tokens: [], lines, problems: [{ path: [], message: `the file has ${text.length} characters; a plan may have at most ${planTextLimits.maxChars}`, line: 1, column: 1 }] };
  }
  // The syntax-tree parser recurses once per nesting level when it closes a collection: 10,000 levels overflow
  // the stack. The lexer does not, so a cheap pass over its tokens bounds the nesting first.
  const tooDeep = nestingBeyondLimit(text);
  if (tooDeep) return { tokens: [], lines, problems: [tooDeep] };
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const problems = new Map<string, TextProblem>();
  const report = (kind: string, path: (string | number)[], offset: number, message: string) => {
    if (problems.has(kind)) return;
    const { line, col } = lines.linePos(offset);
    problems.set(kind, { path, message, line, column: col });
  };
  const pending: Pending[] = tokens.map((token) => ({ token, depth: 0, path: [] }));
  let aliases = 0;

  // Depth-first with an explicit stack: the tree may be deeper than the call stack allows.
  while (pending.length > 0) {
    const { token, depth, path } = pending.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) pending.push({ token: token.value, depth, path });
        break;
      case 'alias':
        aliases += 1;
        if (aliases > planTextLimits.maxAliases) report('aliases', path, token.offset, `more than ${planTextLimits.maxAliases} aliases (*name); a plan needs few, and many may expand without bound`);
        break;
      case 'scalar': case 'single-quoted-scalar': case 'double-quoted-scalar': case 'block-scalar':
        if (token.source.length > planTextLimits.maxStringChars) {
          report('string', path, token.offset, `a value of ${token.source.length} characters; at most ${planTextLimits.maxStringChars} are allowed`);
        }
        break;
      case 'block-map': case 'block-seq': case 'flow-collection': {
        if (depth >= planTextLimits.maxDepth) {
          report('depth', path, token.offset, `nested more than ${planTextLimits.maxDepth} levels deep`);
          break;
        }
        if (token.items.length > planTextLimits.maxItems) {
          report('items', path, token.offset, `${token.items.length} entries in one list or mapping; at most ${planTextLimits.maxItems} are allowed`);
          break;
        }
        const isSequence = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
        token.items.forEach((item, i) => {
          const step = isSequence ? i : keyText(item.key) ?? i;
          if (item.key) pending.push({ token: item.key, depth: depth + 1, path: [...path, step] });
          if (item.value) pending.push({ token: item.value, depth: depth + 1, path: [...path, step] });
        });
        break;
      }
      default:
        break;
    }
  }
  return { tokens, lines, problems: [...problems.values()] };
}

/**
 * A first bound on nesting from the lexer's tokens alone (no tree): brackets open at once, block indicators
 * (`- `, `? `, `: `) on one line, and indentation. Each block level needs one more column or one more indicator,
 * so within these bounds the tree is shallow enough to build, and its exact depth is checked on the tree.
 */
function nestingBeyondLimit(text: string): TextProblem | undefined {
  const { maxDepth } = planTextLimits;
  let offset = 0;
  let flow = 0;
  let indicators = 0;
  let lineStart = true;
  for (const source of new Lexer().lex(text)) {
    const type = CST.tokenType(source);
    let problem: string | undefined;
    if (type === 'flow-seq-start' || type === 'flow-map-start') {
      flow += 1;
      if (flow > maxDepth) problem = `nested more than ${maxDepth} levels deep (brackets)`;
    } else if (type === 'flow-seq-end' || type === 'flow-map-end' || type === 'flow-error-end') {
      flow = type === 'flow-error-end' ? 0 : Math.max(0, flow - 1);
    } else if (type === 'seq-item-ind' || type === 'explicit-key-ind' || (flow === 0 && type === 'map-value-ind')) {
      // `:` also separates the keys of a one-line {…}; `- ` and `? ` nest wherever they stand (an unclosed
      // bracket must not hide them).
      indicators += 1;
      if (indicators > maxDepth) problem = `nested more than ${maxDepth} levels deep (on one line)`;
    } else if (type === 'space' && lineStart && source.length > 4 * maxDepth) {
      problem = `indented ${source.length} columns; nested too deep for a plan`;
    }
    if (problem) return { path: [], message: problem, ...positionOf(text, offset) };
    lineStart = type === 'newline';
    if (lineStart) indicators = 0;
    // The lexer's mode markers (document, scalar, flow end) are not part of the text.
    if (type !== 'doc-mode' && type !== 'flow-error-end' && !(type === 'scalar' && source === CST.SCALAR)) offset += source.length;
  }
  return undefined;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStartsAt = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStartsAt = i + 1;
  }
  return { line, column: offset - lineStartsAt + 1 };
}

/** The text of a plain or quoted scalar key, for the problem's path; undefined for anything else. */
function keyText(key: CST.Token | null | undefined): string | undefined {
  if (!key) return undefined;
  if (key.type === 'scalar') return key.source;
  if (key.type === 'single-quoted-scalar' || key.type === 'double-quoted-scalar') return key.source.slice(1, -1);
  return undefined;
}
