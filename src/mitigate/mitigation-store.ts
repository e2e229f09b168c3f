import type { ExecutionRecord, MitigationAction } from './mitigation-types.ts';

export interface ExecutionQuery {
  taskId?: string | undefined;
  findingId?: string | undefined;
  violationId?: string | undefined;
  thingName?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
}

/** A record kept as JSON under a kind and key: mitigation tasks, bans, throttles, rules. */
export interface MitigationDocument {
  kind: string;
  key: string;
  data: unknown;
}

/** Durable storage of mitigation: action definitions, executions, and task-level documents. */
export interface MitigationStore {
  listActions(): Promise<MitigationAction[]>;
  putAction(action: MitigationAction): Promise<void>;
  deleteAction(actionName: string): Promise<void>;
  putExecution(execution: ExecutionRecord): Promise<void>;
  getExecution(executionId: string): Promise<ExecutionRecord | undefined>;
  listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]>;
  putDocument(document: MitigationDocument): Promise<void>;
  getDocument(kind: string, key: string): Promise<unknown>;
  listDocuments(kind: string): Promise<unknown[]>;
  deleteDocument(kind: string, key: string): Promise<void>;
  /** Deletes executions that started before `before` (epoch ms); returns how many. */
  pruneExecutions(before: number): Promise<number>;
}
