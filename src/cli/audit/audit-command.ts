/**
 * The `warden audit` command: parses the options, runs the audit online or offline, writes the
 * report in the chosen format and turns the outcome into an exit code.
 */

import {
  ConnectionError,
  connectToWarden,
  type WardenConnection,
} from '../../client/warden-connection.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditCheck } from '../../audit/audit-check.ts';
import type { Clock } from '../../core/clock.ts';
import { formatProblem } from '../../audit/offline/offline-inputs.ts';
import { AuditArgsError, AUDIT_USAGE, parseAuditArgs, type AuditArgs } from './audit-args.ts';
import {
  AUDIT_EXIT,
  incompleteReason,
  reportExitCode,
  sortReport,
  type AuditReport,
  type CheckSummary,
} from './audit-report.ts';
import { AuditRunError } from './audit-run-error.ts';
import { formatJson } from './format-json.ts';
import { formatSarif } from './format-sarif.ts';
import { formatTable } from './format-table.ts';
import { offlineReport } from './offline-report.ts';
import { runOnlineAudit } from './online-audit.ts';
import { ProgressBar } from './progress-bar.ts';
import { useColour, type OutputStream } from './terminal.ts';
import { WardenAuditClient } from './warden-audit-client.ts';

/** Streams, environment and checks of the command, injected so tests can fake a TTY. */
export interface AuditCommandIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** The checks Warden ships: run by an offline audit, and the source of check severities. */
  checks: readonly AuditCheck[];
  /** The audit's time in an offline audit; the system clock when absent. */
  clock?: Clock;
  /** How often a running task is polled and the progress bar redrawn, in milliseconds. */
  pollIntervalMs?: number;
}

/** Runs `warden audit` with the arguments after the command name and returns the exit code. */
export async function runAuditCommand(
  argv: readonly string[],
  io: AuditCommandIo,
): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (error) {
    if (!(error instanceof AuditArgsError)) throw error;
    io.stderr.write(`${error.message}\n\n${AUDIT_USAGE}\n`);
    return AUDIT_EXIT.error;
  }
  if (args.help) {
    io.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }

  const progress = progressBar(args, io);
  try {
    const report = sortReport(
      args.target.kind === 'offline'
        ? await offlineReport(args, args.target.folder, io, progress)
        : await onlineReport(args, io, progress),
    );
    progress?.clear();
    reportSkipped(report, args, io);
    await writeReport(report, args, io);
    const incomplete = incompleteReason(report);
    if (incomplete !== undefined) io.stderr.write(`The audit did not complete: ${incomplete}\n`);
    return reportExitCode(report);
  } catch (error) {
    progress?.clear();
    if (!(error instanceof AuditRunError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return AUDIT_EXIT.error;
  }
}

function progressBar(args: AuditArgs, io: AuditCommandIo): ProgressBar | undefined {
  const show = args.progress === 'always' || (args.progress === 'auto' && io.stderr.isTTY === true);
  return show ? new ProgressBar(io.stderr) : undefined;
}

async function onlineReport(
  args: AuditArgs,
  io: AuditCommandIo,
  progress: ProgressBar | undefined,
): Promise<AuditReport> {
  const { connection, targetOptions } = await resolveConnection(args, io.env);
  const client = new WardenAuditClient(connection.endpoint, connection.credentials);
  const result = await runOnlineAudit({
    client,
    ...(args.checks === undefined ? {} : { checks: args.checks }),
    enableDefaults: args.enableDefaults,
    timeoutMs: args.timeoutSeconds * 1000,
    targetOptions,
    notice: (line) => io.stderr.write(`${line}\n`),
    ...(progress ? { onProgress: (done, total) => progress.update(done, total) } : {}),
    ...(io.pollIntervalMs === undefined ? {} : { pollIntervalMs: io.pollIntervalMs }),
  });

  const severities = new Map(io.checks.map((check) => [check.name, check.severity]));
  for (const finding of result.findings) severities.set(finding.checkName, finding.severity);
  const checks: CheckSummary[] = Object.entries(result.task.auditDetails).map(([name, details]) => {
    const severity = severities.get(name);
    return severity === undefined
      ? { checkName: name, details }
      : { checkName: name, severity, details };
  });
  return {
    source: { kind: 'online', endpoint: connection.endpoint },
    taskId: result.taskId,
    taskStatus: result.task.taskStatus,
    taskStartTime: result.task.taskStartTime,
    checks,
    findings: result.findings,
    failOn: args.failOn,
    notRun: [],
    skipped: [],
    locations: new Map(),
  };
}

/** Resolves the API address from `--endpoint` or from the `endpoints.json` of `--data-dir`. */
async function resolveConnection(
  args: AuditArgs,
  env: NodeJS.ProcessEnv,
): Promise<{ connection: WardenConnection; targetOptions: string }> {
  const { target } = args;
  if (target.kind === 'offline') throw new TypeError('An offline audit has no endpoint');
  try {
    if (target.kind === 'endpoint') {
      const connection = await connectToWarden({ endpoint: target.endpoint }, env);
      return { connection, targetOptions: `--endpoint ${target.endpoint}` };
    }
    const connection = await connectToWarden({ dataDir: target.dataDir }, env);
    return { connection, targetOptions: `--data-dir ${target.dataDir}` };
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    throw new AuditRunError(error.message);
  }
}

/** Lists skipped inputs on standard error, unless the table report on standard output lists them. */
function reportSkipped(report: AuditReport, args: AuditArgs, io: AuditCommandIo): void {
  if (args.format === 'table' && args.output === undefined) return;
  for (const problem of report.skipped) io.stderr.write(`Skipped ${formatProblem(problem)}\n`);
}

async function writeReport(
  report: AuditReport,
  args: AuditArgs,
  io: AuditCommandIo,
): Promise<void> {
  const toTerminal = args.output === undefined && io.stdout.isTTY === true;
  const text = render(report, args, {
    ...(toTerminal && io.stdout.columns !== undefined ? { width: io.stdout.columns } : {}),
    colour: toTerminal && useColour(io.stdout, io.env),
  });
  if (args.output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(args.output, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AuditRunError(`Cannot write the report to "${args.output}": ${reason}`);
  }
}

function render(
  report: AuditReport,
  args: AuditArgs,
  table: { width?: number; colour: boolean },
): string {
  switch (args.format) {
    case 'json':
      return formatJson(report);
    case 'sarif': {
      const folder =
        args.target.kind === 'offline'
          ? `${pathToFileURL(path.resolve(args.target.folder)).href}/`
          : undefined;
      return formatSarif(report, folder);
    }
    case 'table':
      return formatTable(report, table);
  }
}
