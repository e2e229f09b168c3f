import type {
  AlarmRecord,
  CloudDatapoint,
  CustomMetric,
  Dimension,
  ReportState,
  SecurityProfile,
  StoredReport,
  StoredViolationEvent,
  Violation,
} from './detect-records.ts';

/** Detect's working set, loaded at start; history (events, reports, datapoints) stays in the store. */
export interface DetectSnapshot {
  profiles: SecurityProfile[];
  targets: { securityProfileName: string; targetArn: string }[];
  customMetrics: CustomMetric[];
  dimensions: Dimension[];
  activeViolations: Violation[];
  alarms: AlarmRecord[];
  reportStates: ReportState[];
}

export interface EventQuery {
  startTime: number;
  endTime: number;
  thingName?: string | undefined;
  securityProfileName?: string | undefined;
}

/**
 * Durable storage of detect. Every write resolves after it committed, so a report acknowledged
 * as ACCEPTED and a violation reported to the API survive a crash.
 */
export interface DetectStore {
  load(): Promise<DetectSnapshot>;
  putProfile(profile: SecurityProfile): Promise<void>;
  deleteProfile(name: string): Promise<void>;
  putTarget(securityProfileName: string, targetArn: string): Promise<void>;
  deleteTarget(securityProfileName: string, targetArn: string): Promise<void>;
  putCustomMetric(metric: CustomMetric): Promise<void>;
  deleteCustomMetric(name: string): Promise<void>;
  putDimension(dimension: Dimension): Promise<void>;
  deleteDimension(name: string): Promise<void>;
  /** Stores an accepted report with its new report state, atomically. */
  putReport(report: StoredReport, state: ReportState): Promise<void>;
  putCloudDatapoints(datapoints: CloudDatapoint[]): Promise<void>;
  /** Applies the outcome of one evaluation: alarm positions, violations, events, at once. */
  putEvaluation(outcome: EvaluationWrite): Promise<void>;
  queryReports(thingName: string, startTime: number, endTime: number): Promise<StoredReport[]>;
  queryCloudDatapoints(
    thingName: string,
    metric: string,
    startTime: number,
    endTime: number,
    dimension?: string,
  ): Promise<CloudDatapoint[]>;
  queryEvents(query: EventQuery): Promise<StoredViolationEvent[]>;
  getViolation(violationId: string): Promise<Violation | undefined>;
  /** Deletes history older than the given times (epoch ms); returns the rows deleted. */
  prune(before: RetentionCutoffs): Promise<number>;
}

/** Oldest times to keep, per kind of history. */
export interface RetentionCutoffs {
  reports: number;
  cloudDatapoints: number;
  /** Violation events, and violations that ended before this time. */
  violations: number;
}

export interface EvaluationWrite {
  alarms: AlarmRecord[];
  deletedAlarms: { thingName: string; securityProfileName: string; behaviorName: string }[];
  violations: Violation[];
  events: StoredViolationEvent[];
}
