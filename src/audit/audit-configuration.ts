import { invalidRequest, notFound } from '../core/errors.ts';
import type { AuditCheck } from './audit-check.ts';
import type { AccountAuditConfiguration, CheckConfiguration } from './audit-records.ts';
import type { AuditStore } from './audit-store.ts';

export interface ConfigurationUpdate {
  roleArn?: string | undefined;
  auditNotificationTargetConfigurations?:
    | Record<
        string,
        {
          targetArn?: string | undefined;
          roleArn?: string | undefined;
          enabled?: boolean | undefined;
        }
      >
    | undefined;
  auditCheckConfigurations?:
    | Record<
        string,
        { enabled?: boolean | undefined; configuration?: Record<string, string> | undefined }
      >
    | undefined;
}

/**
 * The account audit configuration: which checks are enabled, their settings, and where audit
 * notifications go. Updates merge per key, as PATCH does; the first update needs a role ARN and
 * an enabled check, as in AWS.
 */
export class AuditConfigurations {
  private readonly byName: Map<string, AuditCheck>;

  constructor(
    private readonly store: AuditStore,
    checks: readonly AuditCheck[],
    private readonly scheduledChecks: () => Promise<Set<string>>,
  ) {
    this.byName = new Map(checks.map((check) => [check.name, check]));
  }

  check(name: string): AuditCheck {
    const check = this.byName.get(name);
    if (!check)
      throw invalidRequest(
        `Unknown audit check "${name}"; known checks: ${[...this.byName.keys()].sort().join(', ')}`,
      );
    return check;
  }

  checkNames(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** The stored configuration, or every check disabled when none was set. */
  async describe(): Promise<AccountAuditConfiguration> {
    const stored = await this.store.getConfiguration();
    const checks: Record<string, CheckConfiguration> = {};
    for (const name of this.checkNames()) checks[name] = stored?.checks[name] ?? { enabled: false };
    return { ...(stored ?? { notificationTargets: {} }), checks };
  }

  async update(update: ConfigurationUpdate): Promise<void> {
    const stored = await this.store.getConfiguration();
    const next: AccountAuditConfiguration = stored
      ? structuredClone(stored)
      : { notificationTargets: {}, checks: {} };
    if (update.roleArn !== undefined) next.roleArn = update.roleArn;
    for (const [type, target] of Object.entries(
      update.auditNotificationTargetConfigurations ?? {},
    )) {
      next.notificationTargets[type] = {
        ...next.notificationTargets[type],
        ...(withoutUndefined(target) as {
          targetArn?: string;
          roleArn?: string;
          enabled?: boolean;
        }),
      };
    }
    await this.mergeChecks(next, update.auditCheckConfigurations ?? {});

    if (!stored) {
      if (next.roleArn === undefined)
        throw invalidRequest('The first UpdateAccountAuditConfiguration must set roleArn');
      if (!Object.values(next.checks).some((check) => check.enabled))
        throw invalidRequest(
          'The first UpdateAccountAuditConfiguration must enable at least one check',
        );
    }
    await this.store.putConfiguration(next);
  }

  private async mergeChecks(
    next: AccountAuditConfiguration,
    updates: NonNullable<ConfigurationUpdate['auditCheckConfigurations']>,
  ): Promise<void> {
    const scheduled = await this.scheduledChecks();
    for (const [name, update] of Object.entries(updates)) {
      const check = this.check(name);
      const merged: CheckConfiguration = { ...(next.checks[name] ?? { enabled: false }) };
      if (update.enabled !== undefined) merged.enabled = update.enabled;
      if (update.configuration !== undefined) {
        const problem =
          check.validateConfiguration?.(update.configuration) ??
          (Object.keys(update.configuration).length > 0 && !check.validateConfiguration
            ? `Check "${name}" takes no configuration`
            : undefined);
        if (problem) throw invalidRequest(problem);
        merged.configuration = update.configuration;
      }
      if (!merged.enabled && scheduled.has(name)) {
        throw invalidRequest(
          `Cannot disable check "${name}": a scheduled audit runs it; remove it from the scheduled audit first`,
        );
      }
      next.checks[name] = merged;
    }
  }

  /** Deletes the configuration; refused while scheduled audits exist unless they go too. */
  async delete(deleteScheduledAudits: boolean, scheduledAuditCount: number): Promise<void> {
    if (!(await this.store.getConfiguration()))
      throw notFound('The account audit configuration is not set');
    if (scheduledAuditCount > 0 && !deleteScheduledAudits) {
      throw invalidRequest(
        `Cannot delete the audit configuration: ${scheduledAuditCount} scheduled audit(s) exist; pass deleteScheduledAudits=true or delete them first`,
      );
    }
    await this.store.putConfiguration(undefined);
  }

  /** Names that are not enabled, for StartOnDemandAuditTask and scheduled audits. */
  async disabledAmong(names: string[]): Promise<string[]> {
    const configuration = await this.describe();
    return names.filter((name) => {
      this.check(name);
      return !configuration.checks[name]?.enabled;
    });
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, member]) => member !== undefined),
  ) as Partial<T>;
}
