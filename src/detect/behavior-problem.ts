/**
 * Problems found while validating behaviors, kept as data so that ValidateSecurityProfileBehaviors
 * can list them all and CreateSecurityProfile can reject with the first. Messages name the
 * behavior, quote the offending value and stay below the 2048-character `ErrorMessage` limit
 * because quoted values are truncated.
 */

import type { MetricRules } from './metric-catalog.ts';

/** Stable code of a behavior validation problem. */
export type ValidationProblemCode =
  | 'InvalidType'
  | 'UnknownField'
  | 'MissingField'
  | 'TooManyBehaviors'
  | 'TooManyValues'
  | 'InvalidName'
  | 'DuplicateName'
  | 'UnknownMetric'
  | 'UnknownCustomMetric'
  | 'InvalidCriteriaMode'
  | 'InvalidOperator'
  | 'InvalidValue'
  | 'InvalidPort'
  | 'InvalidCidr'
  | 'InvalidDuration'
  | 'InvalidDatapoints'
  | 'InvalidStatistic'
  | 'StatisticalNotSupported'
  | 'InvalidConfidenceLevel'
  | 'MachineLearningNotSupported'
  | 'InvalidDimension'
  | 'DimensionNotSupported'
  | 'UnknownDimension'
  | 'ConflictingUpdate';

/** One validation problem: a stable code, the JSON path of the value, and a message. */
export interface ValidationProblem {
  code: ValidationProblemCode;
  /** Path from the request body, such as `behaviors[2].criteria.value.ports[0]`. */
  path: string;
  message: string;
}

/** Collector of the problems of one behavior, which prefixes paths and messages. */
export interface BehaviorScope {
  /** `Behavior "name"`, or `Behavior at index 3` when the name is missing or not a string. */
  label: string;
  /** Path of the behavior in the request body, such as `behaviors[3]`. */
  path: string;
  problems: ValidationProblem[];
}

const MAX_QUOTED = 100;

/** Records a problem. `field` is relative to the behavior, and empty for the behavior itself. */
export function addProblem(
  scope: BehaviorScope,
  code: ValidationProblemCode,
  field: string,
  detail: string,
): void {
  const path = field === '' ? scope.path : `${scope.path}.${field}`;
  scope.problems.push({ code, path, message: `${scope.label}: ${detail}` });
}

/** Quotes a value for a message, truncating long text: `"70000"`, `"tcp-ports"`. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const truncated = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(truncated);
}

/** Describes a value's JSON type and content for type errors: `string "300"`, `an array`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${quote(value)}`;
}

/** Tells whether a value is a JSON object, not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tells whether an optional member is absent. JSON null counts as absent. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Records every member of `object` that is not in `known`, naming its full field path. */
export function checkUnknownFields(
  scope: BehaviorScope,
  object: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const field = prefix === '' ? key : `${prefix}.${key}`;
    addProblem(scope, 'UnknownField', field, `unknown field ${quote(field)}`);
  }
}

/**
 * Records a problem unless `value` is a JSON object. Returns the object, or undefined after
 * recording the problem.
 */
export function expectObject(
  scope: BehaviorScope,
  value: unknown,
  field: string,
): Record<string, unknown> | undefined {
  if (isPlainObject(value)) return value;
  addProblem(
    scope,
    'InvalidType',
    field,
    `${quote(field)} must be an object, got ${describe(value)}`,
  );
  return undefined;
}

/** Joins words as `a, b or c`, the way messages list the allowed values. */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

/** Names a metric in messages: `metric "aws:x"` or `custom metric "x" of type "number"`. */
export function metricLabel(rules: MetricRules): string {
  if (rules.customType === undefined) return `metric ${quote(rules.name)}`;
  return `custom metric ${quote(rules.name)} of type ${quote(rules.customType)}`;
}
