import type { ExecutionRecord, ExecutionStatus } from '../mitigation-types.ts';
import type { TaskControl } from './running-tasks.ts';
import type { AuditMitigationTask } from './task-records.ts';

/** One row of ListAuditMitigationActionsExecutions, times in epoch milliseconds. */
export interface AuditExecutionView {
  taskId: string;
  findingId: string;
  actionName: string;
  actionId: string;
  status: ExecutionStatus;
  startTime?: number;
  endTime?: number;
  errorCode?: string;
  message?: string;
}

/** Shows a stored execution as a row of the executions list. */
export function recordView(
  taskId: string,
  findingId: string,
  record: ExecutionRecord,
): AuditExecutionView {
  const view: AuditExecutionView = {
    taskId,
    findingId,
    actionName: record.actionName,
    actionId: record.actionId,
    status: record.status,
  };
  // Executions that never started are shown without times.
  if (record.status !== 'SKIPPED' && record.status !== 'CANCELED') {
    view.startTime = record.startTime;
    if (record.endTime !== undefined) view.endTime = record.endTime;
  }
  if (record.errorCode !== undefined) view.errorCode = record.errorCode;
  if (record.message !== undefined) view.message = record.message;
  return view;
}

/** Shows an execution without a record: PENDING, IN_PROGRESS, or CANCELED once the task ended. */
export function unrecordedView(
  task: AuditMitigationTask,
  findingId: string,
  actionName: string,
  control: TaskControl | undefined,
): AuditExecutionView {
  const actionId =
    task.actionsDefinition.find((action) => action.actionName === actionName)?.actionId ?? '';
  const view: AuditExecutionView = {
    taskId: task.taskId,
    findingId,
    actionName,
    actionId,
    status: 'PENDING',
  };
  if (control === undefined) {
    view.status = 'CANCELED';
    view.message = 'Not started because the task ended first';
  } else if (control.current?.unitId === findingId && control.current.actionName === actionName) {
    view.status = 'IN_PROGRESS';
  }
  return view;
}
