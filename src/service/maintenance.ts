import type { AuditStore } from '../audit/audit-store.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DetectStore } from '../detect/detect-store.ts';
import type { Evaluator } from '../detect/evaluator.ts';
import type { ConnectionHistoryStore } from '../history/connection-event.ts';

const DAY_MS = 24 * 3600 * 1000;

/** How long each kind of history is kept, in milliseconds. */
export interface RetentionSettings {
  /** Accepted reports and cloud-side datapoints, for ListMetricValues: 14 days. */
  metricsMs: number;
  /** Violation events and ended violations: 30 days, as Device Defender keeps them. */
  violationsMs: number;
  /** Connection history, which audits read 31 days back: 90 days. */
  connectionsMs: number;
  /** Audit tasks and findings: 90 days, as Device Defender keeps them. */
  auditsMs: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  metricsMs: 14 * DAY_MS,
  violationsMs: 30 * DAY_MS,
  connectionsMs: 90 * DAY_MS,
  auditsMs: 90 * DAY_MS,
};

export interface MaintenanceOptions {
  evaluator: Evaluator;
  detectStore: DetectStore;
  history: ConnectionHistoryStore;
  auditStore?: AuditStore;
  /** Prunes further history kept 90 days, such as auto-response records; returns rows deleted. */
  pruneMore?: (before: number) => Promise<number>;
  clock: Clock;
  logger: Logger;
  retention?: RetentionSettings;
}

/**
 * Periodic upkeep: invalidates violations of things that went silent for two days and deletes
 * history past its retention. `runOnce` is what the timer calls; tests call it directly.
 */
export class Maintenance {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MaintenanceOptions) {}

  start(intervalMs = 10 * 60 * 1000): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'maintenance failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async runOnce(): Promise<void> {
    const { evaluator, detectStore, history, clock, logger } = this.options;
    const retention = this.options.retention ?? DEFAULT_RETENTION;
    const now = clock.now();

    await evaluator.sweepStale();
    const detectRows = await detectStore.prune({
      reports: now - retention.metricsMs,
      cloudDatapoints: now - retention.metricsMs,
      violations: now - retention.violationsMs,
    });
    const historyRows = await history.prune(now - retention.connectionsMs);
    const auditRows =
      ((await this.options.auditStore?.prune(now - retention.auditsMs)) ?? 0) +
      ((await this.options.pruneMore?.(now - retention.auditsMs)) ?? 0);
    if (detectRows + historyRows + auditRows > 0) {
      logger.info({ detectRows, historyRows, auditRows }, 'pruned history past retention');
    }
  }
}
