/**
 * Links each 附件 deliverable to the task it comes from.
 *
 * The annex restates a phrase of a task's paragraph (`评选督查督办精品案例` is a sentence of task （六）), so:
 * 1. Exact: the deliverable's title, reduced to letters, digits and ideographs (spacing and punctuation differ
 *    between the annex and the body: `培训班、加强` vs `培训班，加强`), occurs in the reduced text of a task. When
 *    several tasks contain it, the one naming all of the deliverable's units wins, else the first.
 * 2. Close: the annex sometimes rewords the phrase (`制定 2015 年信访工作考核评分细则` for the body's
 *    `研究制定 2015 年考核评分细则`). Each task is scored by the share of the title's character pairs (bigrams)
 *    found in its text; the best task is taken when it has at least 60% of them and leads the runner-up by 15 points.
 *    Such a link is reported for a person to confirm.
 * 3. Same units: exactly one task names the very same units (in any order) as the deliverable.
 * 4. Parallel numbering: the annex lists one item per task, in the tasks' order (as many items as tasks, and every
 *    link found above joins item N to task （N）); item N then goes to task （N）.
 * Links 2–4 are reported for a person to confirm. Otherwise the deliverable stays unlinked and is reported.
 */
import { bareText } from './text.ts';

/** What a task offers to the matcher. */
export interface LinkableTask {
  readonly id: string;
  readonly number: number;
  /** The task's whole paragraph. */
  readonly text: string;
  /** Unit ids (or names): used only to choose between tasks that match equally. */
  readonly units: readonly string[];
}

/** How a deliverable found its task, or that it did not. */
export type TaskLink =
  | { readonly how: 'exact'; readonly task: string; readonly alsoIn: readonly string[] }
  | { readonly how: 'close'; readonly task: string; readonly shared: number; readonly of: number }
  | { readonly how: 'units'; readonly task: string }
  | { readonly how: 'number'; readonly task: string }
  | { readonly how: 'none'; readonly best?: { readonly task: string; readonly shared: number; readonly of: number } };

const minimumShare = 0.6;
const minimumLead = 0.15;

/** The task a deliverable (its title and units) comes from. */
export function linkDeliverable(title: string, units: readonly string[], tasks: readonly LinkableTask[]): TaskLink {
  const phrase = bareText(title);
  if (phrase === '') return { how: 'none' };
  const namesAll = (task: LinkableTask) => units.length > 0 && units.every((u) => task.units.includes(u));

  const containing = tasks.filter((task) => bareText(task.text).includes(phrase));
  if (containing.length > 0) {
    const chosen = containing.find(namesAll) ?? containing[0]!;
    return { how: 'exact', task: chosen.id, alsoIn: containing.filter((t) => t !== chosen).map((t) => t.id) };
  }

  const pairs = new Set(bigrams(phrase));
  const scored = tasks
    .map((task) => {
      const own = new Set(bigrams(bareText(task.text)));
      return { task, shared: [...pairs].filter((pair) => own.has(pair)).length };
    })
    // Higher share first; on a tie, the task naming all the units.
    .sort((a, b) => b.shared - a.shared || Number(namesAll(b.task)) - Number(namesAll(a.task)));
  const [best, runnerUp] = scored;
  if (!best || best.shared === 0 || pairs.size === 0) return { how: 'none' };
  const share = (n: number) => n / pairs.size;
  const summary = { task: best.task.id, shared: best.shared, of: pairs.size };
  if (share(best.shared) >= minimumShare && share(best.shared) - share(runnerUp?.shared ?? 0) >= minimumLead) return { how: 'close', ...summary };
  return { how: 'none', best: summary };
}

function bigrams(text: string): string[] {
  const chars = [...text];
  return chars.slice(1).map((c, i) => chars[i]! + c);
}

/** A deliverable as the linker sees it. */
export interface LinkableItem {
  readonly number: number;
  readonly title: string;
  /** Unit ids (or names) in the document's order. */
  readonly units: readonly string[];
}

/** Links every deliverable: by its title first, then by identical units, then by parallel numbering. */
export function linkDeliverables(items: readonly LinkableItem[], tasks: readonly LinkableTask[]): TaskLink[] {
  const links = items.map((item) => linkDeliverable(item.title, item.units, tasks));
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((u) => b.includes(u));
  links.forEach((link, i) => {
    if (link.how !== 'none' || items[i]!.units.length === 0) return;
    const matching = tasks.filter((task) => sameSet(task.units, items[i]!.units));
    if (matching.length === 1) links[i] = { how: 'units', task: matching[0]!.id };
  });
  const numberOf = new Map(tasks.map((task) => [task.id, task.number]));
  const parallel = items.length === tasks.length && items.length > 1
    && links.every((link, i) => link.how === 'none' || numberOf.get(link.task) === items[i]!.number);
  if (parallel) {
    links.forEach((link, i) => {
      const task = tasks.find((t) => t.number === items[i]!.number);
      if (link.how === 'none' && task) links[i] = { how: 'number', task: task.id };
    });
  }
  return links;
}
