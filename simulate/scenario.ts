/**
 * A simulation scenario: how each unit behaves, per deliverable (YAML or JSON, zod-checked, every problem located by
 * path and line). Deliverables it does not name follow `others` (by default the mixed default behaviour).
 */
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { PlanIssue } from '../config/load-plan.ts';
import { isIsoDate } from '../domain/iso-date.ts';

// YAML reads an unquoted 2015-03-31 as a timestamp; take the day it names.
const dateInput = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);
const isoDate = z.preprocess(dateInput, z.string({ error: 'expected a date written YYYY-MM-DD' }).refine(isIsoDate, { message: 'expected a real date written YYYY-MM-DD' }));

/** When a unit confirms: a few working days before the due date, after the first overdue notice, never, or on a date. */
export const confirmWhen = ['on-time', 'late', 'never'] as const;
export type ConfirmWhen = (typeof confirmWhen)[number];

const when = z.preprocess(
  dateInput,
  z.string({ error: 'expected "on-time", "late", "never" or a date YYYY-MM-DD' })
    .refine((v) => (confirmWhen as readonly string[]).includes(v) || isIsoDate(v), { message: 'expected "on-time", "late", "never" or a date YYYY-MM-DD' }),
);

const unitId = z.string().min(1);

const confirmStep = z.preprocess(
  // `confirm: late` is short for `confirm: { at: late }`.
  (v) => (typeof v === 'string' || v instanceof Date ? { at: v } : v),
  z.object({
    at: when,
    /** Who confirms; by default the units the completion policy needs (the lead, or every unit). */
    unit: z.union([unitId, z.array(unitId).min(1)], { error: 'expected a unit id or a list of unit ids' }).optional(),
    note: z.string().min(1).optional(),
  }).strict(),
);

const acceptMessage = 'expected true, false or a date YYYY-MM-DD';

const escalateStep = z.object({ at: isoDate, remark: z.string().min(1) }).strict();

const deliverableScript = z.preprocess(
  // `d04: never` is short for `d04: { confirm: { at: never } }`.
  (v) => (typeof v === 'string' || v instanceof Date ? { confirm: { at: v } } : v),
  z.object({
    confirm: confirmStep.optional(),
    /** Whether (or on which date) 督查室 accepts the confirmation; default: the next working day, when the plan requires acceptance. */
    accept: z.preprocess(dateInput, z.union([z.boolean(), z.string().refine(isIsoDate, { message: acceptMessage })], { error: acceptMessage })).optional(),
    extension: z.object({
      request: isoDate,
      to: isoDate,
      approve: z.boolean({ error: 'expected true or false' }),
      /** When 督查室 decides; default the next working day after the request. */
      decide: isoDate.optional(),
      reason: z.string().min(1).optional(),
    }).strict().optional(),
    /** 督办 by hand: one step or a list. */
    escalate: z.preprocess((v) => (v !== undefined && !Array.isArray(v) ? [v] : v), z.array(escalateStep).min(1)).optional(),
  }).strict(),
);

export const scenarioSchema = z.object({
  /** Behaviour of deliverables the scenario does not name: `default` is the mixed default (most on time, some late, one never). */
  others: z.enum(['default', ...confirmWhen], { error: 'expected "default", "on-time", "late" or "never"' }).default('default'),
  deliverables: z.record(z.string(), deliverableScript).default({}),
}).strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type DeliverableScript = Scenario['deliverables'][string];

/** The scenario used without `--scenario`. */
export const defaultScenario: Scenario = { others: 'default', deliverables: {} };

/** A parsed scenario and a way to locate later problems (found against the plan) in its text. */
export type ScenarioParse =
  | { ok: true; scenario: Scenario; locate: (path: (string | number)[], message: string) => PlanIssue }
  | { ok: false; issues: PlanIssue[] };

/** Parses and checks scenario text (YAML, of which JSON is a subset). */
export function parseScenarioText(text: string): ScenarioParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, issues: doc.errors.map((e) => ({ path: [], message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, line: e.linePos?.[0].line, column: e.linePos?.[0].col })) };
  }
  const locate = (path: (string | number)[], message: string): PlanIssue => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { path, message, line, column: col };
      }
    }
    return { path, message };
  };
  const parsed = scenarioSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
        const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
        return locate(path, message);
      }),
    };
  }
  return { ok: true, scenario: parsed.data, locate };
}

/** Reads a scenario file; an unreadable file is an issue like any other. */
export async function loadScenarioFile(file: string): Promise<ScenarioParse> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, issues: [{ path: [], message: `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}` }] };
  }
  return parseScenarioText(text);
}
