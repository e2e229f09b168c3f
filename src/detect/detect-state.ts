import type {
  AlarmRecord,
  CustomMetric,
  Dimension,
  ReportState,
  SecurityProfile,
  Violation,
} from './detect-records.ts';
import type { DetectStore } from './detect-store.ts';

/** Key of an alarm: one behavior of one profile for one thing. */
export function alarmKey(
  thingName: string,
  securityProfileName: string,
  behaviorName: string,
): string {
  return `${thingName}\u0000${securityProfileName}\u0000${behaviorName}`;
}

/**
 * Detect's working set in memory: profiles, their targets, custom metrics, dimensions, alarm
 * positions, active violations and each thing's newest report. The store holds the same data
 * durably; history (events, reports) is read from the store on demand.
 */
export class DetectState {
  readonly profiles = new Map<string, SecurityProfile>();
  /** Target ARNs by profile name. */
  readonly targetsOfProfile = new Map<string, Set<string>>();
  /** Profile names by target ARN. */
  readonly profilesOfTarget = new Map<string, Set<string>>();
  readonly customMetrics = new Map<string, CustomMetric>();
  readonly dimensions = new Map<string, Dimension>();
  readonly alarms = new Map<string, AlarmRecord>();
  readonly activeViolations = new Map<string, Violation>();
  readonly reportStates = new Map<string, ReportState>();

  constructor(readonly store: DetectStore) {}

  async load(): Promise<void> {
    const snapshot = await this.store.load();
    for (const profile of snapshot.profiles)
      this.profiles.set(profile.securityProfileName, profile);
    for (const target of snapshot.targets)
      this.linkTarget(target.securityProfileName, target.targetArn);
    for (const metric of snapshot.customMetrics) this.customMetrics.set(metric.metricName, metric);
    for (const dimension of snapshot.dimensions) this.dimensions.set(dimension.name, dimension);
    for (const alarm of snapshot.alarms)
      this.alarms.set(
        alarmKey(alarm.thingName, alarm.securityProfileName, alarm.behaviorName),
        alarm,
      );
    for (const violation of snapshot.activeViolations)
      this.activeViolations.set(violation.violationId, violation);
    for (const state of snapshot.reportStates) this.reportStates.set(state.thingName, state);
  }

  linkTarget(profile: string, targetArn: string): void {
    addTo(this.targetsOfProfile, profile, targetArn);
    addTo(this.profilesOfTarget, targetArn, profile);
  }

  unlinkTarget(profile: string, targetArn: string): void {
    this.targetsOfProfile.get(profile)?.delete(targetArn);
    this.profilesOfTarget.get(targetArn)?.delete(profile);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}
