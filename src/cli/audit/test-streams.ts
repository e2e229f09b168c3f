/** Output streams for tests that record what the command writes, posing as a terminal if asked. */

import type { OutputStream } from './terminal.ts';

export class CapturedStream implements OutputStream {
  readonly chunks: string[] = [];
  readonly isTTY: boolean;
  readonly columns?: number;

  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    this.isTTY = options.isTTY ?? false;
    if (options.columns !== undefined) this.columns = options.columns;
  }

  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }
}

/** Removes ANSI SGR sequences, to measure and compare coloured text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
