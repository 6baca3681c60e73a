/** A notice as structured content, written once by a template and rendered twice: HTML and plain text. */
import type { Light } from '../../workflows/definitions.ts';
import type { ActionLinks } from './action-links.ts';

/** A table cell: text, or a traffic light (rendered as its colour and its name). */
export type Cell = string | { readonly light: Light };

/** A table of deliverables (digest, final report). */
export interface DocTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** One item of a list notice (a combined 交办通知): its heading, facts and the unit's own links for it. */
export interface DocItem {
  readonly heading: string;
  readonly facts: readonly (readonly [label: string, value: string])[];
  readonly links?: ActionLinks;
}

/** Everything a template decides; the renderers decide nothing but layout and escaping. */
export interface MailDoc {
  readonly subject: string;
  /** The notice's title line, e.g. 交办通知. */
  readonly heading: string;
  /** The addressee line, e.g. `综合指导司：`. */
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  /** Quoted statements set apart from the body: 督办意见, 退回理由, … */
  readonly quotes?: readonly (readonly [label: string, text: string])[];
  /** Label and value lines: 督办事项, 责任单位, 办理期限, … */
  readonly facts?: readonly (readonly [label: string, value: string])[];
  readonly table?: DocTable;
  /** Items listed one after another, each with its own links (a combined notice). */
  readonly items?: readonly DocItem[];
  readonly links?: ActionLinks;
  /** The sentence under a unit's signed links: personal, expiring, whom to ask (the office's supervisor). */
  readonly linkNotice?: string;
  /** Set on a copy to a unit that is informed, not responsible. */
  readonly copyNote?: string;
  readonly signature: string;
  readonly date: string;
}
