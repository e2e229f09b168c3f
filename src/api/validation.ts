import { z } from 'zod';
import { invalidRequest } from '../core/errors.ts';

/**
 * Parses a request body with a schema and turns every problem into one InvalidRequestException,
 * worded as AWS words validation errors: `1 validation error detected: Value 'x' at 'thingName'
 * failed to satisfy constraint: ...`. Unknown members are rejected by strict schemas.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  // An empty body reads as `{}`; an explicit JSON null is a wrong type, like any non-object.
  const result = schema.safeParse(body === undefined ? {} : body);
  if (result.success) return result.data;
  throw invalidRequest(formatIssues(result.error.issues, body));
}

/** Validates one path or query value against a schema, naming the parameter in the error. */
export function parseParam<S extends z.ZodType>(
  schema: S,
  name: string,
  value: unknown,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidRequest(formatIssues(result.error.issues, value, name));
}

function formatIssues(issues: z.core.$ZodIssue[], input: unknown, prefix?: string): string {
  const parts = issues.map((issue) => describeIssue(issue, input, prefix));
  const count = parts.length === 1 ? '1 validation error' : `${parts.length} validation errors`;
  return `${count} detected: ${parts.join('; ')}`;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, prefix?: string): string {
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `'${key}'`).join(', ');
    const where = path === '' ? 'the request body' : `'${path}'`;
    return `Unknown field ${keys} in ${where}`;
  }
  const value = valueAt(input, issue.path, prefix !== undefined);
  const shown = value === undefined ? 'null' : `'${truncate(render(value))}'`;
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint(issue, value)}`;
}

function constraint(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? 'Member must not be null'
        : `Member must be of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `Member must have length greater than or equal to ${issue.minimum}`
        : `Member must have value greater than or equal to ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `Member must have length less than or equal to ${issue.maximum}`
        : `Member must have value less than or equal to ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `Member must satisfy regular expression pattern: ${patternSource(String(issue.pattern))}`
        : `Member must be a valid ${issue.format}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    default:
      return issue.message;
  }
}

function patternSource(pattern: string): string {
  return pattern.replace(/^\/\^?/, '').replace(/\$?\/[a-z]*$/, '');
}

function valueAt(input: unknown, path: PropertyKey[], isParam: boolean): unknown {
  let current = input;
  for (const key of isParam ? [] : path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Renders a bad value briefly. Small flat lists and objects are shown as JSON; nested or
 * large ones are summarized, so a hostile body is never serialized whole.
 */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  const members = Array.isArray(value) ? value : Object.values(value);
  const flat =
    members.length <= 20 &&
    members.every((member) => member === null || typeof member !== 'object');
  if (flat) return JSON.stringify(value);
  return Array.isArray(value) ? `[list of ${value.length}]` : '{object}';
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Field schemas shared by many operations, with the patterns and lengths of the service model. */
export const fields = {
  thingName: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-zA-Z0-9:_-]+$/),
  thingGroupName: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-zA-Z0-9:_-]+$/),
  policyName: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w+=,.@-]+$/),
  certificateId: z
    .string()
    .min(64)
    .max(64)
    .regex(/^(0x)?[a-fA-F0-9]+$/),
  resourceName: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-zA-Z0-9:_-]+$/),
  tags: z
    .array(
      z.strictObject({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() }),
    )
    .optional(),
};
