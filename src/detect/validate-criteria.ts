/**
 * Validation of one behavior's `criteria` against the rules of its metric: one evaluation mode
 * (static value, statistical threshold or ML Detect), the operator, the value member and its
 * elements, `durationSeconds` and the consecutive-datapoint counts.
 */

import {
  COMPARISON_OPERATORS,
  CONFIDENCE_LEVELS,
  EVALUATION_STATISTICS,
  type BehaviorCriteriaType,
  type ComparisonOperator,
} from './behavior.ts';
import {
  addProblem,
  checkUnknownFields,
  describe,
  expectObject,
  isAbsent,
  listWords,
  metricLabel,
  quote,
  type BehaviorScope,
} from './behavior-problem.ts';
import { DURATION_SECONDS_VALUES, type MetricRules } from './metric-catalog.ts';
import { checkValue } from './validate-value.ts';

const CRITERIA_FIELDS = [
  'comparisonOperator',
  'value',
  'durationSeconds',
  'consecutiveDatapointsToAlarm',
  'consecutiveDatapointsToClear',
  'statisticalThreshold',
  'mlDetectionConfig',
] as const;

const MODE_FIELDS = ['value', 'statisticalThreshold', 'mlDetectionConfig'] as const;
const MODE_BY_FIELD = {
  value: 'STATIC',
  statisticalThreshold: 'STATISTICAL',
  mlDetectionConfig: 'MACHINE_LEARNING',
} as const satisfies Record<(typeof MODE_FIELDS)[number], BehaviorCriteriaType>;

const DURATIONS = listWords(DURATION_SECONDS_VALUES.map(String));

/**
 * Checks `criteria` and returns how many value elements it contains, for the per-profile limit
 * of 1000. `rules` is undefined when the metric is unknown, in which case only the checks that
 * do not depend on the metric run.
 */
export function checkCriteria(
  scope: BehaviorScope,
  raw: unknown,
  rules: MetricRules | undefined,
): number {
  const criteria = expectObject(scope, raw, 'criteria');
  if (criteria === undefined) return 0;
  checkUnknownFields(scope, criteria, CRITERIA_FIELDS, 'criteria');

  checkDatapoints(scope, criteria.consecutiveDatapointsToAlarm, 'consecutiveDatapointsToAlarm');
  checkDatapoints(scope, criteria.consecutiveDatapointsToClear, 'consecutiveDatapointsToClear');

  const mode = findMode(scope, criteria);
  const operator = checkOperator(scope, criteria.comparisonOperator, mode, rules);
  const elements = isAbsent(criteria.value)
    ? 0
    : checkValue(scope, criteria.value, rules, operator);
  if (!isAbsent(criteria.statisticalThreshold)) {
    checkStatistical(
      scope,
      criteria.statisticalThreshold,
      mode === 'STATISTICAL' ? rules : undefined,
    );
  }
  if (!isAbsent(criteria.mlDetectionConfig)) {
    checkMachineLearning(
      scope,
      criteria.mlDetectionConfig,
      mode === 'MACHINE_LEARNING' ? rules : undefined,
    );
  }
  checkDuration(scope, criteria.durationSeconds, mode, rules);
  return elements;
}

/** Finds the single evaluation mode, or records why there is none. */
function findMode(
  scope: BehaviorScope,
  criteria: Record<string, unknown>,
): BehaviorCriteriaType | undefined {
  const present = MODE_FIELDS.filter((field) => !isAbsent(criteria[field]));
  const names = MODE_FIELDS.map((field) => `"${field}"`);
  if (present.length === 1) return MODE_BY_FIELD[present[0] ?? 'value'];

  if (present.length === 0) {
    addProblem(
      scope,
      'InvalidCriteriaMode',
      'criteria',
      `criteria must contain one of ${listWords(names)}`,
    );
  } else {
    const supplied = listWords(
      present.map((field) => `"${field}"`),
      'and',
    );
    const detail = `criteria must contain only one of ${listWords(names, 'and')}, got ${supplied}`;
    addProblem(scope, 'InvalidCriteriaMode', 'criteria', detail);
  }
  return undefined;
}

/** Checks the operator for the mode and metric. Returns it when it is a known operator. */
function checkOperator(
  scope: BehaviorScope,
  raw: unknown,
  mode: BehaviorCriteriaType | undefined,
  rules: MetricRules | undefined,
): ComparisonOperator | undefined {
  const field = 'criteria.comparisonOperator';
  if (isAbsent(raw)) {
    if (mode === 'STATIC' || mode === 'STATISTICAL') {
      addProblem(scope, 'MissingField', field, `missing required field ${quote(field)}`);
    }
    return undefined;
  }
  if (mode === 'MACHINE_LEARNING') {
    addProblem(
      scope,
      'InvalidOperator',
      field,
      `${quote(field)} must not be set with "mlDetectionConfig"`,
    );
    return undefined;
  }
  if (typeof raw !== 'string') {
    addProblem(
      scope,
      'InvalidType',
      field,
      `${quote(field)} must be a string, got ${describe(raw)}`,
    );
    return undefined;
  }

  const allowed = rules?.operators ?? COMPARISON_OPERATORS;
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(raw)) {
    const detail = `unknown comparison operator ${quote(raw)}; use ${listWords(allowed)}`;
    addProblem(scope, 'InvalidOperator', field, detail);
    return undefined;
  }

  const operator = raw as ComparisonOperator;
  if (rules !== undefined && !rules.operators.includes(operator)) {
    const detail = `operator ${quote(raw)} is not valid for ${metricLabel(rules)}; use ${listWords(allowed)}`;
    addProblem(scope, 'InvalidOperator', field, detail);
  }
  return operator;
}

function checkStatistical(scope: BehaviorScope, raw: unknown, rules: MetricRules | undefined) {
  const threshold = expectObject(scope, raw, 'criteria.statisticalThreshold');
  if (threshold === undefined) return;
  checkUnknownFields(scope, threshold, ['statistic'], 'criteria.statisticalThreshold');

  const field = 'criteria.statisticalThreshold.statistic';
  const statistic = threshold.statistic;
  if (isAbsent(statistic)) {
    addProblem(scope, 'MissingField', field, `missing required field ${quote(field)}`);
  } else if (!(EVALUATION_STATISTICS as readonly unknown[]).includes(statistic)) {
    const detail = `invalid statistic ${quote(statistic)} at ${quote(field)}: must be one of ${listWords(EVALUATION_STATISTICS)}`;
    addProblem(scope, 'InvalidStatistic', field, detail);
  }

  if (rules !== undefined && !rules.statistical) {
    const detail = `statistical thresholds are not supported for ${metricLabel(rules)}`;
    addProblem(scope, 'StatisticalNotSupported', 'criteria.statisticalThreshold', detail);
  }
}

/**
 * Checks an ML Detect configuration. AWS also limits ML with a dimension to the four message
 * metrics, which follows from the catalog: those are the only metrics that allow both.
 */
function checkMachineLearning(scope: BehaviorScope, raw: unknown, rules: MetricRules | undefined) {
  const config = expectObject(scope, raw, 'criteria.mlDetectionConfig');
  if (config === undefined) return;
  checkUnknownFields(scope, config, ['confidenceLevel'], 'criteria.mlDetectionConfig');

  const field = 'criteria.mlDetectionConfig.confidenceLevel';
  const level = config.confidenceLevel;
  if (isAbsent(level)) {
    addProblem(scope, 'MissingField', field, `missing required field ${quote(field)}`);
  } else if (!(CONFIDENCE_LEVELS as readonly unknown[]).includes(level)) {
    const detail = `invalid confidence level ${quote(level)} at ${quote(field)}: must be ${listWords(CONFIDENCE_LEVELS)}`;
    addProblem(scope, 'InvalidConfidenceLevel', field, detail);
  }

  if (rules !== undefined && !rules.machineLearning) {
    const detail = `ML Detect is not supported for ${metricLabel(rules)}`;
    addProblem(scope, 'MachineLearningNotSupported', 'criteria.mlDetectionConfig', detail);
  }
}

function checkDuration(
  scope: BehaviorScope,
  raw: unknown,
  mode: BehaviorCriteriaType | undefined,
  rules: MetricRules | undefined,
): void {
  const field = 'criteria.durationSeconds';
  if (!isAbsent(raw) && typeof raw !== 'number') {
    addProblem(
      scope,
      'InvalidType',
      field,
      `${quote(field)} must be an integer, got ${describe(raw)}`,
    );
  } else if (!isAbsent(raw) && !DURATION_SECONDS_VALUES.includes(raw)) {
    const detail = `invalid durationSeconds ${quote(raw)} at ${quote(field)}: must be ${DURATIONS}`;
    addProblem(scope, 'InvalidDuration', field, detail);
  }

  if (mode === 'MACHINE_LEARNING' && !isAbsent(raw)) {
    addProblem(
      scope,
      'InvalidDuration',
      field,
      `${quote(field)} must not be set with "mlDetectionConfig"`,
    );
    return;
  }
  if (rules === undefined) return;
  if (mode === 'STATISTICAL' && rules.statistical && isAbsent(raw)) {
    const detail = `missing ${quote(field)}, which "statisticalThreshold" requires; use ${DURATIONS}`;
    addProblem(scope, 'InvalidDuration', field, detail);
  }
  if (mode !== 'STATIC') return;

  if (rules.staticDuration === 'required' && isAbsent(raw)) {
    const detail = `missing ${quote(field)}, which ${metricLabel(rules)} requires; use ${DURATIONS}`;
    addProblem(scope, 'InvalidDuration', field, detail);
  }
  if (rules.staticDuration === 'forbidden' && !isAbsent(raw)) {
    const target = isListKind(rules)
      ? `list ${metricLabel(rules)}`
      : `a static threshold on ${metricLabel(rules)}`;
    addProblem(scope, 'InvalidDuration', field, `${quote(field)} cannot be used with ${target}`);
  }
}

function checkDatapoints(scope: BehaviorScope, raw: unknown, name: string): void {
  const field = `criteria.${name}`;
  if (isAbsent(raw)) return;
  if (typeof raw !== 'number') {
    addProblem(
      scope,
      'InvalidType',
      field,
      `${quote(field)} must be an integer, got ${describe(raw)}`,
    );
  } else if (!Number.isInteger(raw) || raw < 1 || raw > 10) {
    const detail = `invalid ${name} ${quote(raw)} at ${quote(field)}: must be an integer 1-10`;
    addProblem(scope, 'InvalidDatapoints', field, detail);
  }
}

function isListKind(rules: MetricRules): boolean {
  return rules.valueKind !== 'count' && rules.valueKind !== 'number';
}
