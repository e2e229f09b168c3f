import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { RegistryState } from '../registry/registry.ts';
import { isEvaluable } from './criteria.ts';
import type { Behavior } from './behavior.ts';
import type { AlertTarget, MetricToRetain, SecurityProfile } from './detect-records.ts';
import type { DetectState } from './detect-state.ts';
import { emptyWrite, type Evaluator } from './evaluator.ts';
import { accountTargets, profileCoversThing } from './profile-targets.ts';
import { parseBehaviors, type BehaviorLookup } from './validate-behaviors.ts';

/** A target (thing group or account-wide pseudo-ARN) takes at most five profiles. */
export const MAX_PROFILES_PER_TARGET = 5;

export interface ProfileFields {
  description?: string | undefined;
  behaviors?: unknown[] | undefined;
  alertTargets?: Record<string, AlertTarget> | undefined;
  additionalMetricsToRetainV2?: MetricToRetain[] | undefined;
  metricsExportConfig?: { mqttTopic: string; roleArn: string } | undefined;
  tags?: { Key: string; Value?: string | undefined }[] | undefined;
}

export interface ProfileUpdate extends ProfileFields {
  deleteBehaviors?: boolean | undefined;
  deleteAlertTargets?: boolean | undefined;
  deleteAdditionalMetricsToRetain?: boolean | undefined;
  deleteMetricsExportConfig?: boolean | undefined;
}

/** Security profile operations over detect's state and the registry. */
export class SecurityProfiles {
  constructor(
    private readonly state: DetectState,
    private readonly registry: RegistryState,
    private readonly evaluator: Evaluator,
    private readonly logger?: Logger,
  ) {}

  lookup(): BehaviorLookup {
    return {
      customMetricType: (name) => this.state.customMetrics.get(name)?.metricType,
      dimensionExists: (name) => this.state.dimensions.has(name),
    };
  }

  require(name: string): SecurityProfile {
    const profile = this.state.profiles.get(name);
    if (!profile) throw notFound(`Security profile "${name}" does not exist`);
    return profile;
  }

  async create(name: string, fields: ProfileFields): Promise<SecurityProfile> {
    if (this.state.profiles.has(name)) {
      throw alreadyExists(
        `Security profile "${name}" already exists`,
        name,
        this.registry.arns.securityProfile(name),
      );
    }
    const now = this.registry.clock.now();
    const profile: SecurityProfile = {
      securityProfileName: name,
      behaviors: this.checkBehaviors(fields.behaviors ?? []),
      alertTargets: fields.alertTargets ?? {},
      additionalMetricsToRetainV2: this.checkRetained(fields.additionalMetricsToRetainV2 ?? []),
      tags: (fields.tags ?? []).map((tag) =>
        tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value },
      ),
      version: 1,
      createdAt: now,
      lastModifiedAt: now,
    };
    if (fields.description !== undefined) profile.description = fields.description;
    if (fields.metricsExportConfig !== undefined)
      profile.metricsExportConfig = fields.metricsExportConfig;
    await this.state.store.putProfile(profile);
    this.state.profiles.set(name, profile);
    return profile;
  }

  /** Replaces the fields that are given; behaviors no longer present have their alarms invalidated. */
  async update(
    name: string,
    update: ProfileUpdate,
    expectedVersion?: number,
  ): Promise<SecurityProfile> {
    const profile = this.require(name);
    checkVersion(profile, expectedVersion);
    const next: SecurityProfile = {
      ...profile,
      version: profile.version + 1,
      lastModifiedAt: this.registry.clock.now(),
    };
    if (update.description !== undefined) next.description = update.description;
    if (update.behaviors !== undefined) next.behaviors = this.checkBehaviors(update.behaviors);
    if (update.deleteBehaviors) next.behaviors = [];
    if (update.alertTargets !== undefined) next.alertTargets = update.alertTargets;
    if (update.deleteAlertTargets) next.alertTargets = {};
    if (update.additionalMetricsToRetainV2 !== undefined)
      next.additionalMetricsToRetainV2 = this.checkRetained(update.additionalMetricsToRetainV2);
    if (update.deleteAdditionalMetricsToRetain) next.additionalMetricsToRetainV2 = [];
    if (update.metricsExportConfig !== undefined)
      next.metricsExportConfig = update.metricsExportConfig;
    if (update.deleteMetricsExportConfig) delete next.metricsExportConfig;

    await this.state.store.putProfile(next);
    this.state.profiles.set(name, next);
    const kept = new Set(next.behaviors.map((behavior) => behavior.name));
    await this.invalidateWhere(
      (alarm) => alarm.securityProfileName === name && !kept.has(alarm.behaviorName),
      'behavior-removed',
    );
    return next;
  }

  async delete(name: string, expectedVersion?: number): Promise<void> {
    const profile = this.state.profiles.get(name);
    if (!profile) return;
    checkVersion(profile, expectedVersion);
    await this.state.store.deleteProfile(name);
    for (const target of this.state.targetsOfProfile.get(name) ?? [])
      this.state.unlinkTarget(name, target);
    this.state.profiles.delete(name);
    await this.invalidateWhere((alarm) => alarm.securityProfileName === name, 'profile-deleted');
  }

  async attach(name: string, target: string): Promise<void> {
    this.require(name);
    const targetArn = this.normalizeTarget(target);
    const attached = this.state.profilesOfTarget.get(targetArn) ?? new Set();
    if (attached.has(name)) return;
    if (attached.size >= MAX_PROFILES_PER_TARGET) {
      throw new WardenError(
        'LimitExceededException',
        `Target "${targetArn}" already has ${MAX_PROFILES_PER_TARGET} security profiles attached, the maximum`,
      );
    }
    await this.state.store.putTarget(name, targetArn);
    this.state.linkTarget(name, targetArn);
  }

  async detach(name: string, target: string): Promise<void> {
    this.require(name);
    const targetArn = this.normalizeTarget(target);
    await this.state.store.deleteTarget(name, targetArn);
    this.state.unlinkTarget(name, targetArn);
    await this.invalidateWhere(
      (alarm) =>
        alarm.securityProfileName === name &&
        !profileCoversThing(this.state, this.registry, name, alarm.thingName),
      'target-detached',
    );
  }

  /**
   * Checks that a target ARN names an existing thing group or an account-wide target, and returns
   * it with Warden's region and account, so ARNs written for an AWS account work unchanged.
   */
  normalizeTarget(targetArn: string): string {
    const account = accountTargets(this.registry);
    const resource = this.registry.arns.resourceOf(targetArn);
    if (resource === 'all/things') return account.all;
    if (resource === 'all/registered-things') return account.registered;
    if (resource === 'all/unregistered-things') return account.unregistered;
    if (resource?.startsWith('thinggroup/')) {
      const group = resource.slice('thinggroup/'.length);
      if (!this.registry.get('thingGroup', group))
        throw notFound(`Thing group "${group}" does not exist`);
      return this.registry.arns.thingGroup(group);
    }
    const expected = Object.values(account).join(', ');
    throw invalidRequest(
      `Invalid security profile target "${targetArn}": expected a thing group ARN or one of ${expected}`,
    );
  }

  private checkBehaviors(behaviors: unknown[]): Behavior[] {
    const parsed = parseBehaviors(behaviors, this.lookup());
    if (!parsed.ok)
      throw invalidRequest(parsed.problems.map((problem) => problem.message).join('; '));
    const stored = parsed.behaviors.filter(
      (behavior) => behavior.criteria && !isEvaluable(behavior.criteria),
    );
    if (stored.length > 0) {
      const names = stored.map((behavior) => behavior.name);
      this.logger?.warn(
        { behaviors: names },
        'statistical and ML behaviors are stored but not evaluated in this release',
      );
    }
    return parsed.behaviors;
  }

  private checkRetained(metrics: MetricToRetain[]): MetricToRetain[] {
    for (const entry of metrics) {
      if (!this.evaluator.metricRules(entry.metric))
        throw invalidRequest(`Unknown metric "${entry.metric}" in additionalMetricsToRetainV2`);
      const dimension = entry.metricDimension?.dimensionName;
      if (dimension !== undefined && !this.state.dimensions.has(dimension))
        throw invalidRequest(`Dimension "${dimension}" does not exist`);
    }
    return metrics;
  }

  private async invalidateWhere(
    predicate: (alarm: {
      thingName: string;
      securityProfileName: string;
      behaviorName: string;
    }) => boolean,
    reason: 'behavior-removed' | 'profile-deleted' | 'target-detached',
  ): Promise<void> {
    const write = emptyWrite();
    const now = this.registry.clock.now();
    for (const [key, alarm] of this.state.alarms) {
      if (predicate(alarm)) this.evaluator.invalidateAlarm(write, key, reason, now);
    }
    await this.evaluator.commit(write);
  }
}

function checkVersion(profile: SecurityProfile, expected: number | undefined): void {
  if (expected !== undefined && expected !== profile.version) {
    throw new WardenError(
      'VersionConflictException',
      `Security profile "${profile.securityProfileName}" is at version ${profile.version}, not the expected ${expected}`,
    );
  }
}
