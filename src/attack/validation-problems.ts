/**
 * Problems found in an imported document (a Navigator layer, a Mappings Explorer file), kept as
 * data with the JSON path of the offending value, and their conversion from zod issues.
 */

import type { z } from 'zod';

/** Stable codes of validation problems. */
export type ProblemCode =
  'MISSING_FIELD' | 'UNKNOWN_FIELD' | 'INVALID_TYPE' | 'INVALID_VALUE' | 'DUPLICATE_VALUE';

/** One problem in a document. */
export interface ValidationProblem {
  code: ProblemCode;
  /** Path of the value, e.g. `techniques[0].techniqueID`, or empty for the document itself. */
  path: string;
  message: string;
}

/** One step of a path: an object key or an array index. */
export type PathSegment = PropertyKey;

/** Formats a path as `a.b[0].c`, quoting keys that are not plain identifiers. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment)))
      path += path ? `.${String(segment)}` : String(segment);
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/** Names a location in a message: `at "a.b"`, or `at the top level` for the document itself. */
export function location(path: string): string {
  return path ? `at "${path}"` : 'at the top level';
}

/** Renders a value for a message, cut to 60 characters. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Builds an INVALID_VALUE problem in the shared message style. */
export function invalidValue(path: string, value: unknown, reason: string): ValidationProblem {
  return {
    code: 'INVALID_VALUE',
    path,
    message: `Invalid value "${describeValue(value)}" ${location(path)}: ${reason}`,
  };
}

const EXPECTED: Record<string, string> = {
  string: 'must be a string',
  number: 'must be a finite number',
  int: 'must be an integer',
  boolean: 'must be true or false',
  array: 'must be an array',
  object: 'must be an object',
  record: 'must be an object',
};

/**
 * Converts zod issues about `input` to problems. `format` names the document format in messages
 * about unknown fields, e.g. `layer format 4.5`. `prefix` is the path of `input` inside a larger
 * document, such as the index of one layer in a file of several.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  format: string,
  prefix: readonly PathSegment[] = [],
): ValidationProblem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, input, format, prefix));
}

function problemsFromIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  format: string,
  prefix: readonly PathSegment[],
): ValidationProblem[] {
  const path = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      code: 'UNKNOWN_FIELD' as const,
      path: formatPath([...prefix, ...issue.path, key]),
      message: `Unknown field "${key}" ${location(path)}: not in ${format}`,
    }));
  }

  const parent = valueAt(input, issue.path.slice(0, -1));
  const key = issue.path.at(-1);
  if (key !== undefined && isRecord(parent) && !Object.hasOwn(parent, key)) {
    const parentPath = formatPath([...prefix, ...issue.path.slice(0, -1)]);
    return [
      {
        code: 'MISSING_FIELD',
        path,
        message: `Missing field "${String(key)}" ${location(parentPath)}`,
      },
    ];
  }

  const value = valueAt(input, issue.path);
  if (issue.code === 'invalid_type') {
    const reason = issue.message.startsWith('Invalid input')
      ? (EXPECTED[issue.expected] ?? `must be ${issue.expected}`)
      : issue.message;
    return [{ ...invalidValue(path, value, reason), code: 'INVALID_TYPE' }];
  }
  return [invalidValue(path, value, issue.message)];
}

/** Returns the value at a path of a JSON document, or undefined where the path leaves it. */
export function valueAt(input: unknown, segments: readonly PathSegment[]): unknown {
  let current = input;
  for (const segment of segments) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
