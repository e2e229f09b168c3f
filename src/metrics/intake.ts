import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ReportState, StoredReport } from '../detect/detect-records.ts';
import type { DetectState } from '../detect/detect-state.ts';
import type { Evaluator } from '../detect/evaluator.ts';
import type { Datapoint } from '../detect/metric-value.ts';
import {
  buildAcceptedAnswer,
  buildRejectedAnswer,
  parseReport,
  validateThingName,
  type NormalizedReport,
  type ReportAnswer,
  type ReportErrorCode,
  type ReportFormat,
} from './report/index.ts';

/** Device Defender accepts one report per thing every 5 minutes. */
export const DEFAULT_MIN_REPORT_INTERVAL_MS = 300_000;

export interface IntakeOptions {
  /** Shortest time between two accepted reports of one thing, in milliseconds. */
  minReportIntervalMs?: number;
  /** Largest report payload in bytes. */
  maxReportBytes?: number;
}

/** Counters of the intake, for logs and benchmarks. */
export interface IntakeStats {
  accepted: number;
  rejected: Partial<Record<ReportErrorCode, number>>;
}

/**
 * The one path every device report takes, whether it came over MQTT or HTTP: check the thing
 * name, decode and validate, enforce the rate limit and report-id order, store the report and
 * evaluate it, and only then respond ACCEPTED. A bad report gets a REJECTED response and changes
 * nothing.
 */
export class ReportIntake {
  readonly stats: IntakeStats = { accepted: 0, rejected: {} };
  private readonly minIntervalMs: number;
  private readonly maxReportBytes: number | undefined;

  constructor(
    private readonly detect: DetectState,
    private readonly evaluator: Evaluator,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: IntakeOptions = {},
  ) {
    this.minIntervalMs = options.minReportIntervalMs ?? DEFAULT_MIN_REPORT_INTERVAL_MS;
    this.maxReportBytes = options.maxReportBytes;
  }

  async submit(
    thingName: string,
    payload: Uint8Array,
    format: ReportFormat,
  ): Promise<ReportAnswer> {
    const now = this.clock.now();
    const nameProblem = validateThingName(thingName);
    if (nameProblem)
      return this.reject(thingName, undefined, nameProblem.code, nameProblem.message, now);

    const parsed = parseReport(
      payload,
      format,
      this.maxReportBytes === undefined ? {} : { maxBytes: this.maxReportBytes },
    );
    if (!parsed.ok)
      return this.reject(
        thingName,
        parsed.reportId,
        parsed.problem.code,
        parsed.problem.message,
        now,
      );
    const report = parsed.report;

    const orderProblem = this.checkOrder(thingName, report.reportId, now);
    if (orderProblem)
      return this.reject(thingName, report.reportId, orderProblem.code, orderProblem.message, now);
    const datapoints = this.checkCustomMetrics(report);
    if (typeof datapoints === 'string')
      return this.reject(thingName, report.reportId, 'InvalidPayload', datapoints, now);

    return this.accept(thingName, report, datapoints, now);
  }

  private async accept(
    thingName: string,
    report: NormalizedReport,
    datapoints: Datapoint[],
    now: number,
  ): Promise<ReportAnswer> {
    const previous = this.detect.reportStates.get(thingName);
    const state: ReportState = { thingName, lastReportId: report.reportId, lastReportAt: now };
    this.detect.reportStates.set(thingName, state);
    const stored: StoredReport = { thingName, reportId: report.reportId, time: now, datapoints };

    try {
      // Both writes join the same group commit, so the report and its evaluation land together.
      await Promise.all([
        this.detect.store.putReport(stored, state),
        this.evaluator.evaluateReport(stored),
      ]);
    } catch (error) {
      if (previous) this.detect.reportStates.set(thingName, previous);
      else this.detect.reportStates.delete(thingName);
      this.logger.error(
        { err: error, thingName, reportId: report.reportId },
        'storing a report failed',
      );
      return this.reject(
        thingName,
        report.reportId,
        'InternalError',
        'Warden could not store the report; send it again later',
        now,
      );
    }

    this.stats.accepted++;
    if (report.notes.length > 0)
      this.logger.debug(
        { thingName, reportId: report.reportId, notes: report.notes },
        'report accepted with notes',
      );
    return buildAcceptedAnswer({ thingName, reportId: report.reportId, timestamp: now });
  }

  private checkOrder(
    thingName: string,
    reportId: number,
    now: number,
  ): { code: ReportErrorCode; message: string } | undefined {
    const last = this.detect.reportStates.get(thingName);
    if (!last) return undefined;
    if (reportId <= last.lastReportId) {
      return {
        code: 'DuplicateReportId',
        message: `Report id ${reportId} is not greater than the last accepted report id ${last.lastReportId} of thing "${thingName}"`,
      };
    }
    const waited = now - last.lastReportAt;
    if (waited < this.minIntervalMs) {
      const wait = Math.ceil((this.minIntervalMs - waited) / 1000);
      return {
        code: 'Throttled',
        message: `Thing "${thingName}" reported ${Math.floor(waited / 1000)} s after its previous report; at most one report per ${this.minIntervalMs / 1000} s is accepted, retry in ${wait} s`,
      };
    }
    return undefined;
  }

  /**
   * Keeps the datapoints of custom metrics that are defined and of the right type. A report that
   * sends a defined metric with another type is rejected. An undefined custom metric is dropped,
   * because no behavior could use it.
   */
  private checkCustomMetrics(report: NormalizedReport): Datapoint[] | string {
    const kept: Datapoint[] = [];
    for (const point of report.datapoints) {
      const reportedType = report.customMetricTypes[point.metric];
      if (reportedType === undefined) {
        kept.push(point);
        continue;
      }
      const defined = this.detect.customMetrics.get(point.metric);
      if (!defined) continue;
      if (defined.metricType !== reportedType) {
        return `Custom metric "${point.metric}" is of type "${defined.metricType}" but the report sends a "${reportedType}" value`;
      }
      kept.push(point);
    }
    return kept;
  }

  private reject(
    thingName: string,
    reportId: number | undefined,
    code: ReportErrorCode,
    message: string,
    now: number,
  ): ReportAnswer {
    this.stats.rejected[code] = (this.stats.rejected[code] ?? 0) + 1;
    this.logger.debug({ thingName, reportId, code, message }, 'report rejected');
    return buildRejectedAnswer({ thingName, reportId, code, message, timestamp: now });
  }
}
