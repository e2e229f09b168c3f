/**
 * The account audit configuration, a single resource. The file lists the checks it configures;
 * a check it leaves out is disabled. A check without `configuration`, and a file without
 * `auditNotificationTargetConfigurations`, keep what Warden has, because the API merges
 * updates and cannot remove either.
 *
 * Checks are enabled before scheduled audits are created or changed, and disabled only after
 * scheduled audits were changed or deleted, because Warden refuses to disable a check that a
 * scheduled audit runs.
 */

import type { AuditConfigurationSpec } from '../audit-schema.ts';
import { sameJson, sortedJson } from '../json-diff.ts';
import type { FleetProblem } from '../problems.ts';
import {
  STEP_ORDER,
  type ApplyStep,
  type ResourceKind,
  type StepContext,
} from '../resource-kind.ts';

type CheckConfigurations = AuditConfigurationSpec['auditCheckConfigurations'];
type CheckConfiguration = NonNullable<CheckConfigurations[string]>;

/** The key of the one audit configuration of the account. */
export const ACCOUNT_KEY = 'account';

const DISABLED: CheckConfiguration = { enabled: false };

export const auditConfigurationKind: ResourceKind<AuditConfigurationSpec> = {
  section: 'auditConfiguration',
  noun: 'audit configuration',
  title: 'Audit configuration',
  keyOf: () => ACCOUNT_KEY,

  async read(api, facts) {
    const described = await api.read('DescribeAccountAuditConfiguration', '/audit/configuration');
    const checks = (described.auditCheckConfigurations ?? {}) as CheckConfigurations;
    facts.auditCheckNames = Object.keys(checks).sort();
    facts.enabledChecks = new Set(
      Object.entries(checks)
        .filter(([, check]) => check?.enabled === true)
        .map(([name]) => name),
    );
    if (typeof described.roleArn !== 'string') return [];
    const spec: AuditConfigurationSpec = {
      roleArn: described.roleArn,
      auditCheckConfigurations: checks,
    };
    const sns = described.auditNotificationTargetConfigurations?.SNS;
    if (sns !== undefined) spec.auditNotificationTargetConfigurations = { SNS: sns };
    return [spec];
  },

  canonical(spec) {
    const checks: CheckConfigurations = {};
    const byName = Object.entries(spec.auditCheckConfigurations).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    for (const [name, check] of byName) {
      if (check === undefined) continue;
      const configured = check.configuration !== undefined;
      if (!check.enabled && !configured) continue;
      checks[name] = configured
        ? {
            enabled: check.enabled,
            configuration: sortedJson(check.configuration) as Record<string, string>,
          }
        : { enabled: check.enabled };
    }
    const canonical: AuditConfigurationSpec = {
      roleArn: spec.roleArn,
      auditCheckConfigurations: checks,
    };
    const sns = spec.auditNotificationTargetConfigurations?.SNS;
    if (sns !== undefined) canonical.auditNotificationTargetConfigurations = { SNS: sns };
    return canonical;
  },

  resolve(desired, current) {
    if (current === undefined) return desired;
    const checks: CheckConfigurations = {};
    const names = new Set([
      ...Object.keys(desired.auditCheckConfigurations),
      ...Object.keys(current.auditCheckConfigurations),
    ]);
    for (const name of names) {
      const inFile = desired.auditCheckConfigurations[name];
      const configuration =
        inFile?.configuration ?? current.auditCheckConfigurations[name]?.configuration;
      checks[name] = {
        enabled: inFile?.enabled ?? false,
        ...(configuration === undefined ? {} : { configuration }),
      };
    }
    const notifications =
      desired.auditNotificationTargetConfigurations ??
      current.auditNotificationTargetConfigurations;
    return {
      roleArn: desired.roleArn,
      auditCheckConfigurations: checks,
      ...(notifications === undefined
        ? {}
        : { auditNotificationTargetConfigurations: notifications }),
    };
  },

  check(change, context) {
    const desired = change.source;
    const known = context.current.facts.auditCheckNames;
    if (desired === undefined || known === undefined) return [];
    const problems: FleetProblem[] = [];
    for (const name of Object.keys(desired.spec.auditCheckConfigurations)) {
      if (known.includes(name)) continue;
      problems.push({
        code: 'unknown-reference',
        file: desired.file,
        path: `${desired.path}.auditCheckConfigurations.${name}`,
        message: `unknown audit check; Warden offers ${known.join(', ')}`,
      });
    }
    return problems;
  },

  steps(change) {
    const desired = change.desired?.spec;
    if (desired === undefined || (change.action !== 'create' && change.action !== 'change'))
      return [];
    const current = change.current;
    const enable: CheckConfigurations = {};
    const disable: CheckConfigurations = {};
    const names = new Set([
      ...Object.keys(desired.auditCheckConfigurations),
      ...Object.keys(current?.auditCheckConfigurations ?? {}),
    ]);
    for (const name of [...names].sort()) {
      const target = desired.auditCheckConfigurations[name] ?? DISABLED;
      const existing = current?.auditCheckConfigurations[name] ?? DISABLED;
      if (sameJson(target, existing)) continue;
      if (existing.enabled && !target.enabled) disable[name] = target;
      else enable[name] = target;
    }

    const first: Record<string, unknown> = {};
    if (current === undefined || current.roleArn !== desired.roleArn)
      first['roleArn'] = desired.roleArn;
    const notifications = desired.auditNotificationTargetConfigurations;
    if (!sameJson(notifications, current?.auditNotificationTargetConfigurations))
      first['auditNotificationTargetConfigurations'] = notifications;
    if (Object.keys(enable).length > 0) first['auditCheckConfigurations'] = enable;

    const steps: ApplyStep[] = [];
    const update =
      (body: object) =>
      async ({ api }: StepContext) => {
        await api.write('UpdateAccountAuditConfiguration', 'PATCH', '/audit/configuration', body);
      };
    if (Object.keys(first).length > 0)
      steps.push({ order: STEP_ORDER.enableAuditChecks, change, run: update(first) });
    if (Object.keys(disable).length > 0) {
      steps.push({
        order: STEP_ORDER.disableAuditChecks,
        change,
        detail: `disable ${Object.keys(disable).join(', ')}`,
        run: update({ auditCheckConfigurations: disable }),
      });
    }
    return steps;
  },
};
