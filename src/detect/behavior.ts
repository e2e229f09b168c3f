/**
 * Security profile behaviors and violations in the AWS IoT JSON shapes (service model
 * iot-2015-05-28): the member names, enums and optionality are the wire format, so stored and
 * returned documents round-trip through the AWS SDKs unchanged.
 */

import type { MetricValue } from './metric-value.ts';

/** The `ComparisonOperator` enum, in the order the service model lists it. */
export const COMPARISON_OPERATORS = [
  'less-than',
  'less-than-equals',
  'greater-than',
  'greater-than-equals',
  'in-cidr-set',
  'not-in-cidr-set',
  'in-port-set',
  'not-in-port-set',
  'in-set',
  'not-in-set',
] as const;

/** Operator relating the measured metric to the threshold of a behavior. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** The `DimensionValueOperator` enum. An omitted operator means `IN`. */
export const DIMENSION_VALUE_OPERATORS = ['IN', 'NOT_IN'] as const;

/** Operator that decides whether a `TOPIC_FILTER` dimension counts matching or other topics. */
export type DimensionValueOperator = (typeof DIMENSION_VALUE_OPERATORS)[number];

/** The eleven percentiles the `EvaluationStatistic` pattern allows. */
export const EVALUATION_STATISTICS = [
  'p0',
  'p0.1',
  'p0.01',
  'p1',
  'p10',
  'p50',
  'p90',
  'p99',
  'p99.9',
  'p99.99',
  'p100',
] as const;

/** Percentile that resolves a statistical threshold. */
export type EvaluationStatistic = (typeof EVALUATION_STATISTICS)[number];

/** The `ConfidenceLevel` enum. HIGH raises the fewest alarms, LOW the most. */
export const CONFIDENCE_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;

/** Sensitivity of an ML Detect behavior. */
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** Reference from a behavior to a dimension that narrows a metric to matching topics. */
export interface MetricDimension {
  dimensionName: string;
  operator?: DimensionValueOperator;
}

/** Percentile threshold computed over the fleet (`StatisticalThreshold`). */
export interface StatisticalThreshold {
  statistic?: EvaluationStatistic;
}

/** Configuration of an ML Detect behavior (`MachineLearningDetectionConfig`). */
export interface MachineLearningDetectionConfig {
  confidenceLevel: ConfidenceLevel;
}

/**
 * The criteria that describe normal behavior for a metric (`BehaviorCriteria`). A datapoint that
 * does not satisfy them is a violation.
 */
export interface BehaviorCriteria {
  comparisonOperator?: ComparisonOperator;
  value?: MetricValue;
  durationSeconds?: number;
  consecutiveDatapointsToAlarm?: number;
  consecutiveDatapointsToClear?: number;
  statisticalThreshold?: StatisticalThreshold;
  mlDetectionConfig?: MachineLearningDetectionConfig;
}

/**
 * A behavior of a security profile (`Behavior`). The service model marks only `name` as
 * required, but Warden's validator also requires `metric` and `criteria`.
 */
export interface Behavior {
  name: string;
  metric?: string;
  metricDimension?: MetricDimension;
  criteria?: BehaviorCriteria;
  suppressAlerts?: boolean;
  exportMetric?: boolean;
}

/** The `BehaviorCriteriaType` enum used by the violation list filters. */
export type BehaviorCriteriaType = 'STATIC' | 'STATISTICAL' | 'MACHINE_LEARNING';

/** The `ViolationEventType` enum. */
export type ViolationEventType = 'in-alarm' | 'alarm-cleared' | 'alarm-invalidated';

/** The `VerificationState` enum. New violations start as `UNKNOWN`. */
export type VerificationState = 'FALSE_POSITIVE' | 'BENIGN_POSITIVE' | 'TRUE_POSITIVE' | 'UNKNOWN';

/** Extra details of an ML Detect violation (`ViolationEventAdditionalInfo`). */
export interface ViolationEventAdditionalInfo {
  confidenceLevel?: ConfidenceLevel;
}

/**
 * A violation that is still in alarm (`ActiveViolation`). Times are epoch seconds, possibly
 * fractional, as the REST API sends them.
 */
export interface ActiveViolation {
  violationId: string;
  thingName: string;
  securityProfileName: string;
  behavior: Behavior;
  lastViolationValue?: MetricValue;
  violationEventAdditionalInfo?: ViolationEventAdditionalInfo;
  verificationState?: VerificationState;
  verificationStateDescription?: string;
  lastViolationTime?: number;
  violationStartTime?: number;
}

/**
 * One transition of a violation (`ViolationEvent`). `violationEventTime` is epoch seconds on the
 * REST API. An `alarm-invalidated` event carries no `metricValue`.
 */
export interface ViolationEvent {
  violationId: string;
  thingName: string;
  securityProfileName: string;
  behavior: Behavior;
  metricValue?: MetricValue;
  violationEventAdditionalInfo?: ViolationEventAdditionalInfo;
  violationEventType: ViolationEventType;
  verificationState?: VerificationState;
  verificationStateDescription?: string;
  violationEventTime: number;
}

/** One entry of `ValidateSecurityProfileBehaviorsResponse.validationErrors`. */
export interface ValidationError {
  errorMessage: string;
}

/** The body of a `ValidateSecurityProfileBehaviors` response. */
export interface ValidateSecurityProfileBehaviorsResponse {
  valid: boolean;
  validationErrors: ValidationError[];
}

/**
 * Classifies criteria for the `behaviorCriteriaType` filter. An `mlDetectionConfig` makes a
 * behavior MACHINE_LEARNING and a `statisticalThreshold` makes it STATISTICAL. Everything else,
 * an operator with a `value` in a valid behavior, is STATIC.
 */
export function classifyCriteria(criteria: BehaviorCriteria | undefined): BehaviorCriteriaType {
  if (criteria?.mlDetectionConfig !== undefined) return 'MACHINE_LEARNING';
  if (criteria?.statisticalThreshold !== undefined) return 'STATISTICAL';
  return 'STATIC';
}

/** Classifies a behavior by its criteria, as `classifyCriteria` does. */
export function classifyBehavior(behavior: Behavior): BehaviorCriteriaType {
  return classifyCriteria(behavior.criteria);
}
