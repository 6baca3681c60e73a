/** Plain-text tables that stay aligned with Chinese text and emoji, which a terminal draws two columns wide. */

// East Asian wide and fullwidth ranges, plus the emoji duban prints (🟢🟡🔴 above U+1F300, ⚪ at U+26AA).
const wide = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u26AA\u26AB]/u;

/** Columns a terminal uses to draw `text`. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += wide.test(char) || char.codePointAt(0)! >= 0x1f300 ? 2 : 1;
  return width;
}

/** Rows under a header, each column padded to its widest cell, separated by two spaces. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
