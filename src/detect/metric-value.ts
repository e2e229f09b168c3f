/**
 * A metric value in the AWS IoT `MetricValue` shape: exactly one member is set, chosen by the
 * metric's type. Counts are non-negative integers; `number` and `numbers` are custom metrics.
 */
export interface MetricValue {
  count?: number;
  cidrs?: string[];
  ports?: number[];
  number?: number;
  numbers?: number[];
  strings?: string[];
}

/** One value of one metric for one thing, as produced by a report or by the broker. */
export interface Datapoint {
  /** `aws:` metric name or custom metric name. */
  metric: string;
  value: MetricValue;
}

/** The four custom metric types of the AWS IoT API (`CustomMetricType`). */
export type CustomMetricType = 'number' | 'number-list' | 'string-list' | 'ip-address-list';
