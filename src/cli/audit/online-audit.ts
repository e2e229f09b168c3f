/**
 * The online audit: reads the account audit configuration of a running Warden, starts an
 * on-demand audit task, follows it with DescribeAuditTask until it finishes, then reads all of its
 * findings with ListAuditFindings.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditFindingJson } from './audit-report.ts';
import { AuditRunError } from './audit-run-error.ts';
import type {
  AccountAuditConfigurationJson,
  AuditTaskJson,
  WardenAuditClient,
} from './warden-audit-client.ts';

/**
 * The audit role ARN `--enable-defaults` stores when the configuration has none, because the
 * first UpdateAccountAuditConfiguration must set one. Warden never assumes the role; ACCOUNT is
 * left for the operator to replace should the configuration ever move to AWS.
 */
export const PLACEHOLDER_ROLE_ARN = 'arn:aws:iam::ACCOUNT:role/warden-audit';

/** How often the task is polled, in milliseconds; the progress bar redraws at the same rate. */
export const POLL_INTERVAL_MS = 250;

export interface OnlineAuditOptions {
  client: WardenAuditClient;
  /** Checks to run; every enabled check when absent. */
  checks?: readonly string[];
  enableDefaults: boolean;
  timeoutMs: number;
  /** The options that name this Warden, for the command line the messages suggest. */
  targetOptions: string;
  /** Receives a line for the operator, such as the checks `--enable-defaults` turned on. */
  notice: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  pollIntervalMs?: number;
}

/** A finished task, its id and its findings. */
export interface OnlineAuditResult {
  taskId: string;
  task: AuditTaskJson;
  findings: AuditFindingJson[];
}

/**
 * Runs one on-demand audit and waits for it.
 * @throws AuditRunError when Warden cannot be reached or rejects a request, when no check is
 * enabled and `enableDefaults` is off, and when the task outlives `timeoutMs`.
 */
export async function runOnlineAudit(options: OnlineAuditOptions): Promise<OnlineAuditResult> {
  const { client } = options;
  const configuration = await client.describeConfiguration();
  const enabled = await enabledChecks(configuration, options);
  const targets = options.checks === undefined ? enabled : [...options.checks];

  const taskId = await client.startTask(targets);
  const task = await waitForTask(taskId, options);
  return { taskId, task, findings: await client.listFindings(taskId) };
}

/** Returns the enabled checks, first enabling all of them when requested and none is enabled. */
async function enabledChecks(
  configuration: AccountAuditConfigurationJson,
  options: OnlineAuditOptions,
): Promise<string[]> {
  const all = Object.keys(configuration.auditCheckConfigurations).sort();
  const enabled = all.filter((name) => configuration.auditCheckConfigurations[name]?.enabled);
  if (enabled.length > 0) {
    if (options.enableDefaults)
      options.notice(
        `The account audit configuration already enables ${enabled.length} of ${all.length} checks; --enable-defaults left it unchanged`,
      );
    return enabled;
  }
  if (all.length === 0)
    throw new AuditRunError(`Warden at ${options.client.endpoint} offers no audit checks`);
  if (!options.enableDefaults) {
    throw new AuditRunError(
      [
        `No audit check is enabled on Warden at ${options.client.endpoint}, so there is nothing to audit.`,
        'Enable every check and run the audit with:',
        `  warden audit ${options.targetOptions} --enable-defaults`,
        'or enable chosen checks with UpdateAccountAuditConfiguration (PATCH /audit/configuration).',
      ].join('\n'),
    );
  }

  await options.client.updateConfiguration({
    ...(configuration.roleArn === undefined ? { roleArn: PLACEHOLDER_ROLE_ARN } : {}),
    auditCheckConfigurations: Object.fromEntries(all.map((name) => [name, { enabled: true }])),
  });
  const role = configuration.roleArn === undefined ? `, role ARN ${PLACEHOLDER_ROLE_ARN}` : '';
  options.notice(
    `Enabled all ${all.length} audit checks in the account audit configuration${role}`,
  );
  return all;
}

/** Polls the task until it is no longer IN_PROGRESS, reporting checks done after each poll. */
async function waitForTask(taskId: string, options: OnlineAuditOptions): Promise<AuditTaskJson> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const task = await options.client.describeTask(taskId);
    const { totalChecks, inProgressChecks } = task.taskStatistics;
    options.onProgress?.(totalChecks - inProgressChecks, totalChecks);
    if (task.taskStatus !== 'IN_PROGRESS') return task;
    if (Date.now() >= deadline) {
      throw new AuditRunError(
        `Audit task "${taskId}" did not finish within ${options.timeoutMs / 1000} s; it goes on running on Warden, see it with DescribeAuditTask (GET /audit/tasks/${taskId})`,
      );
    }
    await sleep(options.pollIntervalMs ?? POLL_INTERVAL_MS);
  }
}
