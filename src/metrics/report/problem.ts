/**
 * Problems found in a metrics report. The public functions return them as values instead of
 * throwing, so the intake can publish each one on the thing's `/rejected` topic.
 */

/** Codes of the problems the pure report modules find, a subset of `ReportErrorCode`. */
export type ProblemCode = 'InvalidPayload' | 'PayloadTooLarge' | 'InvalidThingName';

/** One problem with a report: the error code, where it is and what is wrong. */
export interface ReportProblem {
  code: ProblemCode;
  /** Dotted path into the document with the report's own key names, `""` for the whole report. */
  path: string;
  message: string;
}

/**
 * Carrier for a problem thrown inside the validator and caught at its entry point. It is not an
 * `Error`, so throwing it records no stack trace: a flood of bad reports stays cheap to reject.
 */
export class Rejection {
  readonly problem: ReportProblem;

  constructor(problem: ReportProblem) {
    this.problem = problem;
  }
}

/** Throws an `InvalidPayload` rejection for `path`. */
export function rejectPayload(path: string, message: string): never {
  throw new Rejection({ code: 'InvalidPayload', path, message });
}

const MAX_QUOTED_CHARS = 64;

/**
 * Quotes a value for a message: JSON escapes for strings (so control characters never reach a log
 * raw), truncated after 64 characters, and `String()` for other primitives.
 */
export function quote(value: string | number | bigint | boolean): string {
  if (typeof value !== 'string') return `"${String(value)}"`;

  const cut = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
  return JSON.stringify(cut).replace(/[\u007f-\u009f]/g, escapeCodeUnit);
}

function escapeCodeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Returns the value quoted for a message when it is a primitive, and `""` otherwise. */
export function quoteIfPrimitive(value: unknown): string {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean') {
    return ` ${quote(value as string | number | bigint | boolean)}`;
  }
  return '';
}

/** Names the JSON or CBOR type of a decoded value, with its article, for "received …" clauses. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'a byte string';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return Object.getPrototypeOf(value) === Object.prototype ? 'an object' : 'a tagged value';
  }
}

/** Formats `at "path"` for a message, or nothing for the whole report. */
export function at(path: string): string {
  return path === '' ? '' : ` at "${path}"`;
}
