/** Text helpers for reading a 工作要点 document: width variants, spacing, Chinese numerals. */

const fullWidthAlnum = /[０-９Ａ-Ｚａ-ｚ]/g;

/** Full-width digits and Latin letters as ASCII (punctuation keeps its width: titles quote the document). */
export function asciiAlnum(text: string): string {
  return text.replace(fullWidthAlnum, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

// Ideographs and the full-width punctuation around them; a space between two of these is layout, not content.
const cjk = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201f\\u2026\\u2014';
const layoutSpace = new RegExp(`(?<=[${cjk}]) +| +(?=[${cjk}])`, 'gu');
const spaceBetweenCjk = new RegExp(`(?<=[${cjk}]) +(?=[${cjk}])`, 'gu');

/**
 * A title or name as plain text: ASCII digits, one space where the document has a run of them, none between two
 * Chinese characters (`进一步推行 “阳光信访” 新模式` → `进一步推行“阳光信访”新模式`), while a space beside a number
 * stays (`组织实施 2014 年`), as the document writes it.
 */
export function cleanText(text: string): string {
  return asciiAlnum(text).replace(/[\s\u3000]+/g, ' ').replace(spaceBetweenCjk, '').trim();
}

/** Joins two wrapped lines of one paragraph: no space in Chinese text, one between two ASCII words. */
export function joinWrapped(before: string, after: string): string {
  if (before === '') return after;
  return /[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9]/.test(after) ? `${before} ${after}` : before + after;
}

/** Text reduced to its letters, digits and ideographs, for comparing wordings that differ in spacing or punctuation. */
export function bareText(text: string): string {
  return asciiAlnum(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Removes every space (unit names never contain one: `办信 一司` is 办信一司). */
export function withoutSpaces(text: string): string {
  return text.replace(layoutSpace, '').replace(/[\s\u3000]+/g, '');
}

const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The value of a Chinese numeral up to 九百九十九 (`十八` → 18, `二十一` → 21), or undefined. */
export function chineseNumber(text: string): number | undefined {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return undefined;
  let total = 0;
  let pending = 0;
  for (const c of text) {
    if (c === '百' || c === '十') {
      total += (pending || 1) * (c === '百' ? 100 : 10);
      pending = 0;
    } else {
      pending = digits[c]!;
    }
  }
  return total + pending;
}

/** The Chinese numeral of a number below 100 (18 → 十八), for task numbers in messages. */
export function chineseNumeral(n: number): string {
  const units = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return units[n]!;
  if (n < 20) return `十${units[n - 10]}`;
  if (n < 100) return `${units[Math.floor(n / 10)]}十${units[n % 10]}`;
  return String(n);
}
