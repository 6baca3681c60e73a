/**
 * `duban plan apply FILE [--yes] [--dry-run] [--cancel-removed] [--reason TEXT]`: a changed plan file against the
 * running plan. Validates like `plan validate`, prints the diff first, and applies it only with --yes (or a "y" on a
 * terminal): changed units or lead and titles through each item's `revise` update, changed due dates as a direct
 * extension, new items started by the plan, removed items cancelled only with --cancel-removed. Applying the same
 * file again changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { createPlanChanges, PlanChangeError } from '../activities/plan-changes.ts';
import { planSnapshotDir } from '../activities/plan-snapshots.ts';
import type { DubanEnvironment } from '../config/environment.ts';
import { escapeControlCharacters, loadPlanFile } from '../config/load-plan.ts';
import { describeChange } from '../config/plan-diff.ts';
import { readYamlSource } from '../config/yaml-source.ts';
import { displayName } from '../domain/plan-units.ts';
import { officeNamesOf } from '../config/office-names.ts';
import { rebasePlan } from '../config/plan-inputs.ts';
import { isoDateOption, parseCommandArgs, positionals } from './args.ts';
import { reportIssues } from './plan-validate.ts';
import { withTemporal } from './temporal.ts';

const command = 'plan apply';

/** How to ask for a confirmation; undefined when no one can answer (not a terminal). */
export type Confirmer = ((question: string) => Promise<boolean>) | undefined;

/** Runs `duban plan apply` with the arguments after `plan apply`; returns the exit code. */
export async function planApply(args: string[], env: DubanEnvironment, out = console.log, err = console.error, confirmer: Confirmer = terminalConfirmer()): Promise<number> {
  const parsed = parseCommandArgs(command, args, {
    yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'cancel-removed': { type: 'boolean' }, reason: { type: 'string' },
    'rebase-to': { type: 'string' },
  });
  const [file] = positionals(command, parsed.positionals, ['FILE']) as [string];
  const rebaseTo = parsed.values['rebase-to'] === undefined ? undefined : isoDateOption(command, 'rebase-to', parsed.values['rebase-to']);
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) {
    reportIssues(file, loaded.issues, err);
    err('nothing changed');
    return 2;
  }
  // A plan started with --rebase-to (a rehearsal, `duban dev`) is compared with the file moved the same way.
  const plan = rebaseTo === undefined ? loaded.plan : rebasePlan(loaded.plan, rebaseTo);
  return withTemporal(env, async ({ client }) => {
    const changes = createPlanChanges({ client, snapshotDir: planSnapshotDir(env.dataDir) });
    let preview;
    try {
      preview = await changes.preview(plan);
    } catch (error) {
      if (!(error instanceof PlanChangeError)) throw error;
      // Located at the file's `id`, which names the plan.
      const located = readYamlSource(await readFile(file, 'utf8'));
      reportIssues(file, [located.ok ? located.locate({ path: ['id'], message: error.message }) : { path: ['id'], message: error.message }], err);
      err('nothing changed');
      return 2;
    }
    const { diff } = preview;
    const unitName = (id: string) => displayName(diff.merged, id);
    out(escapeControlCharacters(`plan ${plan.id} (${plan.title}): ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'} against the running plan`));
    for (const change of diff.changes) out(escapeControlCharacters(`  ${describeChange(change, unitName)}`));
    for (const note of diff.notes) out(`  注意  ${note}`);
    if (diff.notes.length === 0 && diff.changes.length === 0) {
      out('无变更 (nothing to apply)');
      return 0;
    }
    if (parsed.values['dry-run']) {
      out('--dry-run: nothing changed');
      return 0;
    }
    if (!parsed.values.yes) {
      if (!confirmer) {
        err('duban: plan apply changes running workflows: add --yes to apply (or --dry-run to only show the changes); nothing changed');
        return 2;
      }
      if (!(await confirmer('应用以上变更？(y/N) '))) {
        out('nothing changed');
        return 0;
      }
    }
    const by = `${officeNamesOf(plan).supervisor}（计划调整）`;
    // A change that reaches thousands of running items takes minutes: say how far it is, every two seconds.
    const began = Date.now();
    let toldAt = began;
    const progress = (done: number, total: number) => {
      // Quiet for an apply that ends within two seconds; a long one also says when it is through.
      if (Date.now() - toldAt < 2_000 && (done < total || toldAt === began)) return;
      toldAt = Date.now();
      err(`duban: 已调整运行中的事项 ${done}/${total}`);
    };
    const outcome = await changes.apply(preview, { by, reason: parsed.values.reason ?? `按调整后的计划（${file}）`, cancelRemoved: parsed.values['cancel-removed'] === true, progress });
    for (const line of outcome.lines) out(escapeControlCharacters(line));
    out(outcome.published ? `✓ plan ${plan.id} now runs the changed plan` : `plan ${plan.id}: snapshot unchanged`);
    return outcome.refused > 0 ? 2 : 0;
  });
}

function terminalConfirmer(): Confirmer {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}
