/**
 * Security profiles and the targets they are attached to. Behaviors are compared in the form
 * Warden stores them (see `normalizeBehavior`), so a file that spells a value another accepted
 * way plans no change. Behaviors are validated with Warden's own rules before anything is sent.
 */

import type { Behavior } from '../../detect/behavior.ts';
import type { CustomMetricType } from '../../detect/metric-value.ts';
import { normalizeBehavior } from '../../detect/normalize-behavior.ts';
import { findBehaviorProblems, type BehaviorLookup } from '../../detect/validate-behaviors.ts';
import { segment, type FleetApi } from '../fleet-api.ts';
import type { Located } from '../fleet-model.ts';
import { sameJson, withoutUndefined } from '../json-diff.ts';
import type { FleetProblem } from '../problems.ts';
import {
  STEP_ORDER,
  type ApplyStep,
  type PlanContext,
  type ResourceChange,
  type ResourceKind,
  type StepContext,
} from '../resource-kind.ts';
import {
  ACCOUNT_TARGETS,
  shortTarget,
  type SecurityProfileSpec,
} from '../security-profile-schema.ts';

type Spec = SecurityProfileSpec;

/** Profile members sent with Create and UpdateSecurityProfile, and their delete flags. */
const BODY_FIELDS = [
  {
    field: 'description',
    member: 'securityProfileDescription',
    clear: { securityProfileDescription: '' },
  },
  { field: 'behaviors', member: 'behaviors', clear: { deleteBehaviors: true } },
  { field: 'alertTargets', member: 'alertTargets', clear: { deleteAlertTargets: true } },
  {
    field: 'additionalMetricsToRetainV2',
    member: 'additionalMetricsToRetainV2',
    clear: { deleteAdditionalMetricsToRetain: true },
  },
  {
    field: 'metricsExportConfig',
    member: 'metricsExportConfig',
    clear: { deleteMetricsExportConfig: true },
  },
] as const;

export const securityProfilesKind: ResourceKind<Spec> = {
  section: 'securityProfiles',
  noun: 'security profile',
  title: 'Security profiles',
  keyOf: (spec) => spec.name,

  async read(api) {
    const identifiers = await api.list({
      operation: 'ListSecurityProfiles',
      path: '/security-profiles',
      items: 'securityProfileIdentifiers',
    });
    const specs: Spec[] = [];
    for (const identifier of identifiers) specs.push(await readProfile(api, identifier.name));
    return specs;
  },

  canonical(spec, context) {
    const canonical: Spec = { name: spec.name };
    if (spec.description !== undefined && spec.description !== '')
      canonical.description = spec.description;
    if (spec.behaviors !== undefined && spec.behaviors.length > 0) {
      const lookup = { customMetricType: context.customMetricType };
      canonical.behaviors = spec.behaviors.map(
        (behavior) => normalizeBehavior(behavior as Behavior, lookup) as typeof behavior,
      );
    }
    if (spec.alertTargets?.SNS !== undefined)
      canonical.alertTargets = { SNS: spec.alertTargets.SNS };
    if (
      spec.additionalMetricsToRetainV2 !== undefined &&
      spec.additionalMetricsToRetainV2.length > 0
    )
      canonical.additionalMetricsToRetainV2 = withoutUndefined(spec.additionalMetricsToRetainV2);
    if (spec.metricsExportConfig !== undefined)
      canonical.metricsExportConfig = spec.metricsExportConfig;
    const targets = [
      ...new Set((spec.targets ?? []).map((target) => shortTarget(target) ?? target)),
    ];
    if (targets.length > 0) canonical.targets = targets.sort();
    return canonical;
  },

  check(change, context) {
    const source = change.source;
    if (source === undefined) return [];
    return [...behaviorProblems(source, context), ...targetProblems(source, context)];
  },

  steps(change) {
    const { desired, current } = change;
    if (change.action === 'keep' || change.action === 'none') return [];
    if (change.action === 'delete') {
      const name = change.key;
      const run = async ({ api }: StepContext) => {
        await api.write('DeleteSecurityProfile', 'DELETE', `/security-profiles/${segment(name)}`);
      };
      return [{ order: STEP_ORDER.deleteSecurityProfile, change, run }];
    }
    if (desired === undefined) return [];
    const steps: ApplyStep[] = [];
    const body =
      change.action === 'create' ? createBody(desired.spec) : updateBody(desired.spec, current);
    if (body !== undefined) {
      const name = desired.spec.name;
      const [operation, method] =
        change.action === 'create'
          ? ['CreateSecurityProfile', 'POST']
          : ['UpdateSecurityProfile', 'PATCH'];
      const run = async ({ api }: StepContext) => {
        await api.write(operation, method, `/security-profiles/${segment(name)}`, body);
      };
      steps.push({ order: STEP_ORDER.putSecurityProfile, change, run });
    }
    steps.push(...targetSteps(change, desired.spec.targets ?? [], current?.targets ?? []));
    return steps;
  },
};

async function readProfile(api: FleetApi, name: string): Promise<Spec> {
  const path = `/security-profiles/${segment(name)}`;
  const profile = await api.read('DescribeSecurityProfile', path);
  const targets = await api.list({
    operation: 'ListTargetsForSecurityProfile',
    path: `${path}/targets`,
    items: 'securityProfileTargets',
  });
  return withoutUndefined({
    name: profile.securityProfileName,
    description: profile.securityProfileDescription,
    behaviors: profile.behaviors,
    alertTargets: profile.alertTargets,
    additionalMetricsToRetainV2: profile.additionalMetricsToRetainV2,
    metricsExportConfig: profile.metricsExportConfig,
    targets: targets.map((target) => shortTarget(target.arn) ?? target.arn),
  });
}

function createBody(spec: Spec): object {
  const body: Record<string, unknown> = {};
  for (const { field, member } of BODY_FIELDS) {
    if (spec[field] !== undefined) body[member] = spec[field];
  }
  return body;
}

/** Builds the members that changed, each set to its new value or cleared by its delete flag. */
function updateBody(desired: Spec, current: Spec | undefined): object | undefined {
  const body: Record<string, unknown> = {};
  for (const { field, member, clear } of BODY_FIELDS) {
    if (sameJson(desired[field], current?.[field])) continue;
    if (desired[field] === undefined) Object.assign(body, clear);
    else body[member] = desired[field];
  }
  return Object.keys(body).length === 0 ? undefined : body;
}

function targetSteps(
  change: ResourceChange<Spec>,
  desiredTargets: string[],
  currentTargets: string[],
): ApplyStep[] {
  const name = change.key;
  const call =
    (operation: string, method: string, target: string) =>
    async ({ api }: StepContext) => {
      const arn = api.arn(ACCOUNT_TARGETS.includes(target) ? target : `thinggroup/${target}`);
      const query = new URLSearchParams({ securityProfileTargetArn: arn });
      await api.write(operation, method, `/security-profiles/${segment(name)}/targets?${query}`);
    };
  const label = (target: string) =>
    ACCOUNT_TARGETS.includes(target) ? target : `thing group "${target}"`;
  const detach = currentTargets.filter((target) => !desiredTargets.includes(target));
  const attach = desiredTargets.filter((target) => !currentTargets.includes(target));
  return [
    ...detach.map((target) => ({
      order: STEP_ORDER.detachSecurityProfile,
      change,
      detail: `detach from ${label(target)}`,
      run: call('DetachSecurityProfile', 'DELETE', target),
    })),
    ...attach.map((target) => ({
      order: STEP_ORDER.attachSecurityProfile,
      change,
      detail: `attach to ${label(target)}`,
      run: call('AttachSecurityProfile', 'PUT', target),
    })),
  ];
}

/** Runs Warden's behavior validation with the metrics and dimensions the run leaves in place. */
function behaviorProblems(source: Located<Spec>, context: PlanContext): FleetProblem[] {
  const behaviors = source.spec.behaviors ?? [];
  return findBehaviorProblems(behaviors, behaviorLookup(context)).map((problem) => ({
    code: 'invalid' as const,
    file: source.file,
    path: `${source.path}.${problem.path}`,
    message: problem.message.replace(/^Behavior (".*?"|at index \d+): /, ''),
  }));
}

/** Custom metrics and dimensions from the file first, then those Warden has. */
function behaviorLookup(context: PlanContext): BehaviorLookup {
  const { desired, current } = context;
  return {
    customMetricType: (name) =>
      (desired.resources.customMetrics.get(name)?.spec.metricType ??
        current.facts.customMetricTypes?.get(name)) as CustomMetricType | undefined,
    dimensionExists: (name) =>
      desired.resources.dimensions.has(name) || current.facts.dimensionNames?.has(name) === true,
  };
}

function targetProblems(source: Located<Spec>, context: PlanContext): FleetProblem[] {
  const problems: FleetProblem[] = [];
  (source.spec.targets ?? []).forEach((target, index) => {
    const group = shortTarget(target);
    if (group === undefined || ACCOUNT_TARGETS.includes(group)) return;
    const known = context.current.facts.thingGroupNames;
    if (context.desired.resources.thingGroups.has(group)) return;
    if (known === undefined || known.has(group)) return;
    problems.push({
      code: 'unknown-reference',
      file: source.file,
      path: `${source.path}.targets[${index}]`,
      message: `thing group "${group}" is not in the file and does not exist in Warden`,
    });
  });
  return problems;
}
