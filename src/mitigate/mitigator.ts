import type {
  ExecutionRecord,
  ExecutionSource,
  MitigationAction,
  MitigationTarget,
} from './mitigation-types.ts';

export interface ExecuteInput {
  action: MitigationAction;
  target: MitigationTarget;
  source: ExecutionSource;
  taskId?: string;
  /** Record what would be done without changing anything. */
  dryRun?: boolean;
}

/**
 * Applies mitigation actions and undoes them. Every execution is stored with the state before
 * and after, and its effect reaches the live broker before `execute` resolves.
 */
export interface Mitigator {
  execute(input: ExecuteInput): Promise<ExecutionRecord>;
  /** Restores the state an execution changed; refused for actions that cannot be undone. */
  rollback(executionId: string): Promise<ExecutionRecord>;
}
