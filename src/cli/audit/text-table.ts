/**
 * Plain-text tables that fit a terminal: columns marked `wrap` are narrowed, and their cells
 * wrapped onto more lines, until the table fits the width. Nothing is cut off, so a report piped
 * to a file (no width) keeps every id in full on one line.
 */

import { paint, type Style } from './terminal.ts';

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
  /** Whether the column may be narrowed below its widest cell, wrapping the cells. */
  wrap?: boolean;
  /** The colour of a cell, given its text. */
  style?: (text: string) => Style | undefined;
}

export interface TableOptions {
  /** Characters per line; no limit when absent. */
  width?: number;
  colour: boolean;
}

const GAP = '  ';
/** A wrapped column keeps at least this many characters, or its header's width if wider. */
const MIN_WRAP_WIDTH = 12;

/** Renders a header line and the rows, each row on as many lines as its tallest cell needs. */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): string[] {
  const widths = columnWidths(columns, rows, options.width);
  const header = columns.map((column) => column.header);
  const headerStyle = () => (options.colour ? ('bold' as const) : undefined);
  const cellStyle = (column: TableColumn, text: string) =>
    options.colour ? column.style?.(text) : undefined;
  const lines = renderRow(columns, header, widths, headerStyle);
  for (const row of rows) lines.push(...renderRow(columns, row, widths, cellStyle));
  return lines;
}

function columnWidths(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  limit: number | undefined,
): number[] {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => longestLine(row[index] ?? ''))),
  );
  if (limit === undefined) return widths;
  const floor = columns.map((column, index) =>
    column.wrap
      ? Math.min(widths[index] ?? 0, Math.max(MIN_WRAP_WIDTH, column.header.length))
      : Infinity,
  );
  let total = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (columns.length - 1);
  while (total > limit) {
    // Narrow the widest column that may still shrink, one character at a time.
    let widest = -1;
    widths.forEach((width, index) => {
      if (width > (floor[index] ?? Infinity) && (widest < 0 || width > (widths[widest] ?? 0)))
        widest = index;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
  return widths;
}

function renderRow(
  columns: readonly TableColumn[],
  cells: readonly string[],
  widths: readonly number[],
  styleOf: (column: TableColumn, text: string) => Style | undefined,
): string[] {
  const wrapped = columns.map((_, index) => wrap(cells[index] ?? '', widths[index] ?? 0));
  const height = Math.max(...wrapped.map((lines) => lines.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line += 1) {
    const parts = columns.map((column, index) => {
      const text = wrapped[index]?.[line] ?? '';
      const padded = pad(text, widths[index] ?? 0, column.align ?? 'left');
      const style = text === '' ? undefined : styleOf(column, text);
      return style === undefined ? padded : padded.replace(text, paint(text, style));
    });
    lines.push(parts.join(GAP).trimEnd());
  }
  return lines;
}

/**
 * Splits text into lines of at most `width` characters, at spaces where possible. A word longer
 * than the width is split after its last `_`, `/`, `:`, `,`, `-` or `.` that fits, so check
 * names and ARNs break between their parts, and cut at the width when it has none.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (rest.length > width && width > 0) {
        if (current !== '') {
          lines.push(current);
          current = '';
        }
        const cut = breakPoint(rest, width);
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      if (current === '') current = rest;
      else if (current.length + 1 + rest.length <= width) current += ` ${rest}`;
      else {
        lines.push(current);
        current = rest;
      }
    }
    lines.push(current);
  }
  return lines;
}

const BREAK_AFTER = /[_/:,.-]/;

function breakPoint(word: string, width: number): number {
  for (let index = width - 1; index > 0; index -= 1) {
    if (BREAK_AFTER.test(word.charAt(index))) return index + 1;
  }
  return width;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}
