import type { Clock } from '../../core/clock.ts';
import { invalidRequest, notFound } from '../../core/errors.ts';
import { targetNameOfArn } from '../../detect/alert-target.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { MitigationAction, MitigationActionType } from '../mitigation-types.ts';
import { AUDIT_CHECK_ACTION_TYPES, DETECT_ACTION_TYPES } from '../tasks/allowed-actions.ts';
import {
  AUTO_RESPONSE_RULE_KIND,
  DEFAULT_DRY_RUN,
  DEFAULT_MAX_THINGS_PER_HOUR,
  isFindingTrigger,
  triggerOf,
  type AutoResponseRule,
  type AutoResponseRuleInput,
  type AutoResponseTrigger,
} from './auto-response-rule.ts';
import { HourlyGuard } from './hourly-guard.ts';

export interface AutoResponseRulesOptions {
  store: MitigationStore;
  clock: Clock;
  /** Audit check names Warden runs. When given, a check trigger must name one of them. */
  checkNames?: readonly string[];
  /** Tells whether a Warden alert target of this name is configured. When given, it is checked. */
  hasAlertTarget?: (name: string) => boolean;
}

/**
 * Creates, replaces, reads and deletes auto-response rules. The API schema checks the request
 * shape. This class checks what depends on the rest of Warden: that the actions exist and suit
 * the trigger, that the check is known and that the alert target is configured.
 */
export class AutoResponseRules {
  private readonly guard: HourlyGuard;

  constructor(private readonly options: AutoResponseRulesOptions) {
    this.guard = new HourlyGuard(options.store);
  }

  /**
   * Creates the rule or replaces it, keeping its creation time and its guard window.
   * @throws WardenError InvalidRequestException naming the first action, check or alert target
   * that does not fit.
   */
  async put(ruleName: string, input: AutoResponseRuleInput): Promise<AutoResponseRule> {
    const trigger = triggerOf(input.trigger);
    if (isFindingTrigger(trigger)) this.checkCheckName(trigger.checkName);
    await this.checkActions(input.actions, trigger);
    if (input.alertTargetArn !== undefined) this.checkAlertTarget(input.alertTargetArn);

    const now = this.options.clock.now();
    const existing = await this.get(ruleName);
    const rule: AutoResponseRule = {
      ruleName,
      trigger,
      actions: [...input.actions],
      dryRun: input.dryRun ?? DEFAULT_DRY_RUN,
      maxThingsPerHour: input.maxThingsPerHour ?? DEFAULT_MAX_THINGS_PER_HOUR,
      enabled: input.enabled ?? true,
      createdAt: existing?.createdAt ?? now,
      lastModifiedAt: now,
    };
    if (input.alertTargetArn !== undefined) rule.alertTargetArn = input.alertTargetArn;
    await this.options.store.putDocument({
      kind: AUTO_RESPONSE_RULE_KIND,
      key: ruleName,
      data: rule,
    });
    return rule;
  }

  async get(ruleName: string): Promise<AutoResponseRule | undefined> {
    const stored = await this.options.store.getDocument(AUTO_RESPONSE_RULE_KIND, ruleName);
    return stored as AutoResponseRule | undefined;
  }

  /** @throws WardenError ResourceNotFoundException when no rule has this name. */
  async require(ruleName: string): Promise<AutoResponseRule> {
    const rule = await this.get(ruleName);
    if (!rule) throw notFound(`Auto-response rule "${ruleName}" does not exist`);
    return rule;
  }

  /** Lists every rule, sorted by name. */
  async list(): Promise<AutoResponseRule[]> {
    return (await this.options.store.listDocuments(AUTO_RESPONSE_RULE_KIND)) as AutoResponseRule[];
  }

  /**
   * Deletes the rule and its guard window. Its executions stay, and so do the records of the
   * violations and findings it handled, so a new rule of the same name does not act on them again.
   * @throws WardenError ResourceNotFoundException when no rule has this name.
   */
  async delete(ruleName: string): Promise<void> {
    await this.require(ruleName);
    await this.options.store.deleteDocument(AUTO_RESPONSE_RULE_KIND, ruleName);
    await this.guard.delete(ruleName);
  }

  /**
   * Checks that each action exists and may act on what the trigger raises, with the tables the
   * mitigation tasks use. Checks that the table does not list (custom ones) allow every type.
   */
  private async checkActions(names: string[], trigger: AutoResponseTrigger): Promise<void> {
    const actions = new Map<string, MitigationAction>();
    for (const action of await this.options.store.listActions())
      actions.set(action.actionName, action);
    const forFindings = isFindingTrigger(trigger);
    const allowed: readonly MitigationActionType[] | undefined = forFindings
      ? AUDIT_CHECK_ACTION_TYPES[trigger.checkName]
      : DETECT_ACTION_TYPES;
    const raiser = forFindings ? `findings of ${trigger.checkName}` : 'a violation trigger';

    names.forEach((name, index) => {
      const action = actions.get(name);
      if (!action)
        throw invalidRequest(
          `Unknown mitigation action "${name}" at "actions[${index}]": create it with CreateMitigationAction first`,
        );
      if (allowed !== undefined && !allowed.includes(action.actionType))
        throw invalidRequest(
          `Mitigation action "${name}" at "actions[${index}]" has type ${action.actionType}, which ${raiser} cannot run; use one of ${allowed.join(', ')}`,
        );
    });
  }

  private checkCheckName(checkName: string): void {
    const known = this.options.checkNames;
    if (known === undefined || known.includes(checkName)) return;
    throw invalidRequest(
      `Unknown audit check "${checkName}" at "trigger.checkName"; known checks: ${[...known].sort().join(', ')}`,
    );
  }

  private checkAlertTarget(arn: string): void {
    const name = targetNameOfArn(arn);
    if (name === undefined)
      throw invalidRequest(
        `Invalid alertTargetArn "${arn}": must be an SNS topic ARN, arn:aws:sns:REGION:ACCOUNT:NAME`,
      );
    const known = this.options.hasAlertTarget;
    if (known !== undefined && !known(name))
      throw invalidRequest(
        `Alert target "${name}" of alertTargetArn "${arn}" is not configured in Warden: add it to the alert targets file`,
      );
  }
}
