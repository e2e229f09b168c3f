/**
 * Normalization of validated behaviors before they are stored, so that Describe returns one
 * canonical form whatever spelling the request used.
 */

import { isBuiltInMetricName } from './metric-catalog.ts';
import type {
  Behavior,
  BehaviorCriteria,
  MetricDimension,
  StatisticalThreshold,
} from './behavior.ts';
import type { CustomMetricType, MetricValue } from './metric-value.ts';

/** The part of the lookup that normalization needs. */
export interface CustomMetricLookup {
  customMetricType(name: string): CustomMetricType | undefined;
}

/**
 * Returns a copy of a validated behavior in canonical form: members in the service model's
 * order, JSON nulls dropped, and `value.count` on a custom `number` metric renamed to
 * `value.number`. Defaults such as the `IN` dimension operator or the datapoint counts of 1
 * are not filled in, so Describe returns what the caller sent.
 *
 * The input must have passed `findBehaviorProblems`. Fields of other types are copied as they
 * are, without checks.
 */
export function normalizeBehavior(behavior: Behavior, lookup: CustomMetricLookup): Behavior {
  const normalized: Behavior = { name: behavior.name };
  if (present(behavior.metric)) normalized.metric = behavior.metric;
  if (present(behavior.metricDimension)) {
    normalized.metricDimension = normalizeDimension(behavior.metricDimension);
  }
  if (present(behavior.criteria)) {
    const customNumber = isCustomNumber(behavior.metric, lookup);
    normalized.criteria = normalizeCriteria(behavior.criteria, customNumber);
  }
  if (present(behavior.suppressAlerts)) normalized.suppressAlerts = behavior.suppressAlerts;
  if (present(behavior.exportMetric)) normalized.exportMetric = behavior.exportMetric;
  return normalized;
}

function isCustomNumber(metric: string | undefined, lookup: CustomMetricLookup): boolean {
  if (metric === undefined || isBuiltInMetricName(metric)) return false;
  return lookup.customMetricType(metric) === 'number';
}

function normalizeDimension(dimension: MetricDimension): MetricDimension {
  const normalized: MetricDimension = { dimensionName: dimension.dimensionName };
  if (present(dimension.operator)) normalized.operator = dimension.operator;
  return normalized;
}

function normalizeCriteria(criteria: BehaviorCriteria, customNumber: boolean): BehaviorCriteria {
  const normalized: BehaviorCriteria = {};
  if (present(criteria.comparisonOperator)) {
    normalized.comparisonOperator = criteria.comparisonOperator;
  }
  if (present(criteria.value)) normalized.value = normalizeValue(criteria.value, customNumber);
  if (present(criteria.durationSeconds)) normalized.durationSeconds = criteria.durationSeconds;
  if (present(criteria.consecutiveDatapointsToAlarm)) {
    normalized.consecutiveDatapointsToAlarm = criteria.consecutiveDatapointsToAlarm;
  }
  if (present(criteria.consecutiveDatapointsToClear)) {
    normalized.consecutiveDatapointsToClear = criteria.consecutiveDatapointsToClear;
  }
  if (present(criteria.statisticalThreshold)) {
    normalized.statisticalThreshold = normalizeThreshold(criteria.statisticalThreshold);
  }
  if (present(criteria.mlDetectionConfig)) {
    normalized.mlDetectionConfig = { confidenceLevel: criteria.mlDetectionConfig.confidenceLevel };
  }
  return normalized;
}

function normalizeThreshold(threshold: StatisticalThreshold): StatisticalThreshold {
  return present(threshold.statistic) ? { statistic: threshold.statistic } : {};
}

/** Copies the single member of a value, renaming the `count` alias of a custom number. */
function normalizeValue(value: MetricValue, customNumber: boolean): MetricValue {
  if (customNumber && present(value.count) && !present(value.number)) {
    return { number: value.count };
  }
  const normalized: MetricValue = {};
  if (present(value.count)) normalized.count = value.count;
  if (present(value.cidrs)) normalized.cidrs = [...value.cidrs];
  if (present(value.ports)) normalized.ports = [...value.ports];
  if (present(value.number)) normalized.number = value.number;
  if (present(value.numbers)) normalized.numbers = [...value.numbers];
  if (present(value.strings)) normalized.strings = [...value.strings];
  return normalized;
}

/** Tells whether an optional member is set. JSON null counts as unset. */
function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}
