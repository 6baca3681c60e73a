/** Turns a parsed 工作要点 into a plan skeleton: ids, units, supervisor and links guessed, every gap and guess recorded. */
import { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { Policy } from '../plan-schema.ts';
import { linkDeliverables, type TaskLink } from './link-deliverables.ts';
import type { ParsedDocument, ParsedUnits, ReaderNote, UnplacedLine } from './parse-document.ts';
import { chineseNumeral } from './text.ts';
import { planIdFor } from './plan-id.ts';
import {
  defaultSupervisor, guessGroupMembers, knownGroupId, knownUnitId, leadershipUnit, looksLikeGroup, looksLikeSupervisor, readableId,
} from './unit-names.ts';

export interface SkeletonUnit {
  readonly id: string;
  readonly name: string;
  readonly emails: string[];
  /** Why the unit is in the plan although its id is not from the table, or the document does not name it. */
  readonly origin: 'table' | 'pinyin' | 'assumed';
  /** First line naming it, when the document does. */
  readonly line?: number;
}

export interface SkeletonGroup {
  readonly id: string;
  readonly name: string;
  /** Guessed members (to confirm), or empty (to fill). */
  readonly members: string[];
  /** Units a person might pick from when no member could be guessed. */
  readonly candidates: string[];
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
  /** False when neither the calendar package nor a shipped calendar file describes the plan's year. */
  readonly calendarCovered: boolean;
  /** The shipped calendar file for the plan's year (`cn-2027.yaml`) when the package lacks the year and there is one. */
  readonly calendarFile?: string;
  /** The issuing organisation the plan id was made from; absent when the id is a guess from the title's subject. */
  readonly organisation?: string;
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
  /** Things that will run differently than a reader may expect (a supervisor-led item skips level 1). */
  readonly warnings: ReaderNote[];
  readonly toFill: FieldNote[];
  readonly toConfirm: FieldNote[];
}

/** Options of an import. */
export interface SkeletonOptions {
  /** File name shown in comments and the report. */
  readonly source: string;
  /** Domain of the placeholder addresses: `<id>@<mailDomain>`. */
  readonly mailDomain?: string;
  /** The shipped calendar file for a year, when there is one (`cn-2027.yaml`); the import itself reads no files. */
  readonly calendarFileFor?: (year: number) => string | undefined;
}

/** The defaults the shipped plan uses; a person tunes them per plan. */
export const defaultPolicy: Policy = {
  reminderOffsets: [10, 5, 1], sendHour: 9, overdueRepeatEvery: 5, escalationThresholds: [0, 10], completion: 'lead', acceptanceRequired: true,
  acknowledgeWithin: 3, acknowledgementPausesEscalation: 5, instructionReminderDays: 5,
};

const pad = (n: number) => String(n).padStart(2, '0');

const linkReason = { close: '按相近措辞', units: '按相同的责任单位', number: '按附件与任务的平行编号' } as const;

/** Builds the skeleton of a parsed document. */
export function buildSkeleton(doc: ParsedDocument, options: SkeletonOptions): PlanSkeleton {
  const mailDomain = options.mailDomain ?? 'xinfang.example';
  const toFill: FieldNote[] = [];
  const toConfirm: FieldNote[] = [];
  const units: SkeletonUnit[] = [];
  const groups: SkeletonGroup[] = [];
  const unitOf = new Map<string, string>();

  // Units in the order the document first names them (tasks, then the annex), so the plan reads like the text.
  const taken = new Set<string>();
  const unique = (id: string) => {
    let candidate = id;
    for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
    taken.add(candidate);
    return candidate;
  };
  const idFor = (name: string, line: number): string => {
    const seen = unitOf.get(name);
    if (seen) return seen;
    let id: string;
    if (looksLikeGroup(name)) {
      // `各相关科室` reads as 各 + 相关科室: keep the leading 各 a word of its own.
      id = unique(knownGroupId(name) ?? (name.startsWith('各') ? `ge-${readableId(name.slice(1))}` : readableId(name)));
      groups.push({ id, name, members: [], candidates: [], line });
    } else {
      const known = knownUnitId(name);
      id = unique(known ?? readableId(name));
      units.push({ id, name, emails: [`${id}@${mailDomain}`], origin: known ? 'table' : 'pinyin', line });
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
  const itemUnits = doc.items.map((item) => [...new Set(ids(item.units))]);
  const links = linkDeliverables(doc.items.map((item, i) => ({ number: item.number, title: item.title, units: itemUnits[i]! })), linkable);
  const deliverables: SkeletonDeliverable[] = doc.items.map((item, i) => {
    const link = links[i]!;
    return {
      id: deliverableIds[i]!, number: item.number, title: item.title, task: link.how === 'none' ? null : link.task, link,
      units: itemUnits[i]!, line: item.line, unitsLine: item.units?.line,
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

  const documentUnits = units.filter((u) => u.origin !== 'assumed');
  groups.forEach((group, i) => {
    group.members.push(...guessGroupMembers(group.name, documentUnits).filter((id) => id !== supervisor.id));
    if (group.members.length > 0) {
      toConfirm.push({ path: `groups[${i}].members`, what: `“${group.name}”的成员（按名称猜测的业务部门，未含督查部门和办公室等）` });
    } else {
      group.candidates.push(...documentUnits.filter((u) => u.id !== supervisor.id).map((u) => u.id));
      toFill.push({ path: `groups[${i}].members`, what: `“${group.name}”的成员单位 id（第 ${group.line} 行；可选：${group.candidates.join('、') || '无'}）` });
    }
  });
  units.forEach((unit, i) => {
    if (unit.origin === 'pinyin') toConfirm.push({ path: `units[${i}].id`, what: `“${unit.name}”不在内置单位表中，id ${unit.id} 取自其拼音（第 ${unit.line} 行）` });
  });

  // An item the supervisor itself is responsible for cannot be supervised by it: level 1 passes to level 2.
  const warnings: ReaderNote[] = [];
  const membersOf = (id: string) => groups.find((g) => g.id === id)?.members ?? [id];
  for (const d of deliverables) {
    const resolved = d.units.flatMap(membersOf);
    if (!resolved.includes(supervisor.id)) continue;
    const role = resolved[0] === supervisor.id ? `is led by ${supervisor.name}, the supervisor` : `has ${supervisor.name}, the supervisor, among its units`;
    warnings.push({
      line: d.line,
      message: `deliverable ${d.number}. ${d.title} ${role}: level 1 (督办 → ${supervisor.name}) is skipped for it, its first escalation goes to level 2 (通报 → ${leadershipUnit.name}); confirm \`escalation\` or give it another level-1 contact`,
    });
  }
  toConfirm.push({ path: 'units[*].emails', what: '邮箱均为 .example 占位地址，请换成真实地址' });

  const title = doc.title ? doc.title.text.replace(/\s*(及|和)?(责任)?分工(方案)?$/, '') : null;
  const yearMatch = title ? /((?:19|20)[0-9]{2})\s*年/.exec(title) : null;
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const calendar = new WorkingDayCalendar('Asia/Shanghai');
  const packageCovers = year !== null && calendar.covers(`${year}-01-01`);
  const calendarFile = year !== null && !packageCovers ? options.calendarFileFor?.(year) : undefined;
  const calendarCovered = packageCovers || calendarFile !== undefined;
  const { id, organisation } = planIdFor({ title, issuer: doc.issuer?.text, year });
  toConfirm.push({ path: 'id', what: organisation ? `计划 id ${id}（取自发文单位“${organisation}”和年份）` : `计划 id ${id}（原文未写明发文单位，按标题主题猜测；请改为“单位简称-年份”，以免与其他单位的计划重名）` });
  if (title === null) toFill.push({ path: 'title', what: '计划标题（原文第一行不是标题）' });
  if (year === null) toFill.push({ path: 'start', what: '计划开始日期（标题中没有年份）' }, { path: 'end', what: '计划结束日期' });
  else if (calendarFile) toConfirm.push({ path: 'calendar.files', what: `${year} 年节假日取自 ${calendarFile}` });
  else if (!calendarCovered) toFill.push({ path: 'calendar.files', what: `${year} 年的节假日日历：用 duban calendar import 导入国务院办公厅节假日安排通知，生成 config/calendars/cn-${year}.yaml` });

  tasks.forEach((task, i) => {
    if (task.section === null) toFill.push({ path: `tasks[${i}].section`, what: `第（${chineseNumeral(task.number)}）项所属部分（第 ${task.line} 行之前没有“一、”）` });
    if (task.units.length === 0) toFill.push({ path: `tasks[${i}].units`, what: `第（${chineseNumeral(task.number)}）项的责任单位（原文第 ${task.line} 行起未写）` });
  });
  deliverables.forEach((d, i) => {
    if (d.task === null || d.link.how === 'none') toFill.push({ path: `deliverables[${i}].task`, what: `事项 ${d.number} 所属任务（未能按原文关联，第 ${d.line} 行）` });
    else if (d.link.how !== 'exact') toConfirm.push({ path: `deliverables[${i}].task`, what: `事项 ${d.number} ${linkReason[d.link.how]}关联到 ${d.task}` });
    if (d.units.length === 0) toFill.push({ path: `deliverables[${i}].units`, what: `事项 ${d.number} 的责任单位（原文第 ${d.line} 行起未写）` });
  });
  if (deliverables.length > 0) toFill.push({ path: 'deliverables[*].due', what: `${deliverables.length} 个事项的截止日期 YYYY-MM-DD（原文未给出，现为 null）` });

  // Listed in the order the fields appear in the file.
  const order = ['id', 'title', 'start', 'end', 'calendar', 'units', 'groups', 'supervisor', 'escalation', 'tasks', 'deliverables'];
  const rank = (note: FieldNote) => order.indexOf(/^[a-z]+/i.exec(note.path)![0]);
  toConfirm.sort((a, b) => rank(a) - rank(b));
  toFill.sort((a, b) => rank(a) - rank(b));

  return {
    source: options.source, id, ...(organisation ? { organisation } : {}), title, timezone: 'Asia/Shanghai', year,
    start: year === null ? null : packageCovers ? firstWeekdayAtWork(calendar, year) : `${year}-01-01`,
    end: year === null ? null : `${year}-12-31`,
    calendarCovered, ...(calendarFile ? { calendarFile } : {}), units, groups, supervisor,
    escalation: [{ level: 1, label: '督办', units: [supervisor.id] }, { level: 2, label: '通报', units: [leadershipUnit.id] }],
    policy: defaultPolicy,
    sections: doc.sections.map((s) => ({ number: s.number, title: s.title })),
    tasks, deliverables, declaredCount: doc.annex?.declaredCount, unplaced: doc.unplaced, notes: doc.notes, warnings, toFill, toConfirm,
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
