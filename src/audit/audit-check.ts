import type { AuditSeverity, CheckResult } from './audit-types.ts';
import type { FleetSnapshot } from './fleet-snapshot.ts';

/** What a check receives: the fleet, the audit's time, and the check's configuration values. */
export interface CheckInput {
  fleet: FleetSnapshot;
  /** Epoch ms at which the audit started. */
  now: number;
  /** The check's `configuration` map from the account audit configuration, e.g. `CERT_AGE_THRESHOLD_IN_DAYS`. */
  configuration: Record<string, string>;
}

/** One audit check: its AWS name and severity, and the rule it applies. */
export interface AuditCheck {
  name: string;
  severity: AuditSeverity;
  /** Whether a new account audit configuration enables it; AWS leaves the age check off. */
  enabledByDefault: boolean;
  /** Validates the check's configuration values; returns a message for the first bad one. */
  validateConfiguration?(configuration: Record<string, string>): string | undefined;
  run(input: CheckInput): Promise<CheckResult> | CheckResult;
}
