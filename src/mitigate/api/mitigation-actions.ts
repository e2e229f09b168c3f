import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../../core/errors.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type {
  MitigationAction,
  MitigationActionParams,
  MitigationActionType,
} from '../mitigation-types.ts';
import { SerialLock } from '../tasks/serial-lock.ts';
import { actionParamsProblems, actionTypeOf, type ActionParamsInput } from './action-params.ts';

/** An account can have at most 100 mitigation actions, as in AWS IoT, where the quota is fixed. */
export const MAX_MITIGATION_ACTIONS = 100;

export interface CreateActionInput {
  actionName: string;
  roleArn: string;
  actionParams: ActionParamsInput;
  tags?: { Key: string; Value?: string | undefined }[] | undefined;
}

export interface UpdateActionInput {
  roleArn?: string | undefined;
  actionParams?: ActionParamsInput | undefined;
}

/**
 * The account's mitigation action definitions: create, update, describe, list and delete, with
 * the AWS limits. Definitions only describe an action; tasks and the mitigator apply them.
 */
export class MitigationActions {
  private readonly lock = new SerialLock();

  constructor(
    private readonly store: MitigationStore,
    private readonly clock: Clock,
    private readonly account: { region: string; accountId: string },
  ) {}

  /** Builds the ARN of an action, `arn:aws:iot:REGION:ACCOUNT:mitigationaction/NAME`. */
  arnOf(actionName: string): string {
    return `arn:aws:iot:${this.account.region}:${this.account.accountId}:mitigationaction/${actionName}`;
  }

  /**
   * Defines a new action.
   * @throws WardenError InvalidRequestException for invalid parameters,
   *   ResourceAlreadyExistsException for a name in use, LimitExceededException past 100 actions.
   */
  async create(input: CreateActionInput): Promise<MitigationAction> {
    const actionParams = validParams(input.actionParams);
    return this.lock.run(async () => {
      const actions = await this.store.listActions();
      const existing = actions.find((action) => action.actionName === input.actionName);
      if (existing) {
        throw alreadyExists(
          `Mitigation action "${input.actionName}" already exists`,
          existing.actionId,
          this.arnOf(input.actionName),
        );
      }
      if (actions.length >= MAX_MITIGATION_ACTIONS) {
        throw new WardenError(
          'LimitExceededException',
          `Cannot create mitigation action "${input.actionName}": ${MAX_MITIGATION_ACTIONS} actions exist, the maximum; delete one first`,
        );
      }

      const now = this.clock.now();
      const action: MitigationAction = {
        actionName: input.actionName,
        actionId: randomUUID(),
        actionType: actionTypeOf(actionParams),
        roleArn: input.roleArn,
        actionParams,
        tags: (input.tags ?? []).map((tag) =>
          tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value },
        ),
        createdAt: now,
        lastModifiedAt: now,
      };
      await this.store.putAction(action);
      return action;
    });
  }

  /**
   * Changes the role or the parameters of an action; new parameters may name another type.
   * @throws WardenError ResourceNotFoundException for an unknown action.
   */
  async update(actionName: string, changes: UpdateActionInput): Promise<MitigationAction> {
    const actionParams =
      changes.actionParams === undefined ? undefined : validParams(changes.actionParams);
    return this.lock.run(async () => {
      const action = await this.require(actionName);
      const updated: MitigationAction = { ...action, lastModifiedAt: this.clock.now() };
      if (changes.roleArn !== undefined) updated.roleArn = changes.roleArn;
      if (actionParams !== undefined) {
        updated.actionParams = actionParams;
        updated.actionType = actionTypeOf(actionParams);
      }
      await this.store.putAction(updated);
      return updated;
    });
  }

  async get(actionName: string): Promise<MitigationAction | undefined> {
    const actions = await this.store.listActions();
    return actions.find((action) => action.actionName === actionName);
  }

  /** @throws WardenError ResourceNotFoundException for an unknown action. */
  async require(actionName: string): Promise<MitigationAction> {
    const action = await this.get(actionName);
    if (!action) throw notFound(`Mitigation action "${actionName}" does not exist`);
    return action;
  }

  /** Lists every action, or those of one type, sorted by name. */
  async list(actionType?: MitigationActionType): Promise<MitigationAction[]> {
    const actions = await this.store.listActions();
    return actionType === undefined
      ? actions
      : actions.filter((action) => action.actionType === actionType);
  }

  /**
   * Deletes an action; deleting one that does not exist succeeds, because the service model lists
   * no ResourceNotFoundException for DeleteMitigationAction. Running tasks keep their own copy.
   */
  async delete(actionName: string): Promise<void> {
    return this.lock.run(() => this.store.deleteAction(actionName));
  }
}

/** @throws WardenError InvalidRequestException naming every problem of the parameters. */
function validParams(input: ActionParamsInput): MitigationActionParams {
  const problems = actionParamsProblems(input);
  if (problems.length > 0)
    throw invalidRequest(problems.map((problem) => problem.message).join('; '));
  // Dropping members parsed as undefined gives the stored shape, where absent means unset.
  return JSON.parse(JSON.stringify(input)) as MitigationActionParams;
}
