/**
 * The offline audit from the command's side: reads the folder, picks the checks its inputs allow,
 * runs them in-process and builds the same report an online audit gives.
 */

import type { AuditCheck } from '../../audit/audit-check.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { applicableChecks } from '../../audit/offline/check-inputs.ts';
import { loadOfflineFleet } from '../../audit/offline/load-offline-fleet.ts';
import { formatProblem } from '../../audit/offline/offline-inputs.ts';
import { runOfflineAudit } from '../../audit/offline/offline-audit.ts';
import type { SourceLocation } from '../../audit/offline/offline-inputs.ts';
import { WardenError } from '../../core/errors.ts';
import type { AuditArgs } from './audit-args.ts';
import type { AuditCommandIo } from './audit-command.ts';
import { findingJson, type AuditReport } from './audit-report.ts';
import { AuditRunError } from './audit-run-error.ts';
import type { ProgressBar } from './progress-bar.ts';

/**
 * Audits the folder.
 * @throws AuditRunError when the folder cannot be read, contains nothing readable, or no chosen check
 * can run on it.
 */
export async function offlineReport(
  args: AuditArgs,
  folder: string,
  io: AuditCommandIo,
  progress: ProgressBar | undefined,
): Promise<AuditReport> {
  const now = io.clock?.now() ?? Date.now();
  let fleet;
  try {
    fleet = await loadOfflineFleet(folder, { now });
  } catch (error) {
    throw new AuditRunError((error as Error).message);
  }
  if (fleet.provided.size === 0) {
    for (const problem of fleet.problems) io.stderr.write(`Skipped ${formatProblem(problem)}\n`);
    throw new AuditRunError(
      `Nothing readable in "${folder}": ${fleet.fileCount} input files, ${fleet.problems.length} skipped; the folder format is in docs/audit-cli.md`,
    );
  }

  const checks = chooseChecks(args, io.checks, fleet.provided);
  let outcome;
  try {
    outcome = await runOfflineAudit(fleet.snapshot, {
      checks: checks.run,
      ...(io.clock ? { clock: io.clock } : {}),
      ...(progress ? { onProgress: progressOf(progress) } : {}),
      ...(io.pollIntervalMs === undefined ? {} : { progressIntervalMs: io.pollIntervalMs }),
    });
  } catch (error) {
    if (error instanceof WardenError) throw new AuditRunError(error.message);
    throw error;
  }

  const findings = outcome.findings.map(findingJson);
  const locations = new Map<string, SourceLocation>();
  for (const finding of findings) {
    const location = fleet.sources.locate(finding.nonCompliantResource);
    if (location !== undefined) locations.set(finding.findingId, location);
  }
  const severities = new Map(checks.run.map((check) => [check.name, check.severity]));
  return {
    source: { kind: 'offline', folder, fileCount: fleet.fileCount },
    taskId: outcome.task.taskId,
    taskStatus: outcome.task.taskStatus,
    taskStartTime: toEpochSeconds(outcome.task.startTime),
    checks: Object.entries(outcome.task.checks).map(([checkName, details]) => {
      const severity = severities.get(checkName);
      return severity === undefined ? { checkName, details } : { checkName, severity, details };
    }),
    findings,
    failOn: args.failOn,
    notRun: checks.notRun,
    skipped: fleet.problems,
    locations,
  };
}

/** Chooses the checks to run: `--checks` or all, minus those the folder has no input for. */
function chooseChecks(
  args: AuditArgs,
  all: readonly AuditCheck[],
  provided: Parameters<typeof applicableChecks>[1],
): ReturnType<typeof applicableChecks> {
  let chosen = all;
  if (args.checks !== undefined) {
    const byName = new Map(all.map((check) => [check.name, check]));
    const unknown = args.checks.find((name) => !byName.has(name));
    if (unknown !== undefined) {
      const known = [...byName.keys()].sort().join(', ');
      throw new AuditRunError(`Unknown audit check "${unknown}"; known checks: ${known}`);
    }
    chosen = args.checks.map((name) => byName.get(name) as AuditCheck);
  }

  const split = applicableChecks(chosen, provided);
  const impossible = args.checks === undefined ? undefined : split.notRun[0];
  if (impossible !== undefined)
    throw new AuditRunError(
      `Check ${impossible.checkName} cannot run on this folder: ${impossible.reason}`,
    );
  if (split.run.length === 0) {
    const reasons = split.notRun.map((item) => `${item.checkName}: ${item.reason}`).join('; ');
    throw new AuditRunError(`No audit check can run on this folder: ${reasons}`);
  }
  return split;
}

function progressOf(progress: ProgressBar) {
  return (task: { checks: Record<string, { checkRunStatus: string }> }) => {
    const statuses = Object.values(task.checks).map((check) => check.checkRunStatus);
    const done = statuses.filter((status) => status !== 'IN_PROGRESS').length;
    progress.update(done, statuses.length);
  };
}
