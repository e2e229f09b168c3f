import { invalidRequest } from '../../core/errors.ts';
import type { Violation } from '../../detect/detect-records.ts';
import type { DetectState } from '../../detect/detect-state.ts';
import type { DetectMitigationTarget } from './task-records.ts';

/** The parts of detect a mitigation task reads: profiles, active violations, stored history. */
export type ViolationSource = Pick<DetectState, 'profiles' | 'activeViolations' | 'store'>;

export interface ViolationSelection {
  target: DetectMitigationTarget;
  /** Epoch milliseconds, start inclusive and end exclusive, as ListViolationEvents reads them. */
  range?: { startTime: number; endTime: number } | undefined;
  onlyActive: boolean;
  includeSuppressed: boolean;
  now: number;
}

/** A violation a task covers, with the reason it is not acted on when it is skipped. */
export interface SelectedViolation {
  violation: Violation;
  skipReason?: string;
}

const TARGET_FORMS =
  'give violationIds alone, or securityProfileName with an optional behaviorName';

/**
 * Selects the violations a task covers, in the order it runs them. Named violations must exist.
 * A profile target covers the profile's violations (of one behavior when named) that have an
 * event in the range, or every retained and active one when no range is given. Covered
 * violations that the filters exclude are skipped: named ones without an event in the range,
 * ended ones under `includeOnlyActiveViolations`, and those of behaviors that suppress alerts
 * unless `includeSuppressedAlerts` is set.
 * @throws WardenError InvalidRequestException for a malformed target or an unknown violation,
 *   profile or behavior.
 */
export async function selectViolations(
  detect: ViolationSource,
  selection: ViolationSelection,
): Promise<SelectedViolation[]> {
  const { target } = selection;
  const named = target.violationIds !== undefined;
  const byProfile = target.securityProfileName !== undefined;
  if (named === byProfile || (target.behaviorName !== undefined && !byProfile))
    throw invalidRequest(`Invalid target: ${TARGET_FORMS}`);

  const violations = named
    ? await namedViolations(detect, target.violationIds ?? [])
    : await profileViolations(detect, selection);
  return violations.map((violation) => {
    const skipReason = skipReasonOf(detect, violation, selection, named);
    return skipReason === undefined ? { violation } : { violation, skipReason };
  });
}

async function namedViolations(detect: ViolationSource, ids: string[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const id of new Set(ids)) {
    const violation = detect.activeViolations.get(id) ?? (await detect.store.getViolation(id));
    if (!violation) throw invalidRequest(`Violation "${id}" does not exist`);
    violations.push(violation);
  }
  return violations;
}

async function profileViolations(
  detect: ViolationSource,
  selection: ViolationSelection,
): Promise<Violation[]> {
  const profileName = selection.target.securityProfileName ?? '';
  const behaviorName = selection.target.behaviorName;
  const profile = detect.profiles.get(profileName);
  if (!profile) throw invalidRequest(`Security profile "${profileName}" does not exist`);
  if (behaviorName !== undefined && !profile.behaviors.some((item) => item.name === behaviorName))
    throw invalidRequest(`Security profile "${profileName}" has no behavior "${behaviorName}"`);

  const range = selection.range ?? { startTime: 0, endTime: selection.now + 1 };
  const events = await detect.store.queryEvents({ ...range, securityProfileName: profileName });
  const ids = new Set(events.map((event) => event.violationId));
  // Without a range every active violation counts, even one whose events were pruned.
  if (selection.range === undefined) {
    for (const violation of detect.activeViolations.values())
      if (violation.securityProfileName === profileName) ids.add(violation.violationId);
  }

  const violations: Violation[] = [];
  for (const id of ids) {
    const violation = detect.activeViolations.get(id) ?? (await detect.store.getViolation(id));
    if (!violation) continue;
    if (behaviorName === undefined || violation.behavior.name === behaviorName)
      violations.push(violation);
  }
  return violations;
}

function skipReasonOf(
  detect: ViolationSource,
  violation: Violation,
  selection: ViolationSelection,
  named: boolean,
): string | undefined {
  if (named && selection.range !== undefined && !hasEventIn(violation, selection.range))
    return 'Skipped because the violation has no event in violationEventOccurrenceRange';
  const active =
    detect.activeViolations.has(violation.violationId) && violation.endedAt === undefined;
  if (selection.onlyActive && !active)
    return 'Skipped because the violation is no longer active and includeOnlyActiveViolations is set';
  if (!selection.includeSuppressed && violation.behavior.suppressAlerts === true)
    return `Skipped because behavior "${violation.behavior.name}" suppresses alerts; set includeSuppressedAlerts to act on it`;
  return undefined;
}

/** Tells whether the violation's in-alarm, or its clear or invalidation, falls in the range. */
function hasEventIn(violation: Violation, range: { startTime: number; endTime: number }): boolean {
  const within = (time: number) => time >= range.startTime && time < range.endTime;
  return (
    within(violation.startTime) || (violation.endedAt !== undefined && within(violation.endedAt))
  );
}
