/**
 * CSV for spreadsheets (RFC 4180: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled).
 * Written by hand: two rules, no dependency.
 */

/**
 * A cell a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a carriage return) gets a leading
 * single quote, so it is shown as text (OWASP "CSV injection").
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function field(cell: string | null): string {
  const text = neutralise(cell ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, then one line per row; a blank (null) cell is an empty field. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [columns, ...rows].map((r) => r.map(field).join(',') + '\r\n').join('');
}
