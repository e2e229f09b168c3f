import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionRecord, MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import { autoResponseTaskId, type AutoResponseRule } from './auto-response-rule.ts';
import type { Occurrence } from './occurrences.ts';

export interface ActionSequenceInput {
  rule: AutoResponseRule;
  occurrence: Occurrence;
  actions: MitigationAction[];
  target: MitigationTarget;
  mitigator: Mitigator;
  store: MitigationStore;
  clock: Clock;
}

export interface ActionSequenceResult {
  executions: ExecutionRecord[];
  /** The action and the error when the mitigator threw. A FAILED execution has its own message. */
  thrown?: { actionName: string; error: unknown };
}

/**
 * Runs a rule's actions on one target in order, passing the rule's dry-run flag through. As in
 * AWS mitigation tasks, once an action fails the rest are not run: they are stored as SKIPPED
 * executions, so the execution list shows the whole sequence.
 */
export async function runActionSequence(input: ActionSequenceInput): Promise<ActionSequenceResult> {
  const { rule, occurrence, actions, target } = input;
  const result: ActionSequenceResult = { executions: [] };
  for (const [index, action] of actions.entries()) {
    let execution: ExecutionRecord;
    try {
      execution = await input.mitigator.execute({
        action,
        target,
        source: occurrence.source,
        taskId: autoResponseTaskId(rule.ruleName),
        dryRun: rule.dryRun,
      });
    } catch (error) {
      result.thrown = { actionName: action.actionName, error };
      await skipRest(input, actions.slice(index + 1), action.actionName);
      return result;
    }
    result.executions.push(execution);
    if (execution.status === 'FAILED') {
      await skipRest(input, actions.slice(index + 1), action.actionName);
      return result;
    }
  }
  return result;
}

async function skipRest(
  input: ActionSequenceInput,
  rest: MitigationAction[],
  failedActionName: string,
): Promise<void> {
  const now = input.clock.now();
  for (const action of rest) {
    await input.store.putExecution({
      executionId: randomUUID(),
      taskId: autoResponseTaskId(input.rule.ruleName),
      source: input.occurrence.source,
      actionName: action.actionName,
      actionId: action.actionId,
      actionType: action.actionType,
      target: input.target,
      status: 'SKIPPED',
      dryRun: input.rule.dryRun,
      startTime: now,
      endTime: now,
      message: `Skipped because the earlier action "${failedActionName}" failed`,
    });
  }
}
