/**
 * Reads the structure of a 工作要点 document in the seed's format: sections 一、…, tasks （一）… each followed by a
 * 责任单位 line, then 附件 with a numbered list of key deliverables. Pure: text in, structure and every oddity out.
 */
import { asciiAlnum, chineseNumber, chineseNumeral, cleanText, joinWrapped, withoutSpaces } from './text.ts';

/** A 责任单位 list as written, and the lines it took. */
export interface ParsedUnits {
  readonly names: string[];
  /** Line of the 责任单位 label. */
  readonly line: number;
}

export interface ParsedSection {
  readonly number: number;
  readonly title: string;
  readonly line: number;
}

export interface ParsedTask {
  readonly number: number;
  /** The section it appears under; undefined before the first section heading. */
  readonly section: number | undefined;
  /** Text up to the first 。. */
  readonly title: string;
  /** The whole paragraph, wrapped lines joined (deliverables are matched against it). */
  readonly text: string;
  readonly line: number;
  readonly units?: ParsedUnits;
}

/** A numbered item of the 附件 list. */
export interface ParsedItem {
  readonly number: number;
  readonly title: string;
  readonly line: number;
  readonly units?: ParsedUnits;
}

/** A line (or part of one) the reader could not give a place in the plan. */
export interface UnplacedLine {
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

/** Something the reader noticed and worked around: numbering out of order, a dangling 、, a title without 。. */
export interface ReaderNote {
  readonly line: number;
  readonly message: string;
}

export interface ParsedDocument {
  readonly title?: { readonly text: string; readonly line: number };
  /** An issuing organisation named on a line of its own above the title (`江北省信访局`). */
  readonly issuer?: { readonly text: string; readonly line: number };
  readonly sections: ParsedSection[];
  readonly tasks: ParsedTask[];
  readonly annex?: { readonly line: number; readonly heading: string; readonly declaredCount?: number };
  readonly items: ParsedItem[];
  readonly unplaced: UnplacedLine[];
  readonly notes: ReaderNote[];
}

interface Line {
  readonly number: number;
  readonly text: string;
}

type Kind = 'section' | 'task' | 'units' | 'annex' | 'item' | 'text';

const patterns = {
  section: /^([一二三四五六七八九十]+)\s*[、，,．.]\s*(.*)$/,
  task: /^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$/,
  units: /^责\s*任\s*单\s*位\s*[：:]\s*(.*)$/,
  // `附件`, `附件1`, `附件：`, or `附件：主要事项（共 13 项）` with the heading on the same line.
  annex: /^附\s*件\s*[0-9一二三四五六七八九十]*\s*(?:[：:]\s*(.*))?$/,
  // `1.`, `１．`, `1、`, `1，` — but not `2015.3` or a year such as `2015 年` starting a wrapped title.
  item: /^([0-9]{1,3})\s*(?:[.．](?![0-9])|[、，,])\s*(.*)$/,
} as const;

// A line naming only the issuing body (`江北省信访局`, `中共临江市委办公室`, `临江市人民政府信访局文件`).
const issuerLine = /^[\p{Script=Han}（）()]{2,24}(?:局|厅|委员会|委|办公室|政府|办)(?:文件)?$/u;

// A 责任单位 written at the end of a paragraph line rather than on its own line.
const inlineUnits = /^(.*?\S)\s*(责\s*任\s*单\s*位\s*[：:].*)$/;
const unitSeparators = /[、，,;；]/;
const sentenceEnd = /[。｡．]|\.(?![0-9])/;

/** Splits the text into numbered, trimmed, non-empty lines (a 责任单位 inside a line starts a line of its own). */
function logicalLines(text: string): Line[] {
  const lines: Line[] = [];
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, i) => {
    const text = asciiAlnum(raw.replace(/\u3000/g, ' ')).trim();
    if (text === '') return;
    const inline = inlineUnits.exec(text);
    if (inline && !patterns.units.test(text)) {
      lines.push({ number: i + 1, text: inline[1]! }, { number: i + 1, text: inline[2]! });
    } else {
      lines.push({ number: i + 1, text });
    }
  });
  return lines;
}

/** Reads the document's structure; never throws on odd input, it reports it. */
export function parseDocument(text: string): ParsedDocument {
  const lines = logicalLines(text);
  const sections: ParsedSection[] = [];
  const tasks: ParsedTask[] = [];
  const items: ParsedItem[] = [];
  const unplaced: UnplacedLine[] = [];
  const notes: ReaderNote[] = [];
  let title: ParsedDocument['title'];
  let issuer: ParsedDocument['issuer'];
  let annex: { line: number; heading: string; declaredCount?: number } | undefined;
  let inAnnex = false;
  let secondAnnex = false;

  // The task or item being read: its lines until its 责任单位, then closed.
  let open: { kind: 'task'; number: number; section: number | undefined; line: number; text: string; units?: ParsedUnits }
    | { kind: 'item'; number: number; line: number; text: string; units?: ParsedUnits } | undefined;

  const kindOf = (line: Line): Kind => {
    if (patterns.units.test(line.text)) return 'units';
    if (patterns.annex.test(line.text)) return 'annex';
    if (inAnnex) return patterns.item.test(line.text) ? 'item' : 'text';
    if (patterns.task.test(line.text)) return 'task';
    if (patterns.section.test(line.text)) return 'section';
    return 'text';
  };

  const close = () => {
    if (!open) return;
    if (open.kind === 'task') {
      const end = sentenceEnd.exec(open.text);
      if (!end) notes.push({ line: open.line, message: `task （${chineseNumeral(open.number)}） has no 。 ending its title; its whole text is taken as the title` });
      tasks.push({
        number: open.number, section: open.section, line: open.line, units: open.units,
        title: cleanText(end ? open.text.slice(0, end.index) : open.text), text: open.text,
      });
    } else {
      items.push({ number: open.number, title: cleanText(open.text.replace(/[。.]$/, '')), line: open.line, units: open.units });
    }
    open = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (secondAnnex) {
      unplaced.push({ line: line.number, text: line.text, why: 'in a second 附件 (only the first annex list is read)' });
      continue;
    }
    const kind = kindOf(line);
    if (kind === 'units') {
      const label = patterns.units.exec(line.text)![1]!;
      const { units, consumed } = readUnits(label, line, lines.slice(i + 1), kindOf, notes);
      i += consumed;
      if (open && !open.units) {
        open.units = units;
      } else {
        const why = open ? `a second 责任单位 for ${describeOpen(open)}` : 'a 责任单位 line with no task or deliverable before it';
        unplaced.push({ line: line.number, text: line.text, why });
      }
      continue;
    }
    if (kind === 'annex') {
      close();
      if (inAnnex) {
        secondAnnex = true;
        unplaced.push({ line: line.number, text: line.text, why: 'a second 附件 (only the first annex list is read)' });
      } else {
        inAnnex = true;
        annex = { line: line.number, heading: patterns.annex.exec(line.text)![1] ?? '' };
      }
      continue;
    }
    if (kind === 'section') {
      close();
      const [, numeral, rest] = patterns.section.exec(line.text)!;
      const number = chineseNumber(numeral!)!;
      const previous = sections.at(-1)?.number ?? 0;
      if (number !== previous + 1) notes.push({ line: line.number, message: `section ${numeral}、 follows ${previous === 0 ? 'no section' : `section ${chineseNumeral(previous)}、`}` });
      if (cleanText(rest!) === '') notes.push({ line: line.number, message: `section ${numeral}、 has no title` });
      sections.push({ number, title: cleanText(rest!), line: line.number });
      continue;
    }
    if (kind === 'task') {
      close();
      const [, numeral, rest] = patterns.task.exec(line.text)!;
      const number = chineseNumber(numeral!)!;
      const previous = tasks.at(-1)?.number ?? 0;
      if (number !== previous + 1) notes.push({ line: line.number, message: `task （${numeral}） follows ${previous === 0 ? 'no task' : `task （${chineseNumeral(previous)}）`}` });
      const section = sections.at(-1)?.number;
      if (section === undefined) notes.push({ line: line.number, message: `task （${numeral}） comes before any section 一、…` });
      open = { kind: 'task', number, section, line: line.number, text: rest! };
      continue;
    }
    if (kind === 'item') {
      close();
      const [, digits, rest] = patterns.item.exec(line.text)!;
      const number = Number(digits);
      const previous = items.at(-1)?.number ?? 0;
      if (number !== previous + 1) notes.push({ line: line.number, message: `deliverable ${number}. follows ${previous === 0 ? 'no deliverable' : `deliverable ${previous}.`}` });
      open = { kind: 'item', number, line: line.number, text: rest! };
      continue;
    }
    // Plain text: a wrapped line of the open task or item, the title, the preamble, the annex heading — or nothing.
    if (open && !open.units) {
      open.text = joinWrapped(open.text, line.text);
    } else if (inAnnex && items.length === 0 && !open) {
      annex!.heading = joinWrapped(annex!.heading, line.text);
    } else if (!title && !issuer && sections.length === 0 && tasks.length === 0 && !open && issuerLine.test(withoutSpaces(line.text))) {
      issuer = { text: withoutSpaces(line.text), line: line.number };
    } else if (!title && sections.length === 0 && tasks.length === 0 && !open) {
      title = { text: cleanText(line.text), line: line.number };
    } else if (sections.length === 0 && tasks.length === 0 && !open && !inAnnex) {
      // The preamble between the title and the first section: context, not plan data.
    } else {
      const why = open ? `text after the 责任单位 of ${describeOpen(open)}` : inAnnex ? 'text in the 附件 outside any numbered item' : `text in section ${chineseNumeral(sections.at(-1)?.number ?? 0)}、 outside any task`;
      unplaced.push({ line: line.number, text: line.text, why });
    }
  }
  close();

  if (annex) {
    annex.heading = cleanText(annex.heading);
    const declared = /共\s*([0-9]+)\s*项/.exec(annex.heading);
    if (declared) annex.declaredCount = Number(declared[1]);
  }
  return { title, issuer, sections, tasks, annex, items, unplaced, notes };
}

/**
 * Reads a 责任单位 list starting with the label's remainder. A list that is empty or ends with a separator
 * (、 , ，) continues on the next non-empty line, unless that line starts something else.
 */
function readUnits(first: string, label: Line, following: readonly Line[], kindOf: (line: Line) => Kind, notes: ReaderNote[]): { units: ParsedUnits; consumed: number } {
  let list = first;
  let consumed = 0;
  while (list.trim() === '' || /[、，,;；]\s*$/.test(list)) {
    const next = following[consumed];
    if (!next || kindOf(next) !== 'text') {
      if (list.trim() !== '') notes.push({ line: label.number, message: `the 责任单位 list ends with "${list.trim().at(-1)}" but no further unit follows` });
      break;
    }
    list += next.text;
    consumed += 1;
  }
  const names = list
    .split(unitSeparators)
    .map((name) => withoutSpaces(name).replace(/^[。.：:]+|[。.]+$/g, '').replace(/[（(]牵头[)）]$/, ''))
    .filter((name) => name !== '');
  return { units: { names, line: label.number }, consumed };
}

function describeOpen(open: { kind: 'task' | 'item'; number: number }): string {
  return open.kind === 'task' ? `task （${chineseNumeral(open.number)}）` : `deliverable ${open.number}.`;
}
