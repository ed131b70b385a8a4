/**
 * CSV as spreadsheets read it (RFC 4180: CRLF line ends, quotes doubled), with the two Norwegian-Excel knobs: a
 * decimal comma, which needs `;` between cells, and a UTF-8 byte-order mark, without which Excel reads æ, ø and å
 * as Windows-1252.
 */

export interface CsvFormat {
  separator: ',' | ';' | '\t';
  decimalComma: boolean;
  bom: boolean;
}

export type CsvCell = string | number | boolean | Date | null | undefined;

export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
  /** Lines after the table (source, licence, demo notice, why a cell is empty), one cell each. */
  notes: string[];
}

export const DEFAULT_FORMAT: CsvFormat = { separator: ',', decimalComma: false, bom: false };

/**
 * A number in plain positional notation: spreadsheets in some locales read `1e-7` as text, and a decimal comma must
 * replace the one point only.
 */
export function plainNumber(n: number): string {
  const text = String(n);
  const e = text.search(/e/i);
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const at = (point < 0 ? mantissa.length : point) + exponent;
  const body = at <= 0 ? `0.${'0'.repeat(-at)}${digits}`
    : at >= digits.length ? digits + '0'.repeat(at - digits.length)
      : `${digits.slice(0, at)}.${digits.slice(at)}`;
  return (negative ? '-' : '') + body;
}

function cellText(cell: CsvCell, format: CsvFormat): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return '';
    const text = plainNumber(cell);
    return format.decimalComma ? text.replace('.', ',') : text;
  }
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell instanceof Date) return cell.toISOString();
  // A text cell starting with = + - @ would run as a formula in Excel (CSV injection): a leading apostrophe keeps it
  // text. A lone "-" (SSB's "nil") is no formula and stays as it is.
  return cell.length > 1 && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function quoted(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(table: CsvTable, format: CsvFormat): string {
  const line = (cells: CsvCell[]) => cells.map((c) => quoted(cellText(c, format), format.separator)).join(format.separator);
  const lines = [line(table.header), ...table.rows.map(line)];
  if (table.notes.length) lines.push('', ...table.notes.map((n) => line([n])));
  return (format.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
