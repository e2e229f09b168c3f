/**
 * Scheduled audits and audit suppressions. Both name audit checks, which must be checks Warden
 * offers. A scheduled audit's checks must also be enabled once the file is applied, because
 * Warden rejects a schedule that runs a disabled check.
 */

import { resourceKey } from '../../audit/audit-records.ts';
import type { ResourceIdentifier } from '../../audit/audit-types.ts';
import type { AuditSuppressionSpec, ScheduledAuditSpec } from '../audit-schema.ts';
import { segment } from '../fleet-api.ts';
import { sortedJson, withoutUndefined } from '../json-diff.ts';
import type { FleetProblem } from '../problems.ts';
import {
  requestToken,
  simpleSteps,
  STEP_ORDER,
  type PlanContext,
  type ResourceKind,
} from '../resource-kind.ts';
import { ACCOUNT_KEY } from './audit-configuration-kind.ts';

export const scheduledAuditsKind: ResourceKind<ScheduledAuditSpec> = {
  section: 'scheduledAudits',
  noun: 'scheduled audit',
  title: 'Scheduled audits',
  keyOf: (spec) => spec.name,

  async read(api) {
    const audits = await api.list({
      operation: 'ListScheduledAudits',
      path: '/audit/scheduledaudits',
      items: 'scheduledAudits',
    });
    const specs: ScheduledAuditSpec[] = [];
    for (const audit of audits) {
      const described = await api.read(
        'DescribeScheduledAudit',
        `/audit/scheduledaudits/${segment(audit.scheduledAuditName)}`,
      );
      specs.push(
        withoutUndefined({
          name: described.scheduledAuditName,
          frequency: described.frequency,
          dayOfWeek: described.dayOfWeek,
          dayOfMonth: described.dayOfMonth,
          targetCheckNames: described.targetCheckNames,
        }),
      );
    }
    return specs;
  },

  canonical: (spec) =>
    withoutUndefined({
      name: spec.name,
      frequency: spec.frequency,
      dayOfWeek: spec.dayOfWeek,
      dayOfMonth: spec.dayOfMonth,
      targetCheckNames: [...spec.targetCheckNames].sort(),
    }),

  check(change, context) {
    const desired = change.source;
    if (desired === undefined) return [];
    const enabled = enabledAfterApply(context);
    const problems: FleetProblem[] = [];
    desired.spec.targetCheckNames.forEach((name, index) => {
      const path = `${desired.path}.targetCheckNames[${index}]`;
      const unknown = unknownCheck(name, context, desired.file, path);
      if (unknown !== undefined) problems.push(unknown);
      else if (enabled !== undefined && !enabled.has(name)) {
        problems.push({
          code: 'invalid',
          file: desired.file,
          path,
          message: `check "${name}" is not enabled in the audit configuration; enable it in auditConfiguration.auditCheckConfigurations`,
        });
      }
    });
    return problems;
  },

  steps(change) {
    const path = (name: string) => `/audit/scheduledaudits/${segment(name)}`;
    const body = (spec: ScheduledAuditSpec) =>
      withoutUndefined({
        frequency: spec.frequency,
        dayOfWeek: spec.dayOfWeek,
        dayOfMonth: spec.dayOfMonth,
        targetCheckNames: spec.targetCheckNames,
      });
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putScheduledAudit,
      deleteOrder: STEP_ORDER.deleteScheduledAudit,
      create: (api, spec) => api.write('CreateScheduledAudit', 'POST', path(spec.name), body(spec)),
      update: (api, spec) =>
        api.write('UpdateScheduledAudit', 'PATCH', path(spec.name), body(spec)),
      remove: (api, current) => api.write('DeleteScheduledAudit', 'DELETE', path(current.name)),
    });
  },
};

export const auditSuppressionsKind: ResourceKind<AuditSuppressionSpec> = {
  section: 'auditSuppressions',
  noun: 'audit suppression',
  title: 'Audit suppressions',
  keyOf: (spec) =>
    `${spec.checkName} ${resourceKey(spec.resourceIdentifier as ResourceIdentifier)}`,
  labelOf: (spec) => `${spec.checkName} ${identifierLabel(spec.resourceIdentifier)}`,

  async read(api) {
    const specs: AuditSuppressionSpec[] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.read('ListAuditSuppressions', '/audit/suppressions/list', {
        maxResults: 250,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      for (const suppression of page.suppressions ?? []) specs.push(fromApi(suppression));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return specs;
  },

  canonical(spec) {
    const canonical: AuditSuppressionSpec = {
      checkName: spec.checkName,
      resourceIdentifier: sortedJson(spec.resourceIdentifier) as typeof spec.resourceIdentifier,
    };
    if (spec.expirationDate !== undefined) canonical.expirationDate = spec.expirationDate;
    if (spec.suppressIndefinitely === true) canonical.suppressIndefinitely = true;
    if (spec.description !== undefined && spec.description !== '')
      canonical.description = spec.description;
    return canonical;
  },

  check(change, context) {
    const desired = change.source;
    if (desired === undefined) return [];
    const path = `${desired.path}.checkName`;
    const unknown = unknownCheck(desired.spec.checkName, context, desired.file, path);
    return unknown === undefined ? [] : [unknown];
  },

  steps(change) {
    const key = (spec: AuditSuppressionSpec) => ({
      checkName: spec.checkName,
      resourceIdentifier: spec.resourceIdentifier,
    });
    const expiry = (spec: AuditSuppressionSpec) =>
      spec.expirationDate === undefined
        ? { suppressIndefinitely: true }
        : { expirationDate: Date.parse(spec.expirationDate) / 1000 };
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putAuditSuppression,
      deleteOrder: STEP_ORDER.deleteAuditSuppression,
      create: (api, spec) =>
        api.write('CreateAuditSuppression', 'POST', '/audit/suppressions/create', {
          ...key(spec),
          ...expiry(spec),
          ...(spec.description === undefined ? {} : { description: spec.description }),
          clientRequestToken: requestToken(),
        }),
      update: (api, spec) =>
        api.write('UpdateAuditSuppression', 'PATCH', '/audit/suppressions/update', {
          ...key(spec),
          ...expiry(spec),
          description: spec.description ?? '',
        }),
      remove: (api, current) =>
        api.write('DeleteAuditSuppression', 'POST', '/audit/suppressions/delete', key(current)),
    });
  },
};

function fromApi(suppression: any): AuditSuppressionSpec {
  const spec: AuditSuppressionSpec = {
    checkName: suppression.checkName,
    resourceIdentifier: suppression.resourceIdentifier,
  };
  if (typeof suppression.expirationDate === 'number')
    spec.expirationDate = new Date(suppression.expirationDate * 1000).toISOString();
  if (suppression.suppressIndefinitely === true) spec.suppressIndefinitely = true;
  if (typeof suppression.description === 'string') spec.description = suppression.description;
  return spec;
}

/** Renders an identifier as `member=value` pairs: `deviceCertificateId=ab12…`. */
function identifierLabel(identifier: object, prefix = ''): string {
  return Object.entries(sortedJson(identifier) as Record<string, unknown>)
    .map(([member, value]) =>
      typeof value === 'object' && value !== null
        ? identifierLabel(value, `${prefix}${member}.`)
        : `${prefix}${member}=${String(value)}`,
    )
    .join(',');
}

function unknownCheck(
  name: string,
  context: PlanContext,
  file: string,
  path: string,
): FleetProblem | undefined {
  const known = context.current.facts.auditCheckNames;
  if (known === undefined || known.includes(name)) return undefined;
  return {
    code: 'unknown-reference',
    file,
    path,
    message: `unknown audit check "${name}"; Warden offers ${known.join(', ')}`,
  };
}

/**
 * Returns the checks enabled once the file is applied: those of the file's audit configuration
 * when it has one, otherwise those Warden has enabled now, or undefined when neither is known.
 */
function enabledAfterApply(context: PlanContext): Set<string> | undefined {
  const configuration = context.desired.resources.auditConfiguration.get(ACCOUNT_KEY)?.spec;
  if (configuration === undefined) return context.current.facts.enabledChecks;
  return new Set(
    Object.entries(configuration.auditCheckConfigurations)
      .filter(([, check]) => check?.enabled === true)
      .map(([name]) => name),
  );
}
