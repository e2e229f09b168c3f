/**
 * Validation of the `behaviors` of a security profile, shared by ValidateSecurityProfileBehaviors,
 * CreateSecurityProfile and UpdateSecurityProfile. AWS does not publish its checks or messages,
 * so the rules follow the service model and the developer guide. A profile has at most 100
 * behaviors with unique names and at most 1000 value elements. Each behavior names a known
 * metric and has one evaluation mode, with an operator, value member and duration that suit the
 * metric, 1-10 consecutive datapoints, a dimension only on a topic-filter metric, and no
 * unknown fields.
 */

import type { Behavior, ValidateSecurityProfileBehaviorsResponse } from './behavior.ts';
import { DIMENSION_VALUE_OPERATORS } from './behavior.ts';
import {
  addProblem,
  checkUnknownFields,
  describe,
  expectObject,
  isAbsent,
  isPlainObject,
  listWords,
  metricLabel,
  quote,
  type BehaviorScope,
  type ValidationProblem,
} from './behavior-problem.ts';
import {
  BUILT_IN_METRICS,
  builtInMetric,
  customMetricRules,
  isBuiltInMetricName,
  type MetricRules,
} from './metric-catalog.ts';
import type { CustomMetricType } from './metric-value.ts';
import { normalizeBehavior } from './normalize-behavior.ts';
import { checkCriteria } from './validate-criteria.ts';

/** Read access to the account's custom metrics and dimensions. */
export interface BehaviorLookup {
  /** Returns the type of an existing custom metric, or undefined if none has this name. */
  customMetricType(name: string): CustomMetricType | undefined;
  dimensionExists(name: string): boolean;
}

/** Maximum behaviors per security profile (the `Behaviors` list limit of the service model). */
export const MAX_BEHAVIORS = 100;

/** Maximum value elements (counts, numbers, ports, CIDRs, strings) per security profile. */
export const MAX_VALUE_ELEMENTS = 1000;

const BEHAVIOR_FIELDS = [
  'name',
  'metric',
  'metricDimension',
  'criteria',
  'suppressAlerts',
  'exportMetric',
] as const;

const NAME_PATTERN = /^[a-zA-Z0-9:_-]{1,128}$/;
const NAME_RULE = 'must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"';

const DIMENSION_METRICS = listWords(
  BUILT_IN_METRICS.filter((metric) => metric.topicFilterDimension).map((metric) => metric.name),
);

/** Finds every problem in a `behaviors` list, in list order. An empty result means valid. */
export function findBehaviorProblems(
  behaviors: unknown,
  lookup: BehaviorLookup,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!Array.isArray(behaviors)) {
    const message = `"behaviors" must be a list, got ${describe(behaviors)}`;
    return [{ code: 'InvalidType', path: 'behaviors', message }];
  }
  if (behaviors.length > MAX_BEHAVIORS) {
    const message = `A security profile may contain at most ${MAX_BEHAVIORS} behaviors, got ${behaviors.length}`;
    problems.push({ code: 'TooManyBehaviors', path: 'behaviors', message });
  }

  const firstIndexByName = new Map<string, number>();
  let elements = 0;
  behaviors.forEach((behavior, index) => {
    elements += checkBehavior(behavior, index, lookup, firstIndexByName, problems);
  });

  if (elements > MAX_VALUE_ELEMENTS) {
    const message = `Behaviors contain ${elements} value elements, but a security profile may contain at most ${MAX_VALUE_ELEMENTS}`;
    problems.push({ code: 'TooManyValues', path: 'behaviors', message });
  }
  return problems;
}

/** Validates behaviors into the `ValidateSecurityProfileBehaviors` response shape. */
export function validateBehaviors(
  behaviors: unknown,
  lookup: BehaviorLookup,
): ValidateSecurityProfileBehaviorsResponse {
  const problems = findBehaviorProblems(behaviors, lookup);
  return {
    valid: problems.length === 0,
    validationErrors: problems.map((problem) => ({ errorMessage: problem.message })),
  };
}

/**
 * Validates behaviors and, when they are valid, returns them normalized for storage (see
 * `normalizeBehavior`). Create and Update use this and reject with the first problem.
 */
export function parseBehaviors(
  behaviors: unknown,
  lookup: BehaviorLookup,
): { ok: true; behaviors: Behavior[] } | { ok: false; problems: ValidationProblem[] } {
  const problems = findBehaviorProblems(behaviors, lookup);
  if (problems.length > 0) return { ok: false, problems };
  const valid = behaviors as Behavior[];
  return { ok: true, behaviors: valid.map((behavior) => normalizeBehavior(behavior, lookup)) };
}

/** Checks one behavior and returns its number of value elements. */
function checkBehavior(
  raw: unknown,
  index: number,
  lookup: BehaviorLookup,
  firstIndexByName: Map<string, number>,
  problems: ValidationProblem[],
): number {
  const scope = behaviorScope(raw, index, problems);
  if (!isPlainObject(raw)) {
    addProblem(scope, 'InvalidType', '', `must be an object, got ${describe(raw)}`);
    return 0;
  }
  checkUnknownFields(scope, raw, BEHAVIOR_FIELDS, '');

  checkName(scope, raw.name, index, firstIndexByName);
  checkBoolean(scope, raw.suppressAlerts, 'suppressAlerts');
  checkBoolean(scope, raw.exportMetric, 'exportMetric');
  const rules = resolveMetric(scope, raw.metric, lookup);
  if (!isAbsent(raw.metricDimension)) checkDimension(scope, raw.metricDimension, rules, lookup);

  if (isAbsent(raw.criteria)) {
    addProblem(scope, 'MissingField', 'criteria', 'missing required field "criteria"');
    return 0;
  }
  return checkCriteria(scope, raw.criteria, rules);
}

function behaviorScope(raw: unknown, index: number, problems: ValidationProblem[]): BehaviorScope {
  const name = isPlainObject(raw) ? raw.name : undefined;
  const label =
    typeof name === 'string' && name !== ''
      ? `Behavior ${quote(name)}`
      : `Behavior at index ${index}`;
  return { label, path: `behaviors[${index}]`, problems };
}

function checkName(
  scope: BehaviorScope,
  name: unknown,
  index: number,
  firstIndexByName: Map<string, number>,
): void {
  if (isAbsent(name)) {
    addProblem(scope, 'MissingField', 'name', 'missing required field "name"');
    return;
  }
  if (typeof name !== 'string') {
    addProblem(scope, 'InvalidType', 'name', `"name" must be a string, got ${describe(name)}`);
    return;
  }
  if (!NAME_PATTERN.test(name)) {
    addProblem(scope, 'InvalidName', 'name', `invalid name ${quote(name)}: ${NAME_RULE}`);
    return;
  }

  const first = firstIndexByName.get(name);
  if (first === undefined) {
    firstIndexByName.set(name, index);
    return;
  }
  const detail = `duplicate name, already used by the behavior at index ${first}`;
  addProblem(scope, 'DuplicateName', 'name', detail);
}

function checkBoolean(scope: BehaviorScope, value: unknown, field: string): void {
  if (isAbsent(value) || typeof value === 'boolean') return;
  addProblem(
    scope,
    'InvalidType',
    field,
    `${quote(field)} must be a boolean, got ${describe(value)}`,
  );
}

/** Finds the rules of the behavior's metric, recording a problem when it is unknown. */
function resolveMetric(
  scope: BehaviorScope,
  metric: unknown,
  lookup: BehaviorLookup,
): MetricRules | undefined {
  if (isAbsent(metric)) {
    addProblem(scope, 'MissingField', 'metric', 'missing required field "metric"');
    return undefined;
  }
  if (typeof metric !== 'string') {
    addProblem(
      scope,
      'InvalidType',
      'metric',
      `"metric" must be a string, got ${describe(metric)}`,
    );
    return undefined;
  }

  if (isBuiltInMetricName(metric)) {
    const rules = builtInMetric(metric);
    if (rules === undefined) {
      addProblem(
        scope,
        'UnknownMetric',
        'metric',
        `unknown metric ${quote(metric)}: no built-in metric has this name`,
      );
    }
    return rules;
  }

  const type = lookup.customMetricType(metric);
  if (type === undefined) {
    const detail = `custom metric ${quote(metric)} not found; create it with CreateCustomMetric first`;
    addProblem(scope, 'UnknownCustomMetric', 'metric', detail);
    return undefined;
  }
  return customMetricRules(metric, type);
}

/** Checks `metricDimension`: its shape, that the metric takes one, and that it exists. */
function checkDimension(
  scope: BehaviorScope,
  raw: unknown,
  rules: MetricRules | undefined,
  lookup: BehaviorLookup,
): void {
  const dimension = expectObject(scope, raw, 'metricDimension');
  if (dimension === undefined) return;
  checkUnknownFields(scope, dimension, ['dimensionName', 'operator'], 'metricDimension');

  const operator = dimension.operator;
  if (
    !isAbsent(operator) &&
    !(DIMENSION_VALUE_OPERATORS as readonly unknown[]).includes(operator)
  ) {
    const detail = `invalid dimension operator ${quote(operator)} at "metricDimension.operator": must be IN or NOT_IN`;
    addProblem(scope, 'InvalidDimension', 'metricDimension.operator', detail);
  }

  if (rules?.customType !== undefined) {
    const detail = `"metricDimension" cannot be used with ${metricLabel(rules)}`;
    addProblem(scope, 'DimensionNotSupported', 'metricDimension', detail);
  } else if (rules !== undefined && !rules.topicFilterDimension) {
    const detail = `"metricDimension" cannot be used with ${metricLabel(rules)}; dimensions apply only to ${DIMENSION_METRICS}`;
    addProblem(scope, 'DimensionNotSupported', 'metricDimension', detail);
  }

  checkDimensionName(scope, dimension.dimensionName, lookup);
}

function checkDimensionName(scope: BehaviorScope, name: unknown, lookup: BehaviorLookup): void {
  const field = 'metricDimension.dimensionName';
  if (isAbsent(name)) {
    addProblem(scope, 'MissingField', field, `missing required field ${quote(field)}`);
  } else if (typeof name !== 'string') {
    addProblem(
      scope,
      'InvalidType',
      field,
      `${quote(field)} must be a string, got ${describe(name)}`,
    );
  } else if (!NAME_PATTERN.test(name)) {
    addProblem(
      scope,
      'InvalidDimension',
      field,
      `invalid dimension name ${quote(name)}: ${NAME_RULE}`,
    );
  } else if (!lookup.dimensionExists(name)) {
    const detail = `dimension ${quote(name)} not found; create it with CreateDimension first`;
    addProblem(scope, 'UnknownDimension', field, detail);
  }
}
