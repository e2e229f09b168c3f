/** The parts of a Node.js output stream the report and the progress bar use. */
export interface OutputStream {
  write(text: string): unknown;
  /** True for a terminal; absent or false for a file or a pipe. */
  isTTY?: boolean;
  /** The terminal's width in characters, when it is one. */
  columns?: number;
}

/**
 * Decides whether to colour output for a stream: only a terminal, and never when `NO_COLOR` is set to a
 * non-empty value (the convention at no-color.org).
 */
export function useColour(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '';
}

const CODES = { bold: 1, red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;

export type Style = keyof typeof CODES;

/** Wraps text in an ANSI SGR colour sequence. */
export function paint(text: string, style: Style): string {
  return `\x1b[${CODES[style]}m${text}\x1b[0m`;
}
