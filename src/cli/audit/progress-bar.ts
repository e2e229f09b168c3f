/**
 * A one-line progress bar on standard error: `Auditing [#####-----] 3/10 checks`, redrawn in
 * place with a carriage return and erased when the audit ends, so the report starts on a clean
 * line.
 */

import type { OutputStream } from './terminal.ts';

/** Erases the current line (CR, then ECMA-48 EL with parameter 2, the whole line). */
const CLEAR_LINE = '\r\x1b[2K';
const MIN_BAR = 10;
const MAX_BAR = 40;
const DEFAULT_COLUMNS = 80;

/** Draws the progress of an audit task as checks done out of checks in the task. */
export class ProgressBar {
  private drawn = '';

  constructor(
    private readonly stream: OutputStream,
    private readonly label = 'Auditing',
  ) {}

  /** Redraws the bar, unless it would look the same as now. */
  update(done: number, total: number): void {
    const line = this.render(done, total);
    if (line === this.drawn) return;
    this.stream.write(`${CLEAR_LINE}${line}`);
    this.drawn = line;
  }

  /** Erases the bar, if one was drawn. */
  clear(): void {
    if (this.drawn === '') return;
    this.stream.write(CLEAR_LINE);
    this.drawn = '';
  }

  /** Renders the bar's text for a given progress, sized to the stream's width. */
  render(done: number, total: number): string {
    const counter = `${done}/${total} checks`;
    const columns = this.stream.columns ?? DEFAULT_COLUMNS;
    // One column is left free: a line as wide as the terminal wraps on some terminals.
    const room = columns - this.label.length - counter.length - 5;
    const width = Math.max(MIN_BAR, Math.min(MAX_BAR, room));
    const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${counter}`;
  }
}
