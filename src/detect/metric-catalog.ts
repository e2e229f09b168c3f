/**
 * The built-in Rules Detect metrics and the rules behaviors must follow for each of them, plus
 * the same rules derived for the four custom metric types. Operators, value types, the
 * statistical and ML columns and the dimension column follow the AWS IoT Device Defender
 * developer guide (cloud-side and device-side metric pages, ML Detect page, scoping page).
 * Entries marked "Warden choice" are not documented by AWS.
 */

import type { ComparisonOperator } from './behavior.ts';
import type { CustomMetricType, MetricValue } from './metric-value.ts';

/** Side that measures a metric: the broker (cloud) or the agent on the device. */
export type MetricSide = 'cloud' | 'device';

/** The `MetricValue` member that carries a metric's datapoints and thresholds. */
export type MetricValueKind = keyof MetricValue;

/** Whether `criteria.durationSeconds` must, may or must not be given. */
export type DurationRule = 'required' | 'optional' | 'forbidden';

/**
 * Rule that turns raw observations into datapoints of a metric:
 * - `device-delta`: per-report deltas, summed over `durationSeconds`.
 * - `device-gauge`: absolute values, the latest report is evaluated.
 * - `device-set`: a list reported whole in each report.
 * - `cloud-counter`: events counted in 5-minute buckets, summed over `durationSeconds`.
 * - `cloud-message-size`: per-message sizes, reduced per 5-minute bucket to its max or min.
 * - `cloud-set`: the connecting IP address of each connection.
 * - `cloud-elapsed`: minutes since the thing disconnected, sampled every 5 minutes.
 * - `cloud-silence`: minutes a connected thing has sent no accepted report, sampled every 5
 *   minutes.
 */
export type MetricAggregation =
  | 'device-delta'
  | 'device-gauge'
  | 'device-set'
  | 'cloud-counter'
  | 'cloud-message-size'
  | 'cloud-set'
  | 'cloud-elapsed'
  | 'cloud-silence';

/** Validation and evaluation rules of one metric, built-in or custom. */
export interface MetricRules {
  /** `aws:` metric name, or the custom metric's name. */
  name: string;
  side: MetricSide;
  /** Set for custom metrics only. */
  customType?: CustomMetricType;
  valueKind: MetricValueKind;
  unit: string;
  /** Operators valid with a static `value` or a `statisticalThreshold`. */
  operators: readonly ComparisonOperator[];
  /** The `durationSeconds` rule for static criteria. Statistical criteria always require it. */
  staticDuration: DurationRule;
  statistical: boolean;
  machineLearning: boolean;
  /** Whether a `TOPIC_FILTER` dimension may narrow the metric, in Rules and ML Detect alike. */
  topicFilterDimension: boolean;
  aggregation: MetricAggregation;
}

/** The `durationSeconds` values the developer guide documents. */
export const DURATION_SECONDS_VALUES: readonly number[] = [300, 600, 900, 1800, 3600];

/** Operators comparing one number with a threshold. */
export const NUMERIC_OPERATORS = [
  'less-than',
  'less-than-equals',
  'greater-than',
  'greater-than-equals',
] as const satisfies readonly ComparisonOperator[];

/** Operators comparing a list of ports with a port set. */
export const PORT_SET_OPERATORS = [
  'in-port-set',
  'not-in-port-set',
] as const satisfies readonly ComparisonOperator[];

/** Operators comparing a list of IP addresses with a CIDR set. */
export const CIDR_SET_OPERATORS = [
  'in-cidr-set',
  'not-in-cidr-set',
] as const satisfies readonly ComparisonOperator[];

/** Operators comparing a list of numbers or strings with a set. */
export const SET_OPERATORS = [
  'in-set',
  'not-in-set',
] as const satisfies readonly ComparisonOperator[];

type Counter = Pick<MetricRules, 'name' | 'side' | 'unit' | 'staticDuration' | 'aggregation'> &
  Partial<Pick<MetricRules, 'statistical' | 'machineLearning' | 'topicFilterDimension'>>;

/** Builds a count metric with statistical thresholds and ML Detect, unless `fields` turn them off. */
function counter(fields: Counter): MetricRules {
  return {
    valueKind: 'count',
    operators: NUMERIC_OPERATORS,
    statistical: true,
    machineLearning: true,
    topicFilterDimension: false,
    ...fields,
  };
}

/** Builds a list metric, which takes no duration, statistical threshold or ML Detect. */
function list(
  fields: Pick<MetricRules, 'name' | 'side' | 'valueKind' | 'operators' | 'aggregation'> &
    Partial<Pick<MetricRules, 'topicFilterDimension'>>,
): MetricRules {
  return {
    unit: 'n/a',
    staticDuration: 'forbidden',
    statistical: false,
    machineLearning: false,
    topicFilterDimension: false,
    ...fields,
  };
}

const CLOUD_METRICS: readonly MetricRules[] = [
  // The guide bounds "each message", so a static threshold has no window. Statistical
  // thresholds on this metric still take a durationSeconds (the guide's example uses 300).
  counter({
    name: 'aws:message-byte-size',
    side: 'cloud',
    unit: 'bytes',
    staticDuration: 'forbidden',
    aggregation: 'cloud-message-size',
    topicFilterDimension: true,
  }),
  ...['aws:num-messages-sent', 'aws:num-messages-received'].map((name) =>
    counter({
      name,
      side: 'cloud',
      unit: 'messages',
      staticDuration: 'required',
      aggregation: 'cloud-counter',
      topicFilterDimension: true,
    }),
  ),
  counter({
    name: 'aws:num-authorization-failures',
    side: 'cloud',
    unit: 'failures',
    staticDuration: 'required',
    aggregation: 'cloud-counter',
    topicFilterDimension: true,
  }),
  list({
    name: 'aws:source-ip-address',
    side: 'cloud',
    valueKind: 'cidrs',
    operators: CIDR_SET_OPERATORS,
    aggregation: 'cloud-set',
    topicFilterDimension: true,
  }),
  counter({
    name: 'aws:num-connection-attempts',
    side: 'cloud',
    unit: 'attempts',
    staticDuration: 'required',
    aggregation: 'cloud-counter',
  }),
  counter({
    name: 'aws:num-disconnects',
    side: 'cloud',
    unit: 'disconnects',
    staticDuration: 'required',
    aggregation: 'cloud-counter',
  }),
  // Warden choice: AWS documents only this metric's purpose (alarm on things that stay
  // disconnected) and that datapoints use `value.count`. Warden counts whole minutes since the
  // thing disconnected, sampled on the 5-minute cloud cycle, and 0 while it is connected. A
  // window, statistics, ML and dimensions have no documented meaning here, so all are rejected.
  counter({
    name: 'aws:disconnect-duration',
    side: 'cloud',
    unit: 'minutes',
    staticDuration: 'forbidden',
    aggregation: 'cloud-elapsed',
    statistical: false,
    machineLearning: false,
  }),
  // Warden's own metric: whole minutes since the thing's last accepted metrics report (or since
  // it connected, when it has not reported), sampled on the 5-minute cycle while it is connected.
  // A device that stays online while its agent was stopped shows here; AWS has no such metric.
  counter({
    name: 'warden:report-silence',
    side: 'cloud',
    unit: 'minutes',
    staticDuration: 'forbidden',
    aggregation: 'cloud-silence',
    statistical: false,
    machineLearning: false,
  }),
];

const DEVICE_METRICS: readonly MetricRules[] = [
  ...(['aws:all-bytes-out', 'aws:all-bytes-in'] as const).map((name) =>
    counter({
      name,
      side: 'device',
      unit: 'bytes',
      staticDuration: 'required',
      aggregation: 'device-delta',
    }),
  ),
  ...(['aws:all-packets-out', 'aws:all-packets-in'] as const).map((name) =>
    counter({
      name,
      side: 'device',
      unit: 'packets',
      staticDuration: 'required',
      aggregation: 'device-delta',
    }),
  ),
  // Gauges: the guide lists a duration for them in some revisions and not in others, so it is
  // accepted but has no effect because the latest report is what gets evaluated.
  ...(['aws:num-listening-tcp-ports', 'aws:num-listening-udp-ports'] as const).map((name) =>
    counter({
      name,
      side: 'device',
      unit: 'ports',
      staticDuration: 'optional',
      aggregation: 'device-gauge',
    }),
  ),
  counter({
    name: 'aws:num-established-tcp-connections',
    side: 'device',
    unit: 'connections',
    staticDuration: 'optional',
    aggregation: 'device-gauge',
  }),
  ...(['aws:listening-tcp-ports', 'aws:listening-udp-ports'] as const).map((name) =>
    list({
      name,
      side: 'device',
      valueKind: 'ports',
      operators: PORT_SET_OPERATORS,
      aggregation: 'device-set',
    }),
  ),
  list({
    name: 'aws:destination-ip-addresses',
    side: 'device',
    valueKind: 'cidrs',
    operators: CIDR_SET_OPERATORS,
    aggregation: 'device-set',
  }),
];

/** Every built-in metric, cloud-side first, in the order of the developer guide. */
export const BUILT_IN_METRICS: readonly MetricRules[] = [...CLOUD_METRICS, ...DEVICE_METRICS];

const BY_NAME = new Map(BUILT_IN_METRICS.map((metric) => [metric.name, metric]));

/** Returns the rules of a built-in metric, or undefined for any other name. */
export function builtInMetric(name: string): MetricRules | undefined {
  return BY_NAME.get(name);
}

/** Prefixes of built-in metric names: AWS's own and Warden's additions. */
export const RESERVED_METRIC_PREFIXES = ['aws:', 'warden:'] as const;

/**
 * Tells built-in metric names from custom ones. Custom metric names cannot begin with `aws:` or
 * `warden:`, so every such name that is not in the catalog is an unknown built-in metric.
 */
export function isBuiltInMetricName(name: string): boolean {
  return RESERVED_METRIC_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Derives the rules of a custom metric from its type. AWS allows statistical thresholds and ML
 * Detect only for `number` metrics, a duration on no list type, and no dimensions at all.
 */
export function customMetricRules(name: string, type: CustomMetricType): MetricRules {
  const base = { name, side: 'device', customType: type, topicFilterDimension: false } as const;
  switch (type) {
    case 'number':
      // Warden choice: a custom number is a gauge, so durationSeconds is accepted but the
      // latest report is evaluated.
      return {
        ...base,
        valueKind: 'number',
        unit: 'as reported',
        operators: NUMERIC_OPERATORS,
        staticDuration: 'optional',
        statistical: true,
        machineLearning: true,
        aggregation: 'device-gauge',
      };
    case 'number-list':
      return customList(base, 'numbers', SET_OPERATORS);
    case 'string-list':
      return customList(base, 'strings', SET_OPERATORS);
    case 'ip-address-list':
      return customList(base, 'cidrs', CIDR_SET_OPERATORS);
  }
}

function customList(
  base: Pick<MetricRules, 'name' | 'side' | 'customType' | 'topicFilterDimension'>,
  valueKind: MetricValueKind,
  operators: readonly ComparisonOperator[],
): MetricRules {
  return {
    ...base,
    valueKind,
    unit: 'n/a',
    operators,
    staticDuration: 'forbidden',
    statistical: false,
    machineLearning: false,
    aggregation: 'device-set',
  };
}
