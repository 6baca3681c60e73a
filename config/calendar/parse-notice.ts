/**
 * Reads the State Council's yearly 节假日安排 notice (国务院办公厅关于YYYY年部分节假日安排的通知) as published:
 * numbered items `一、元旦：…`, each with its days off (`放假` / `放假调休` / `补休`, a range `9月30日至10月7日`), the
 * stated total (`共8天`), and the make-up workdays (`…上班`). Pure: text in, holidays, workdays and problems out.
 */
import { chineseNumber } from '../import/text.ts';
import { isIsoDate, isoDateOf, parseIsoDate, shiftIsoDate, type IsoDate } from '../../domain/iso-date.ts';

/** Days off of one festival, as one continuous range. */
export interface NoticeHoliday {
  readonly name: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** 1-based line of the item in the notice. */
  readonly line: number;
}

/** A make-up workday (调休上班): a weekend day that is worked in exchange for a day off. */
export interface NoticeWorkday {
  readonly date: IsoDate;
  /** The festival whose item names it. */
  readonly holiday: string;
  readonly line: number;
}

/** A problem in the notice: an error stops the import, a warning is reported. */
export interface NoticeProblem {
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly message: string;
}

/** What the notice says. */
export interface ParsedNotice {
  readonly year?: number;
  /** The notice's title line, as published. */
  readonly title?: string;
  readonly holidays: NoticeHoliday[];
  readonly workdays: NoticeWorkday[];
  /** Sentences read but not turned into days (e.g. 鼓励…安排职工在除夕休息), with their lines. */
  readonly notes: { readonly line: number; readonly text: string }[];
  readonly problems: NoticeProblem[];
}

const weekdayNames = ['一', '二', '三', '四', '五', '六', '日'];

/** `星期三` for a date. */
export function weekdayName(date: IsoDate): string {
  return `星期${weekdayNames[parseIsoDate(date).weekday - 1]}`;
}

// After NFKC folding (full-width digits and punctuation become ASCII) and without spaces.
const dateSpec = String.raw`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?`;
const offClause = new RegExp(String.raw`^${dateSpec}(?:至${dateSpec})?(放假调休|调休放假|放假公休|放假|补休|调休)(?:(\d+)天)?$`);
const workClause = new RegExp(String.raw`^((?:${dateSpec}、)*${dateSpec})(?:上班|补班)$`);
const singleDate = new RegExp(dateSpec, 'g');
const itemStart = /^([一二三四五六七八九十]+|\d+)[、.](.+)$/;

/** Parses a notice; `year` is taken from the title unless given. */
export function parseNotice(text: string, options: { year?: number } = {}): ParsedNotice {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((raw) => raw.normalize('NFKC').replace(/\s+/g, ''));
  const problems: NoticeProblem[] = [];
  const notes: ParsedNotice['notes'] = [];
  const holidays: NoticeHoliday[] = [];
  const workdays: NoticeWorkday[] = [];
  const titleIndex = lines.findIndex((l) => /节假日安排/.test(l));
  const title = titleIndex >= 0 ? text.split(/\r\n|\r|\n/)[titleIndex]!.trim() : undefined;
  const titleYear = titleIndex >= 0 ? /(\d{4})年/.exec(lines[titleIndex]!)?.[1] : undefined;
  const year = options.year ?? (titleYear ? Number(titleYear) : undefined);
  if (year === undefined) {
    problems.push({ severity: 'error', line: Math.max(1, titleIndex + 1), message: 'no year: the title should read 国务院办公厅关于YYYY年部分节假日安排的通知 (or pass --year)' });
    return { title, holidays, workdays, notes, problems };
  }

  // Items: `一、name：body`, the body running on over wrapped lines until it ends with 。 and a new paragraph starts.
  // A line starting with a date continues the item even after a 。 (a paragraph wrapped between two sentences);
  // a blank line or a line of prose closes it.
  const items: { name: string; body: string; line: number }[] = [];
  let open: (typeof items)[number] | undefined;
  lines.forEach((line, i) => {
    if (line === '') {
      open = undefined;
      return;
    }
    const start = itemStart.exec(line);
    const colon = start ? start[2]!.indexOf(':') : -1;
    if (start && colon > 0 && (chineseNumber(start[1]!) !== undefined || /^\d+$/.test(start[1]!))) {
      open = { name: start[2]!.slice(0, colon), body: start[2]!.slice(colon + 1), line: i + 1 };
      items.push(open);
      return;
    }
    if (open && (!open.body.endsWith('。') || /^(\d{4}年)?\d{1,2}月\d{1,2}日/.test(line))) {
      open.body += line;
      return;
    }
    open = undefined;
    // Prose around the items (title, addressees, closing, signature) is skipped, but not a line that arranges days.
    if (/\d+月\d+日/.test(line) && /(放假|上班|补休|调休)/.test(line) && i !== titleIndex) {
      problems.push({ severity: 'error', line: i + 1, message: `cannot read: a line that arranges days but is not a numbered item (一、节日：…): "${clip(line)}"` });
    }
  });
  if (items.length === 0) problems.push({ severity: 'error', line: 1, message: 'no numbered item (一、元旦：…) found: is this the 节假日安排 notice?' });

  for (const item of items) {
    const itemHolidays: NoticeHoliday[] = [];
    let month: number | undefined;
    const date = (m: RegExpExecArray | string[], at: number): IsoDate | undefined => {
      const [y, mo, d, note] = [m[at], m[at + 1], m[at + 2], m[at + 3]];
      if (mo) month = Number(mo);
      if (month === undefined) {
        problems.push({ severity: 'error', line: item.line, message: `${item.name}: a date with no month ("${d}日")` });
        return undefined;
      }
      const iso = isoDateOf(Number(y ?? year), month, Number(d));
      if (!isIsoDate(iso)) {
        problems.push({ severity: 'error', line: item.line, message: `${item.name}: ${month}月${d}日 is not a date of ${y ?? year}` });
        return undefined;
      }
      if (Number(iso.slice(0, 4)) !== year) problems.push({ severity: 'warning', line: item.line, message: `${item.name}: ${iso} lies outside ${year}: it is kept in the file, but only ${iso.slice(0, 4)}'s calendar file changes that day` });
      const stated = note?.split(/[、,]/).map((part) => /^(?:周|星期|礼拜)([一二三四五六日天])$/.exec(part)?.[1]).find(Boolean);
      if (stated && weekdayName(iso) !== `星期${stated === '天' ? '日' : stated}`) {
        problems.push({ severity: 'error', line: item.line, message: `${item.name}: ${month}月${Number(d)}日 is a ${weekdayName(iso)}, but the notice says 星期${stated}` });
      }
      return iso;
    };

    for (const sentence of item.body.split('。').filter((s) => s !== '')) {
      if (/鼓励|提倡|倡导/.test(sentence)) {
        notes.push({ line: item.line, text: sentence });
        continue;
      }
      for (const clause of splitOutsideParentheses(sentence)) {
        const off = offClause.exec(clause);
        const work = off ? undefined : workClause.exec(clause);
        const total = /^共(\d+)天$/.exec(clause);
        if (off) {
          const from = date(off, 1);
          const to = off[7] ? date(off, 5) : from;
          if (!from || !to) continue;
          if (to < from) {
            problems.push({ severity: 'error', line: item.line, message: `${item.name}: the range ends (${to}) before it starts (${from})` });
            continue;
          }
          const holiday = { name: item.name, from, to, line: item.line };
          itemHolidays.push(holiday);
          if (off[10]) checkTotal(item, [holiday], Number(off[10]), problems);
        } else if (work) {
          for (const m of work[1]!.matchAll(singleDate)) {
            const day = date(m, 1);
            if (day) workdays.push({ date: day, holiday: item.name, line: item.line });
          }
        } else if (total) {
          if (itemHolidays.length === 0) problems.push({ severity: 'error', line: item.line, message: `${item.name}: "${clause}" with no days off before it` });
          else checkTotal(item, itemHolidays, Number(total[1]), problems);
        } else if (!/^(与周末连休|不调休|放假)$/.test(clause)) {
          problems.push({ severity: 'error', line: item.line, message: `${item.name}: cannot read "${clip(clause)}"` });
        }
      }
    }
    if (itemHolidays.length === 0 && !problems.some((p) => p.line === item.line && p.severity === 'error')) {
      problems.push({ severity: 'error', line: item.line, message: `${item.name}: no days off found in the item` });
    }
    holidays.push(...itemHolidays);
  }
  problems.push(...consistencyProblems(holidays, workdays));
  problems.sort((a, b) => a.line - b.line);
  return { year, title, holidays, workdays, notes, problems };
}

/** Every day of a holiday range. */
export function rangeDays(holiday: { readonly from: IsoDate; readonly to: IsoDate }): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = holiday.from; day <= holiday.to; day = shiftIsoDate(day, 1)) days.push(day);
  return days;
}

function checkTotal(item: { name: string; line: number }, ranges: readonly NoticeHoliday[], stated: number, problems: NoticeProblem[]): void {
  const counted = new Set(ranges.flatMap(rangeDays)).size;
  if (counted !== stated) problems.push({ severity: 'error', line: item.line, message: `${item.name}: the notice says 共${stated}天 but the dates give ${counted} days` });
}

/** Cross-item checks: a workday must be a weekend day and no day can be both off and worked. */
function consistencyProblems(holidays: readonly NoticeHoliday[], workdays: readonly NoticeWorkday[]): NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  const offBy = new Map<IsoDate, NoticeHoliday>();
  for (const holiday of holidays) {
    for (const day of rangeDays(holiday)) {
      const other = offBy.get(day);
      if (other && other.name !== holiday.name) problems.push({ severity: 'warning', line: holiday.line, message: `${holiday.name}: ${day} is also a day off of ${other.name} (line ${other.line})` });
      offBy.set(day, holiday);
    }
  }
  const seen = new Set<IsoDate>();
  for (const workday of workdays) {
    if (seen.has(workday.date)) problems.push({ severity: 'warning', line: workday.line, message: `${workday.holiday}: ${workday.date} is named as a workday twice` });
    seen.add(workday.date);
    const off = offBy.get(workday.date);
    if (off) problems.push({ severity: 'error', line: workday.line, message: `${workday.holiday}: ${workday.date} is both a workday and a day off of ${off.name} (line ${off.line})` });
    if (parseIsoDate(workday.date).weekday <= 5) {
      problems.push({ severity: 'warning', line: workday.line, message: `${workday.holiday}: the make-up workday ${workday.date} is a ${weekdayName(workday.date)}, a working day anyway; 调休上班 days fall on weekends` });
    }
  }
  return problems;
}

/** Splits at `,` and `;` that are not inside `( )` (annotations such as `(农历除夕、周二)` stay whole). */
function splitOutsideParentheses(sentence: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of sentence) {
    if (c === '(') depth += 1;
    if (c === ')') depth = Math.max(0, depth - 1);
    if ((c === ',' || c === ';') && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.filter((p) => p !== '');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
