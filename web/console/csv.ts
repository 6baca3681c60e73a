/** CSV for spreadsheet users: UTF-8 with a BOM (so Excel reads Chinese), CRLF lines, RFC 4180 quoting, no formulas. */

/** A cell value; `undefined` and `null` become an empty cell. */
export type CsvValue = string | number | undefined | null;

/** The byte-order mark Excel needs to read a CSV file as UTF-8. */
export const utf8Bom = '\uFEFF';

// A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets (CSV injection);
// tab and carriage return are on OWASP's list because some spreadsheets skip them before the formula sign.
const formulaStart = /^[=+\-@\t\r]/;

/** One cell: neutralised if it could start a formula, quoted if it holds a comma, quote or line break. */
export function csvCell(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: BOM, then one CRLF-terminated line per row. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return utf8Bom + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/**
 * A `Content-Disposition` for a download: an ASCII `filename` for old clients and the real (e.g. Chinese) name as
 * `filename*` in RFC 5987 encoding.
 */
export function attachmentDisposition(asciiName: string, utf8Name: string): string {
  const ascii = asciiName.replace(/[^\w.-]/g, '_');
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
