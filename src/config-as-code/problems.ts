/**
 * Problems found in fleet files, kept as data and printed one a line as `FILE: PATH: reason`,
 * so that every problem of every file is reported at once and nothing is applied.
 */

import type { z } from 'zod';

/** Stable code of a problem, for tests and for callers that sort or count them. */
export type ProblemCode =
  | 'unreadable'
  | 'syntax'
  | 'schema'
  | 'duplicate'
  | 'invalid'
  | 'unknown-reference'
  | 'immutable'
  | 'missing-secret';

/** One problem; `path` is like `securityProfiles[0].behaviors[1].name`, empty for the file. */
export interface FleetProblem {
  code: ProblemCode;
  file: string;
  path: string;
  message: string;
}

/** Renders a problem as `FILE: PATH: reason`, or `FILE: reason` for the whole file. */
export function formatProblem(problem: FleetProblem): string {
  const where = problem.path === '' ? problem.file : `${problem.file}: ${problem.path}`;
  return `${where}: ${problem.message}`;
}

/** Joins path segments the way JavaScript reads them: `a.b[0].c`, with odd keys quoted. */
export function joinPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment)))
      path += path === '' ? String(segment) : `.${String(segment)}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/** Quotes a value for a message, shortening long text. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `"${short}"`;
}

/**
 * Turns zod issues into problems of one file. Parse with `reportInput: true` so that messages
 * can quote the offending value. Each unknown key gets its own problem at its own path.
 */
export function schemaProblems(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): FleetProblem[] {
  const problems: FleetProblem[] = [];
  for (const issue of issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          code: 'schema',
          file,
          path: joinPath([...at, key]),
          message: 'unknown key',
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && !('note' in issue)) {
      const types = typeAlternatives(issue.errors);
      if (types !== undefined) {
        const input = (issue as { input?: unknown }).input;
        const message = `must be ${types}, got ${describeValue(input)}`;
        problems.push({ code: 'schema', file, path: joinPath(at), message });
        continue;
      }
      // A plain union: report the branch that got furthest, which is the likely intent.
      problems.push(...schemaProblems(file, closestBranch(issue.errors), at));
      continue;
    }
    problems.push({ code: 'schema', file, path: joinPath(at), message: reason(issue) });
  }
  return problems;
}

/** Names the types of a union whose branches all failed on the type: `a string or a number`. */
function typeAlternatives(branches: readonly (readonly z.core.$ZodIssue[])[]): string | undefined {
  const types: string[] = [];
  for (const branch of branches) {
    const [only, ...rest] = branch;
    if (only?.code !== 'invalid_type' || only.path.length > 0 || rest.length > 0) return undefined;
    types.push(article(typeName(only.expected)));
  }
  return types.join(' or ');
}

function closestBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] {
  const depth = (issues: readonly z.core.$ZodIssue[]) =>
    Math.max(...issues.map((issue) => issue.path.length));
  return [...branches].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0] ?? [];
}

function reason(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `must be ${article(typeName(issue.expected))}, got ${describeValue(input)}`;
    case 'invalid_value':
      if (input === undefined) return 'is required';
      return `${oneOf(issue.values)}, got ${quoteValue(input)}`;
    case 'invalid_union':
      return discriminatorReason(issue) ?? issue.message;
    case 'too_small':
      if (input === '') return 'must not be empty';
      return `${bound('at least', issue.minimum, issue)}, got ${size(input)}`;
    case 'too_big':
      return `${bound('at most', issue.maximum, issue)}, got ${size(input)}`;
    case 'invalid_format':
      return `invalid value ${quoteValue(input)}: ${issue.message}`;
    default:
      // Refinements of a whole object, such as "set exactly one of", carry the object as input.
      return input === undefined || typeof input === 'object'
        ? issue.message
        : `invalid value ${quoteValue(input)}: ${issue.message}`;
  }
}

/** Zod reports a discriminator value no option has with the values of the options. */
function discriminatorReason(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const options = (issue as { options?: unknown }).options;
  if (!Array.isArray(options)) return undefined;
  const { input, discriminator } = issue as { input?: unknown; discriminator?: unknown };
  const value =
    typeof input === 'object' && input !== null && typeof discriminator === 'string'
      ? (input as Record<string, unknown>)[discriminator]
      : input;
  return `${oneOf(options)}${value === undefined ? '' : `, got ${quoteValue(value)}`}`;
}

function oneOf(values: readonly unknown[]): string {
  const listed = values.map(String);
  return listed.length === 1 ? `must be ${listed[0]}` : `must be one of ${listed.join(', ')}`;
}

function typeName(expected: string): string {
  if (expected === 'int') return 'whole number';
  if (expected === 'array') return 'list';
  if (expected === 'object' || expected === 'record') return 'mapping';
  return expected;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${quoteValue(value)}`;
}

function bound(
  words: string,
  limit: number | bigint,
  { origin, inclusive }: { origin: string; inclusive?: boolean },
): string {
  const n = Number(limit);
  if (origin === 'string') return `must be ${words} ${n} character${n === 1 ? '' : 's'} long`;
  if (origin === 'array') return `must have ${words} ${n} item${n === 1 ? '' : 's'}`;
  if (inclusive === false) return `must be ${words === 'at least' ? 'greater' : 'less'} than ${n}`;
  return `must be ${words} ${n}`;
}

function size(value: unknown): string {
  if (typeof value === 'string') return `${value.length} (${quoteValue(value)})`;
  if (Array.isArray(value)) return String(value.length);
  return quoteValue(value);
}
