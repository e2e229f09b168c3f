import type { AlarmState } from './alarm-state.ts';
import type { Behavior, VerificationState, ViolationEventType } from './behavior.ts';
import type { CustomMetricType, MetricValue } from './metric-value.ts';

/** Records of the detect side as Warden stores them. Times are epoch milliseconds. */

export interface MetricToRetain {
  metric: string;
  metricDimension?: { dimensionName: string; operator?: 'IN' | 'NOT_IN' };
  exportMetric?: boolean;
}

export interface AlertTarget {
  alertTargetArn: string;
  roleArn: string;
}

export interface SecurityProfile {
  securityProfileName: string;
  description?: string;
  behaviors: Behavior[];
  alertTargets: Record<string, AlertTarget>;
  additionalMetricsToRetainV2: MetricToRetain[];
  metricsExportConfig?: { mqttTopic: string; roleArn: string };
  tags: { Key: string; Value?: string }[];
  version: number;
  createdAt: number;
  lastModifiedAt: number;
}

export interface CustomMetric {
  metricName: string;
  displayName?: string;
  metricType: CustomMetricType;
  clientRequestToken: string;
  createdAt: number;
  lastModifiedAt: number;
}

export interface Dimension {
  name: string;
  type: 'TOPIC_FILTER';
  stringValues: string[];
  clientRequestToken: string;
  createdAt: number;
  lastModifiedAt: number;
}

/** A violation: one alarm of one behavior for one thing, from in-alarm until cleared or invalidated. */
export interface Violation {
  violationId: string;
  thingName: string;
  securityProfileName: string;
  behavior: Behavior;
  startTime: number;
  lastViolationTime: number;
  lastViolationValue?: MetricValue;
  verificationState: VerificationState;
  verificationStateDescription?: string;
  /** Set when the alarm ends. */
  endedAt?: number;
  endType?: Exclude<ViolationEventType, 'in-alarm'>;
}

export interface StoredViolationEvent {
  violationId: string;
  thingName: string;
  securityProfileName: string;
  behavior: Behavior;
  metricValue?: MetricValue;
  type: ViolationEventType;
  time: number;
}

/** The alarm state machine's position for one (thing, profile, behavior). */
export interface AlarmRecord {
  thingName: string;
  securityProfileName: string;
  behaviorName: string;
  state: AlarmState;
  violationId?: string;
  lastDatapointAt: number;
}

/** A report as accepted, kept for ListMetricValues and for duration windows. */
export interface StoredReport {
  thingName: string;
  reportId: number;
  time: number;
  datapoints: { metric: string; value: MetricValue }[];
}

/** The newest accepted report of a thing, for the rate limit and the report-id order. */
export interface ReportState {
  thingName: string;
  lastReportId: number;
  lastReportAt: number;
}

/** One stored datapoint of a cloud-side metric, per 5-minute bucket. */
export interface CloudDatapoint {
  thingName: string;
  metric: string;
  /** Dimension name when the datapoint is dimension-scoped, with its operator. */
  dimension?: { name: string; operator: 'IN' | 'NOT_IN' };
  time: number;
  value: MetricValue;
}
