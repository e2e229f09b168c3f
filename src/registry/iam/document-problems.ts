import type { z } from 'zod';

/** One reason an imported document is invalid, located by its path inside the document. */
export interface DocumentProblem {
  readonly code: string;
  /** Like `roles[0].policyDocuments[1].Statement[0].Effect`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

const MAX_SHOWN_LENGTH = 80;

/** Writes a path as JavaScript would: `roles[0].roleArn`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment)))
      path += `${path === '' ? '' : '.'}${String(segment)}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/** Joins a base path and a relative one, such as `roles[0]` and `roleArn`. */
export function joinPath(base: string, relative: string): string {
  if (base === '') return relative;
  if (relative === '' || relative.startsWith('[')) return `${base}${relative}`;
  return `${base}.${relative}`;
}

/** Renders an offending value for a message: JSON, cut to a readable length. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

/** Turns schema issues into problems, each naming the path and the value it found there. */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  base: readonly PropertyKey[] = [],
): DocumentProblem[] {
  return issues.map((issue) => {
    const segments = [...base, ...issue.path];
    const path = formatPath(segments);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      const fieldWord = issue.keys.length === 1 ? 'field' : 'fields';
      const where = path === '' ? 'the top level' : `"${path}"`;
      return { code: 'unknown-field', path, message: `Unknown ${fieldWord} ${keys} at ${where}` };
    }
    const value = valueAt(input, issue.path);
    if (value === undefined && issue.code === 'invalid_type') {
      return { code: 'missing', path, message: `Missing required field "${path}"` };
    }
    const message = `Invalid value ${showValue(value)} at "${path}": ${constraint(issue)}`;
    return { code: 'invalid-value', path, message };
  });
}

function constraint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be of type ${issue.expected}`;
    case 'too_small':
      return bound(issue.origin, issue.minimum, 'least');
    case 'too_big':
      return bound(issue.origin, issue.maximum, 'most');
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match the regular expression ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((item) => JSON.stringify(item)).join(', ')}`;
    default:
      // Custom refinements are worded for the AWS messages ("Member must be ...").
      return issue.message.replace(/^Member must/, 'must');
  }
}

function bound(origin: string, limit: number | bigint, word: 'least' | 'most'): string {
  if (origin === 'string') return `must have at ${word} ${limit} characters`;
  if (origin === 'array') return `must have at ${word} ${limit} items`;
  return `must be at ${word} ${limit}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
