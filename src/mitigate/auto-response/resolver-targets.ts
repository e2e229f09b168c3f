import type { StoredViolationEvent, Violation } from '../../detect/detect-records.ts';
import type { TargetResolver } from '../target-resolver.ts';
import type { TargetResolvers } from './auto-responder.ts';

/**
 * Adapts the TargetResolver to the auto-responder. A violation is resolved from its record
 * (`violationOf`, e.g. detect's active violations). When the alarm cleared before the responder
 * reached the event, the record is rebuilt from the `in-alarm` event, which has the same thing.
 */
export function resolverTargets(
  resolver: Pick<TargetResolver, 'fromViolation' | 'fromFinding'>,
  violationOf: (violationId: string) => Violation | undefined,
): TargetResolvers {
  return {
    violation: (event) =>
      resolver.fromViolation(violationOf(event.violationId) ?? violationFromEvent(event)),
    finding: (finding) => resolver.fromFinding(finding),
  };
}

function violationFromEvent(event: StoredViolationEvent): Violation {
  const violation: Violation = {
    violationId: event.violationId,
    thingName: event.thingName,
    securityProfileName: event.securityProfileName,
    behavior: event.behavior,
    startTime: event.time,
    lastViolationTime: event.time,
    verificationState: 'UNKNOWN',
  };
  if (event.metricValue !== undefined) violation.lastViolationValue = event.metricValue;
  return violation;
}
