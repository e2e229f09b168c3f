/**
 * Applying a plan: its steps in dependency order, one at a time, stopping at the first call
 * Warden rejects. The result lists what was applied, what failed with Warden's message, and
 * what was not attempted.
 */

import { WardenApiError } from '../client/warden-api-client.ts';
import { KINDS } from './kinds/index.ts';
import type { Plan } from './plan.ts';
import { ACTION_SYMBOL } from './plan-format.ts';
import type { ApplyStep, StepContext } from './resource-kind.ts';

export interface ApplyFailure {
  step: ApplyStep;
  error: WardenApiError;
}

export interface ApplyResult {
  applied: ApplyStep[];
  failed?: ApplyFailure;
  notApplied: ApplyStep[];
}

/** Lists the plan's steps in the order they run; steps of equal order keep the plan's order. */
export function planSteps(plan: Plan): ApplyStep[] {
  const steps = plan.changes.flatMap((change) => KINDS[change.section].steps(change, plan.context));
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.order - b.step.order || a.index - b.index)
    .map(({ step }) => step);
}

/**
 * Runs the steps and reports each one through `report` as it finishes.
 * @throws errors other than WardenApiError, which are bugs rather than refusals.
 */
export async function applySteps(
  steps: readonly ApplyStep[],
  context: StepContext,
  report: (line: string) => void,
): Promise<ApplyResult> {
  const applied: ApplyStep[] = [];
  for (const [index, step] of steps.entries()) {
    try {
      await step.run(context);
    } catch (error) {
      if (!(error instanceof WardenApiError)) throw error;
      report(`  ${describeStep(step)}: failed`);
      return { applied, failed: { step, error }, notApplied: steps.slice(index + 1) };
    }
    applied.push(step);
    report(`  ${describeStep(step)}: done`);
  }
  return { applied, notApplied: [] };
}

/** Names a step as the plan names its change: `+ security profile "ports": attach to …`. */
export function describeStep(step: ApplyStep): string {
  const { change } = step;
  const noun = KINDS[change.section].noun;
  const detail = step.detail === undefined ? '' : `: ${step.detail}`;
  return `${ACTION_SYMBOL[change.action]} ${noun} "${change.label}"${detail}`;
}
