/** Turns a parsed 工作要点 into a plan skeleton: ids, units, supervisor and links guessed, every gap and guess recorded. */
import { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { Policy } from '../plan-schema.ts';
import { linkDeliverable, type TaskLink } from './link-deliverables.ts';
import type { ParsedDocument, ParsedUnits, ReaderNote, UnplacedLine } from './parse-document.ts';
import { chineseNumeral } from './text.ts';
import {
  businessUnitIds, defaultSupervisor, knownGroupId, knownUnitId, leadershipUnit, looksLikeGroup, looksLikeSupervisor,
} from './unit-names.ts';

export interface SkeletonUnit {
  readonly id: string;
  readonly name: string;
  readonly emails: string[];
  /** Why the unit is in the plan although its id is not from the table, or the document does not name it. */
  readonly origin: 'table' | 'invented' | 'assumed';
  /** First line naming it, when the document does. */
  readonly line?: number;
}

export interface SkeletonGroup {
  readonly id: string;
  readonly name: string;
  /** Guessed members (to confirm), or empty (to fill). */
  readonly members: string[];
  readonly invented: boolean;
  readonly line: number;
}

export interface SkeletonTask {
  readonly id: string;
  readonly number: number;
  readonly section: number | null;
  readonly title: string;
  readonly units: string[];
  readonly line: number;
  /** Line of its 责任单位, or undefined when the document gives none. */
  readonly unitsLine?: number;
}

export interface SkeletonDeliverable {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly task: string | null;
  readonly link: TaskLink;
  readonly units: string[];
  readonly line: number;
  readonly unitsLine?: number;
}

/** A field the person must fill (the plan fails validation until then) or should confirm (a guess that validates). */
export interface FieldNote {
  readonly path: string;
  readonly what: string;
}

/** A plan skeleton and everything the import guessed, invented or could not place. */
export interface PlanSkeleton {
  readonly source: string;
  readonly id: string;
  readonly title: string | null;
  readonly timezone: string;
  readonly year: number | null;
  readonly start: string | null;
  readonly end: string | null;
  /** False when the calendar package does not describe the plan's year: overrides are needed. */
  readonly calendarCovered: boolean;
  readonly units: SkeletonUnit[];
  readonly groups: SkeletonGroup[];
  readonly supervisor: { readonly id: string; readonly name: string; readonly named: boolean; readonly others: string[] };
  readonly escalation: { level: number; label: string; units: string[] }[];
  readonly policy: Policy;
  readonly sections: { number: number; title: string }[];
  readonly tasks: SkeletonTask[];
  readonly deliverables: SkeletonDeliverable[];
  readonly declaredCount?: number;
  readonly unplaced: UnplacedLine[];
  readonly notes: ReaderNote[];
  readonly toFill: FieldNote[];
  readonly toConfirm: FieldNote[];
}

/** Options of an import. */
export interface SkeletonOptions {
  /** File name shown in comments and the report. */
  readonly source: string;
  /** Domain of the placeholder addresses: `<id>@<mailDomain>`. */
  readonly mailDomain?: string;
}

/** The defaults the shipped plan uses; a person tunes them per plan. */
export const defaultPolicy: Policy = {
  reminderOffsets: [10, 5, 1], sendHour: 9, overdueRepeatEvery: 5, escalationThresholds: [0, 10], completion: 'lead', acceptanceRequired: true,
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Builds the skeleton of a parsed document. */
export function buildSkeleton(doc: ParsedDocument, options: SkeletonOptions): PlanSkeleton {
  const mailDomain = options.mailDomain ?? 'xinfang.example';
  const toFill: FieldNote[] = [];
  const toConfirm: FieldNote[] = [];
  const units: SkeletonUnit[] = [];
  const groups: SkeletonGroup[] = [];
  const unitOf = new Map<string, string>();

  // Units in the order the document first names them (tasks, then the annex), so the plan reads like the text.
  const idFor = (name: string, line: number): string => {
    const seen = unitOf.get(name);
    if (seen) return seen;
    let id: string;
    if (looksLikeGroup(name)) {
      id = knownGroupId(name) ?? `group-${groups.filter((g) => g.invented).length + 1}`;
      groups.push({ id, name, members: [], invented: knownGroupId(name) === undefined, line });
    } else {
      const known = knownUnitId(name);
      id = known ?? `unit-${units.filter((u) => u.origin === 'invented').length + 1}`;
      units.push({ id, name, emails: [`${id}@${mailDomain}`], origin: known ? 'table' : 'invented', line });
    }
    unitOf.set(name, id);
    return id;
  };
  const ids = (parsed: ParsedUnits | undefined) => (parsed ? parsed.names.map((name) => idFor(name, parsed.line)) : []);

  const taskIds = uniqueIds(doc.tasks.map((t) => `t${pad(t.number)}`));
  const tasks: SkeletonTask[] = doc.tasks.map((task, i) => ({
    id: taskIds[i]!, number: task.number, section: task.section ?? null, title: task.title, units: [...new Set(ids(task.units))],
    line: task.line, unitsLine: task.units?.line,
  }));
  const deliverableIds = uniqueIds(doc.items.map((d) => `d${pad(d.number)}`));
  const linkable = tasks.map((task, i) => ({ id: task.id, number: task.number, text: doc.tasks[i]!.text, units: task.units }));
  const deliverables: SkeletonDeliverable[] = doc.items.map((item, i) => {
    const itemUnits = [...new Set(ids(item.units))];
    const link = linkDeliverable(item.title, itemUnits, linkable);
    return {
      id: deliverableIds[i]!, number: item.number, title: item.title, task: link.how === 'none' ? null : link.task, link,
      units: itemUnits, line: item.line, unitsLine: item.units?.line,
    };
  });

  // The supervision office: the first unit whose name says so, else an assumed 督查室.
  const supervising = units.filter((u) => looksLikeSupervisor(u.name));
  let supervisor: PlanSkeleton['supervisor'];
  if (supervising.length > 0) {
    supervisor = { id: supervising[0]!.id, name: supervising[0]!.name, named: true, others: supervising.slice(1).map((u) => u.name) };
  } else {
    units.push({ ...defaultSupervisor, emails: [`${defaultSupervisor.id}@${mailDomain}`], origin: 'assumed' });
    supervisor = { ...defaultSupervisor, named: false, others: [] };
  }
  toConfirm.push({ path: 'supervisor', what: `${supervisor.name}（${supervisor.named ? '按名称猜测的督查部门' : '原文未提及督查部门，假定'}）` });
  if (!units.some((u) => u.id === leadershipUnit.id)) units.push({ ...leadershipUnit, emails: [`${leadershipUnit.id}@${mailDomain}`], origin: 'assumed' });
  toConfirm.push({ path: 'escalation', what: `第 1 级“督办”送${supervisor.name}，第 2 级“通报”送${leadershipUnit.name}（假定）` });

  const documentUnitIds = units.filter((u) => u.origin !== 'assumed').map((u) => u.id);
  groups.forEach((group, i) => {
    if (!group.invented) group.members.push(...businessUnitIds(documentUnitIds));
    if (group.members.length > 0) toConfirm.push({ path: `groups[${i}].members`, what: `“${group.name}”的成员（按业务司室猜测）` });
    else toFill.push({ path: `groups[${i}].members`, what: `“${group.name}”的成员单位 id（第 ${group.line} 行）` });
  });
  units.forEach((unit, i) => {
    if (unit.origin === 'invented') toConfirm.push({ path: `units[${i}].id`, what: `“${unit.name}”不在内置单位表中，id ${unit.id} 为自动编号（第 ${unit.line} 行）` });
  });
  toConfirm.push({ path: 'units[*].emails', what: '邮箱均为 .example 占位地址，请换成真实地址' });

  const title = doc.title ? doc.title.text.replace(/\s*(及|和)?(责任)?分工(方案)?$/, '') : null;
  const yearMatch = title ? /((?:19|20)[0-9]{2})\s*年/.exec(title) : null;
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const calendar = new WorkingDayCalendar('Asia/Shanghai');
  const calendarCovered = year !== null && calendar.covers(`${year}-01-01`);
  const id = `${title && /信访/.test(title) ? 'xinfang' : 'plan'}${year ? `-${year}` : ''}`;
  toConfirm.push({ path: 'id', what: `计划 id ${id}（按标题猜测）` });
  if (title === null) toFill.push({ path: 'title', what: '计划标题（原文第一行不是标题）' });
  if (year === null) toFill.push({ path: 'start', what: '计划开始日期（标题中没有年份）' }, { path: 'end', what: '计划结束日期' });
  else if (!calendarCovered) toFill.push({ path: 'calendar.overrides', what: `${year} 年的法定节假日和调休上班日（工作日历未收录该年）` });

  tasks.forEach((task, i) => {
    if (task.section === null) toFill.push({ path: `tasks[${i}].section`, what: `第（${chineseNumeral(task.number)}）项所属部分（第 ${task.line} 行之前没有“一、”）` });
    if (task.units.length === 0) toFill.push({ path: `tasks[${i}].units`, what: `第（${chineseNumeral(task.number)}）项的责任单位（原文第 ${task.line} 行起未写）` });
  });
  deliverables.forEach((d, i) => {
    if (d.task === null) toFill.push({ path: `deliverables[${i}].task`, what: `事项 ${d.number} 所属任务（未能按原文关联，第 ${d.line} 行）` });
    else if (d.link.how === 'close') toConfirm.push({ path: `deliverables[${i}].task`, what: `事项 ${d.number} 按相近措辞关联到 ${d.task}` });
    if (d.units.length === 0) toFill.push({ path: `deliverables[${i}].units`, what: `事项 ${d.number} 的责任单位（原文第 ${d.line} 行起未写）` });
  });
  if (deliverables.length > 0) toFill.push({ path: 'deliverables[*].due', what: `${deliverables.length} 个事项的截止日期 YYYY-MM-DD（原文未给出，现为 null）` });

  // Listed in the order the fields appear in the file.
  const order = ['id', 'title', 'start', 'end', 'calendar', 'units', 'groups', 'supervisor', 'escalation', 'tasks', 'deliverables'];
  const rank = (note: FieldNote) => order.indexOf(/^[a-z]+/i.exec(note.path)![0]);
  toConfirm.sort((a, b) => rank(a) - rank(b));
  toFill.sort((a, b) => rank(a) - rank(b));

  return {
    source: options.source, id, title, timezone: 'Asia/Shanghai', year,
    start: year === null ? null : calendarCovered ? firstWeekdayAtWork(calendar, year) : `${year}-01-01`,
    end: year === null ? null : `${year}-12-31`,
    calendarCovered, units, groups, supervisor,
    escalation: [{ level: 1, label: '督办', units: [supervisor.id] }, { level: 2, label: '通报', units: [leadershipUnit.id] }],
    policy: defaultPolicy,
    sections: doc.sections.map((s) => ({ number: s.number, title: s.title })),
    tasks, deliverables, declaredCount: doc.annex?.declaredCount, unplaced: doc.unplaced, notes: doc.notes, toFill, toConfirm,
  };
}

/** The year's first working day from Monday to Friday (a weekend make-up day 调休 is no day to start a plan on). */
function firstWeekdayAtWork(calendar: WorkingDayCalendar, year: number): string {
  let day = calendar.onOrAfter(`${year}-01-01`);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = calendar.nextWorkingDay(day);
  return day;
}

/** The ids as given, with `-2`, `-3` … added to repeats (a document numbering two tasks alike). */
function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    return count === 1 ? id : `${id}-${count}`;
  });
}
