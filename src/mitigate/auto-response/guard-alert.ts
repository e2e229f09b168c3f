/**
 * The alert an auto-response rule's guard sends when it trips: one per trip, naming the rule, its
 * limit and what it skipped, so an operator can tell a fleet-wide event from a runaway rule.
 */

import type { AutoResponseRule } from './auto-response-rule.ts';
import type { GuardState, GuardTrip } from './hourly-guard.ts';

/**
 * How long the alert of a trip may wait for more skips to list while events keep arriving.
 * Without a backlog the alert leaves as soon as the queued events are handled.
 */
export const ALERT_BATCH_MS = 60 * 1000;

/** The JSON an alert target receives. Times are epoch milliseconds, as in violation alerts. */
export interface GuardAlertMessage {
  alertType: 'auto-response-guard-tripped';
  ruleName: string;
  maxThingsPerHour: number;
  dryRun: boolean;
  trippedAt: number;
  /** Things the rule acted on in the hour before the alert. */
  thingsActedOn: string[];
  /** Distinct things skipped so far, capped. `skippedCount` counts every skip. */
  skippedThings: string[];
  skippedCount: number;
  message: string;
}

export function guardAlertMessage(
  rule: AutoResponseRule,
  state: GuardState,
  trip: GuardTrip,
): GuardAlertMessage {
  const skippedThings = trip.skipped.map((entry) => entry.label);
  const mode = rule.dryRun ? 'in dry-run mode ' : '';
  return {
    alertType: 'auto-response-guard-tripped',
    ruleName: rule.ruleName,
    maxThingsPerHour: rule.maxThingsPerHour,
    dryRun: rule.dryRun,
    trippedAt: trip.trippedAt,
    thingsActedOn: state.acted.map((entry) => entry.label),
    skippedThings,
    skippedCount: trip.skippedCount,
    message:
      `Auto-response rule "${rule.ruleName}" ${mode}reached its limit of ${rule.maxThingsPerHour} ` +
      `distinct things per hour and skipped ${trip.skippedCount}: ${skippedThings.join(', ')}`,
  };
}
