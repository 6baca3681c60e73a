/** `plan import` without the I/O: document bytes in, a plan skeleton's YAML and a report out. */
import { buildSkeleton, type PlanSkeleton, type SkeletonOptions } from './build-skeleton.ts';
import { parseDocument } from './parse-document.ts';
import { renderSkeletonYaml } from './render-yaml.ts';
import { chineseNumeral } from './text.ts';

/** A file that is not a 工作要点 in the seed's format; the message completes "FILE …" (`is a PDF file: …`). */
export class UnsupportedDocumentError extends Error {
  override readonly name = 'UnsupportedDocumentError';
}

/** What an import produced. */
export interface ImportResult {
  readonly skeleton: PlanSkeleton;
  readonly yaml: string;
  /** Report lines for a person (stderr): counts, guesses, gaps, every line not placed. */
  readonly report: string[];
}

/** Decodes a text file: UTF-16 with a BOM (Windows "Unicode"), UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312). */
export function decodeDocument(bytes: Uint8Array): { text: string; encoding: 'UTF-8' | 'GB18030' | 'UTF-16' } {
  const magic = Buffer.from(bytes.subarray(0, 8));
  if (magic.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) throw new UnsupportedDocumentError('is a zip archive (a .docx?): save the document as plain text (.txt) first');
  if (magic.equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'))) throw new UnsupportedDocumentError('is a Word 97–2003 file: save the document as plain text (.txt) first');
  if (magic.subarray(0, 5).toString('latin1') === '%PDF-') throw new UnsupportedDocumentError('is a PDF file: copy its text into a plain text (.txt) file first');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { text: new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes), encoding: 'UTF-16' };
  }
  if (bytes.includes(0)) throw new UnsupportedDocumentError('is a binary file, not text');
  for (const encoding of ['UTF-8', 'GB18030'] as const) {
    try {
      return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
    } catch {
      // try the next encoding
    }
  }
  throw new UnsupportedDocumentError('is neither UTF-8 nor GB18030 text');
}

/** Imports a document's text; throws {@link UnsupportedDocumentError} when it has no task and no annex list. */
export function importWorkPlan(text: string, options: SkeletonOptions): ImportResult {
  const doc = parseDocument(text);
  if (doc.tasks.length === 0 && doc.items.length === 0) {
    throw new UnsupportedDocumentError('has no task （一）… and no numbered 附件 list: it is not a 工作要点 in the supported format');
  }
  const skeleton = buildSkeleton(doc, options);
  return { skeleton, yaml: renderSkeletonYaml(skeleton), report: importReport(skeleton) };
}

/** The report lines: one fact per line, located by line number where the document has one. */
export function importReport(plan: PlanSkeleton): string[] {
  const lines: string[] = [];
  const name = (id: string) => plan.units.find((u) => u.id === id)?.name ?? plan.groups.find((g) => g.id === id)?.name ?? id;
  const declared = plan.declaredCount === undefined ? '' : plan.declaredCount === plan.deliverables.length ? ` (附件 says 共 ${plan.declaredCount} 项)` : ` — but 附件 says 共 ${plan.declaredCount} 项`;
  const named = plan.units.filter((u) => u.origin !== 'assumed');
  lines.push(`read: ${count(plan.sections.length, 'section')}, ${count(plan.tasks.length, 'task')}, ${count(plan.deliverables.length, 'deliverable')}${declared}, ${count(named.length, 'unit')}, ${count(plan.groups.length, 'group')}`);
  lines.push(`plan: id ${plan.id} (${plan.organisation ? `from the issuer ${plan.organisation} and the year` : 'guessed from the title: the document names no issuer; make it <organisation>-<year>'}), ${plan.title ?? 'no title'}, ${plan.start ?? '?'} – ${plan.end ?? '?'}`);
  if (plan.calendarFile) lines.push(`calendar: ${plan.year} from the shipped calendar file ${plan.calendarFile}`);
  else if (!plan.calendarCovered && plan.year !== null) lines.push(`calendar: no calendar knows ${plan.year}: import the State Council's 节假日安排 notice (\`duban calendar import\`) and fill \`calendar.files\``);
  lines.push(plan.supervisor.named
    ? `supervisor: ${plan.supervisor.name} → ${plan.supervisor.id} (guessed from its name; confirm \`supervisor\`)${plan.supervisor.others.length ? `; also named: ${plan.supervisor.others.join('、')}` : ''}`
    : `supervisor: none named in the document; assumed 督查室 → ${plan.supervisor.id} (confirm \`supervisor\`)`);
  for (const unit of plan.units.filter((u) => u.origin === 'assumed' && u.id !== plan.supervisor.id)) {
    lines.push(`assumed unit: ${unit.name} → ${unit.id}, the level-2 escalation (通报) contact; the document names none`);
  }
  plan.groups.forEach((group, i) => {
    lines.push(group.members.length > 0
      ? `group: line ${group.line}: ${group.name} → ${group.id}, members guessed as ${group.members.map(name).join('、')} (confirm \`groups[${i}].members\`)`
      : `group: line ${group.line}: ${group.name} → ${group.id}, members unknown: which units does it mean? (fill \`groups[${i}].members\` from ${group.candidates.join(', ') || 'the units'})`);
  });
  for (const unit of plan.units.filter((u) => u.origin === 'pinyin')) {
    lines.push(`new unit: line ${unit.line}: ${unit.name} → ${unit.id} (id from its pinyin, address ${unit.emails[0]})`);
  }
  plan.tasks.forEach((task, i) => {
    if (task.units.length === 0) lines.push(`missing 责任单位: line ${task.line}: task （${chineseNumeral(task.number)}） ${task.title} — units left empty (fill \`tasks[${i}].units\`)`);
  });
  plan.deliverables.forEach((d, i) => {
    if (d.units.length === 0) lines.push(`missing 责任单位: line ${d.line}: deliverable ${d.number}. ${d.title} — units left empty (fill \`deliverables[${i}].units\`)`);
  });
  plan.deliverables.forEach((d, i) => {
    const task = plan.tasks.find((t) => t.id === d.task);
    if (d.link.how === 'close') {
      lines.push(`close link: line ${d.line}: deliverable ${d.number}. ${d.title} → task （${chineseNumeral(task!.number)}） ${task!.title} (${d.link.shared} of ${d.link.of} character pairs; confirm \`deliverables[${i}].task\`)`);
    } else if (d.link.how === 'units') {
      lines.push(`units link: line ${d.line}: deliverable ${d.number}. ${d.title} → task （${chineseNumeral(task!.number)}） ${task!.title} (the only task with the same units; confirm \`deliverables[${i}].task\`)`);
    } else if (d.link.how === 'number') {
      lines.push(`number link: line ${d.line}: deliverable ${d.number}. ${d.title} → task （${chineseNumeral(task!.number)}） ${task!.title} (the annex numbers one item per task; confirm \`deliverables[${i}].task\`)`);
    } else if (d.link.how === 'none') {
      lines.push(`unlinked: line ${d.line}: deliverable ${d.number}. ${d.title} — no task mentions it (fill \`deliverables[${i}].task\`)`);
    }
    if (task && task.units.length > 0 && d.units.some((u) => !task.units.includes(u))) {
      lines.push(`note: line ${d.line}: deliverable ${d.number}'s units ${d.units.filter((u) => !task.units.includes(u)).map(name).join('、')} are not among task （${chineseNumeral(task.number)}）'s units`);
    }
  });
  for (const warning of plan.warnings) lines.push(`warning: line ${warning.line}: ${warning.message}`);
  for (const note of plan.notes) lines.push(`note: line ${note.line}: ${note.message}`);
  for (const line of plan.unplaced) lines.push(`unplaced: line ${line.line}: ${line.why}: ${line.text.length > 40 ? `${line.text.slice(0, 40)}…` : line.text}`);
  lines.push(`to fill before \`duban plan validate\` passes: ${plan.toFill.map((f) => f.path).join(', ') || 'nothing'}`);
  return lines;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
