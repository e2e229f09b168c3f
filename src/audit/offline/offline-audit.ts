/**
 * Runs an audit in-process over a snapshot, with the engine the service uses: the same task
 * runner, per-check statuses and findings, kept in an in-memory store that is dropped afterwards.
 */

import { silentLogger } from '../../core/logger.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { AUDIT_MIGRATION, SqliteAuditStore } from '../../store/sqlite-audit-store.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import type { AuditCheck } from '../audit-check.ts';
import { AuditConfigurations } from '../audit-configuration.ts';
import type { AuditTask, StoredFinding } from '../audit-records.ts';
import { AuditTasks } from '../audit-tasks.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';

/**
 * The role ARN stored in the in-memory audit configuration, which the AWS shape requires.
 * Warden never assumes the role.
 */
const OFFLINE_ROLE_ARN = 'arn:aws:iam::000000000000:role/warden-offline-audit';

export interface OfflineAuditOptions {
  /** The checks to run, all of them enabled for this audit. */
  checks: readonly AuditCheck[];
  /** Check name to its configuration values, such as `CERT_AGE_THRESHOLD_IN_DAYS`. */
  configuration?: Record<string, Record<string, string>>;
  clock?: Clock;
  /** Called with the task's state while it runs, every `progressIntervalMs`, and once at the end. */
  onProgress?: (task: AuditTask) => void;
  progressIntervalMs?: number;
}

/** The finished task and its findings. */
export interface OfflineAuditResult {
  task: AuditTask;
  findings: StoredFinding[];
}

/**
 * Runs the checks over the snapshot and waits for the task to finish.
 * @throws WardenError InvalidRequestException when a check's configuration is invalid or no check
 * is given.
 */
export async function runOfflineAudit(
  fleet: FleetSnapshot,
  options: OfflineAuditOptions,
): Promise<OfflineAuditResult> {
  const db = openSqlite(':memory:', [AUDIT_MIGRATION]);
  try {
    const store = new SqliteAuditStore(db);
    const configurations = new AuditConfigurations(store, options.checks, async () => new Set());
    await configurations.update({
      roleArn: OFFLINE_ROLE_ARN,
      auditCheckConfigurations: Object.fromEntries(
        options.checks.map((check) => [check.name, checkSettings(check, options.configuration)]),
      ),
    });
    const clock = options.clock ?? systemClock;
    const tasks = new AuditTasks(
      store,
      configurations,
      async (window) => ({ ...fleet, window }),
      clock,
      silentLogger(),
    );

    const started = await tasks.start({
      checkNames: options.checks.map((check) => check.name),
      taskType: 'ON_DEMAND_AUDIT_TASK',
    });
    await watch(store, tasks, started.taskId, options);
    const task = (await store.getTask(started.taskId)) ?? started;
    options.onProgress?.(task);
    return { task, findings: await store.listFindings({ taskId: task.taskId }) };
  } finally {
    db.close();
  }
}

function checkSettings(
  check: AuditCheck,
  configuration: OfflineAuditOptions['configuration'],
): { enabled: boolean; configuration?: Record<string, string> } {
  const values = configuration?.[check.name];
  return values === undefined ? { enabled: true } : { enabled: true, configuration: values };
}

/** Reports the task's state until it finishes. */
async function watch(
  store: SqliteAuditStore,
  tasks: AuditTasks,
  taskId: string,
  options: OfflineAuditOptions,
): Promise<void> {
  const { onProgress } = options;
  if (onProgress === undefined) return tasks.finished(taskId);
  const timer = setInterval(() => {
    void store.getTask(taskId).then((task) => task && onProgress(task));
  }, options.progressIntervalMs ?? 250);
  try {
    await tasks.finished(taskId);
  } finally {
    clearInterval(timer);
  }
}
