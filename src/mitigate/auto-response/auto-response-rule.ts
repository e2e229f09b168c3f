/**
 * Auto-response rules: Warden records that name mitigation actions to run when a behavior raises
 * a violation or a check raises a finding. AWS's Behavior and audit check shapes have no such
 * field, so the rules live beside them as MitigationStore documents. Times are epoch ms.
 */

import type { StoredFinding } from '../../audit/audit-records.ts';
import type { StoredViolationEvent } from '../../detect/detect-records.ts';

/** MitigationStore document kind of the rules, keyed by rule name. */
export const AUTO_RESPONSE_RULE_KIND = 'auto-response-rule';

/** Rules start in dry-run mode, so a new rule records what it would do before it does it. */
export const DEFAULT_DRY_RUN = true;

/** Distinct things a rule may act on per sliding hour unless the rule sets its own limit. */
export const DEFAULT_MAX_THINGS_PER_HOUR = 10;

export const MAX_THINGS_PER_HOUR_LIMIT = 10_000;

/** The same bound as the action list of an AWS detect or audit mitigation task. */
export const MAX_ACTIONS_PER_RULE = 5;

/** Fires on `in-alarm` events of one security profile, optionally of one behavior only. */
export interface ViolationTrigger {
  securityProfileName: string;
  behaviorName?: string;
}

/** Fires on unsuppressed findings of one check, optionally only those with given reason codes. */
export interface FindingTrigger {
  checkName: string;
  reasonCodes?: string[];
}

export type AutoResponseTrigger = ViolationTrigger | FindingTrigger;

/** One stored rule. */
export interface AutoResponseRule {
  ruleName: string;
  trigger: AutoResponseTrigger;
  /** Mitigation action names, run in this order. A failed action skips the rest. */
  actions: string[];
  dryRun: boolean;
  maxThingsPerHour: number;
  /** SNS topic ARN whose last part names the Warden alert target for the guard's alert. */
  alertTargetArn?: string;
  enabled: boolean;
  createdAt: number;
  lastModifiedAt: number;
}

/** A rule as PutAutoResponse takes it. Omitted members take the defaults above. */
export interface AutoResponseRuleInput {
  trigger: {
    securityProfileName?: string | undefined;
    behaviorName?: string | undefined;
    checkName?: string | undefined;
    reasonCodes?: string[] | undefined;
  };
  actions: string[];
  dryRun?: boolean | undefined;
  maxThingsPerHour?: number | undefined;
  alertTargetArn?: string | undefined;
  enabled?: boolean | undefined;
}

export function isFindingTrigger(trigger: AutoResponseTrigger): trigger is FindingTrigger {
  return 'checkName' in trigger;
}

/** Tells whether an enabled rule fires on a violation event. Only `in-alarm` events fire. */
export function matchesViolation(rule: AutoResponseRule, event: StoredViolationEvent): boolean {
  if (!rule.enabled || event.type !== 'in-alarm' || isFindingTrigger(rule.trigger)) return false;
  if (rule.trigger.securityProfileName !== event.securityProfileName) return false;
  return (
    rule.trigger.behaviorName === undefined || rule.trigger.behaviorName === event.behavior.name
  );
}

/** Tells whether an enabled rule fires on a finding. Suppressed findings never fire. */
export function matchesFinding(rule: AutoResponseRule, finding: StoredFinding): boolean {
  if (!rule.enabled || finding.isSuppressed || !isFindingTrigger(rule.trigger)) return false;
  if (rule.trigger.checkName !== finding.checkName) return false;
  const codes = rule.trigger.reasonCodes;
  return codes === undefined || codes.includes(finding.reasonForNonComplianceCode);
}

/**
 * Returns the task id of a rule's executions, so they can be listed by rule. The colon keeps it
 * apart from AWS mitigation task ids, whose pattern `[a-zA-Z0-9_-]+` has none.
 */
export function autoResponseTaskId(ruleName: string): string {
  return `auto-response:${ruleName}`;
}

/** Builds the trigger a rule stores from a validated input, dropping unset members. */
export function triggerOf(input: AutoResponseRuleInput['trigger']): AutoResponseTrigger {
  if (input.checkName !== undefined) {
    const trigger: FindingTrigger = { checkName: input.checkName };
    if (input.reasonCodes !== undefined) trigger.reasonCodes = [...input.reasonCodes];
    return trigger;
  }
  const trigger: ViolationTrigger = { securityProfileName: input.securityProfileName ?? '' };
  if (input.behaviorName !== undefined) trigger.behaviorName = input.behaviorName;
  return trigger;
}
