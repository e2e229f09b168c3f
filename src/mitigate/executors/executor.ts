import type { WardenBroker } from '../../broker/broker.ts';
import type { BrokerEnforcement } from '../../broker/enforcement/broker-enforcement.ts';
import type { Clock } from '../../core/clock.ts';
import { invalidRequest, WardenError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { AlertDispatcher } from '../../detect/alerts.ts';
import type { PolicyDocumentValidator } from '../../registry/policies.ts';
import type { RegistryState } from '../../registry/registry.ts';
import {
  PARAMS_MEMBER,
  type ExecutionRecord,
  type ExecutionSource,
  type MitigationAction,
  type MitigationActionParams,
  type MitigationActionType,
  type MitigationTarget,
} from '../mitigation-types.ts';

/** The broker operations the executors use. */
export type MitigationBroker = Pick<WardenBroker, 'disconnectClient' | 'settled' | 'sessions'>;

/** Everything the executors act on: the registry, the live broker, alerts and the clock. */
export interface ExecutorContext {
  registry: RegistryState;
  broker: MitigationBroker;
  enforcement: BrokerEnforcement;
  alerts: Pick<AlertDispatcher, 'sendToArn'>;
  validatePolicy: PolicyDocumentValidator;
  clock: Clock;
  logger: Logger;
}

/** The context of one execution: the shared context plus the record being written. */
export interface ApplyContext extends ExecutorContext {
  execution: ExecutionRecord;
}

/** The state an applied action changed, in the executor's own shape, with a summary. */
export interface ApplyResult {
  before: unknown;
  after: unknown;
  message: string;
}

/** The record of a dry run: the state now and a summary of the change it would make. */
export interface PlanResult {
  before: unknown;
  message: string;
}

/**
 * Applies and undoes one mitigation action type. `plan` checks the same things as `apply` and
 * changes nothing. `rollback` restores what `apply` recorded in `after` and skips resources
 * that changed since, saying so in the message it returns.
 */
export interface ActionExecutor {
  readonly actionType: MitigationActionType;
  /** The reason an action type cannot be undone, as the rollback error states it. */
  readonly irreversible?: string;
  plan(action: MitigationAction, target: MitigationTarget, context: ApplyContext): PlanResult;
  apply(
    action: MitigationAction,
    target: MitigationTarget,
    context: ApplyContext,
  ): Promise<ApplyResult>;
  rollback(execution: ExecutionRecord, context: ExecutorContext): Promise<string>;
}

/**
 * Thrown by `apply` when it fails after changing something, so the FAILED execution keeps the
 * partial state and can be rolled back. `cause` is the error that stopped it.
 */
export class PartialApplyError extends Error {
  constructor(
    cause: unknown,
    readonly before: unknown,
    readonly after: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PartialApplyError';
  }
}

/**
 * Returns the action's parameters for its type.
 * @throws WardenError InvalidRequestException when the member for the type is not set.
 */
export function paramsOf<K extends keyof MitigationActionParams>(
  action: MitigationAction,
  member: K,
): NonNullable<MitigationActionParams[K]> {
  const params = action.actionParams[member];
  if (params === undefined || PARAMS_MEMBER[action.actionType] !== member) {
    throw invalidRequest(
      `Mitigation action "${action.actionName}" of type ${action.actionType} has no "${PARAMS_MEMBER[action.actionType]}" in its actionParams`,
    );
  }
  return params as NonNullable<MitigationActionParams[K]>;
}

/**
 * Returns the target's resources of one kind, deduplicated.
 * @throws WardenError InvalidRequestException when the target has none, e.g. a device
 * certificate action applied to a finding about a policy.
 */
export function requireTargets(
  action: MitigationAction,
  resources: readonly string[],
  kind: string,
): string[] {
  if (resources.length === 0) {
    throw invalidRequest(
      `Cannot apply mitigation action "${action.actionName}" (${action.actionType}): the target has no ${kind}`,
    );
  }
  return [...new Set(resources)];
}

/** Names the rule that caused an execution, for ban and throttle records and notifications. */
export function ruleOf(source: ExecutionSource): string {
  switch (source.kind) {
    case 'violation':
      return `security profile "${source.securityProfileName}", behavior "${source.behaviorName}"`;
    case 'audit-finding':
      return `audit check ${source.checkName}, finding "${source.findingId}"`;
    case 'manual':
      return `manual: ${source.reason}`;
  }
}

/**
 * Returns the end of a ban or throttle that lasts `durationSeconds` from now.
 * @throws WardenError InvalidRequestException unless the duration is a positive whole number.
 */
export function expiryOf(action: MitigationAction, durationSeconds: number, now: number): number {
  if (!Number.isInteger(durationSeconds) || durationSeconds <= 0) {
    throw invalidRequest(
      `Invalid durationSeconds "${durationSeconds}" in mitigation action "${action.actionName}": must be a positive whole number`,
    );
  }
  return now + durationSeconds * 1000;
}

/** Quotes and joins names for a message: `"a", "b"`. */
export function quoteAll(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** Returns the AWS error type of a failure: its WardenError code or InternalFailureException. */
export function errorCodeOf(error: unknown): string {
  const cause = error instanceof PartialApplyError ? error.cause : error;
  return cause instanceof WardenError ? cause.code : 'InternalFailureException';
}
