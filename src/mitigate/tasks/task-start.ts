import { invalidRequest, WardenError } from '../../core/errors.ts';
import type { MitigationActions } from '../api/mitigation-actions.ts';
import type { MitigationAction } from '../mitigation-types.ts';
import type { TaskControl } from './running-tasks.ts';

/** The request fields a stored task keeps to recognize a retry. */
interface StartedTask {
  taskId: string;
  clientRequestToken: string;
  requestKey: string;
}

/**
 * Lets a retry of a start through and rejects any other request for a task ID in use. A retry
 * carries the same `clientRequestToken` and the same request.
 * @throws WardenError TaskAlreadyExistsException for another token or another request.
 */
export function checkIdempotentStart(
  kind: 'Audit' | 'Detect',
  existing: StartedTask,
  clientRequestToken: string,
  requestKey: string,
): void {
  if (existing.clientRequestToken !== clientRequestToken) {
    throw new WardenError(
      'TaskAlreadyExistsException',
      `${kind} mitigation task "${existing.taskId}" already exists with another clientRequestToken; choose another taskId`,
    );
  }
  if (existing.requestKey !== requestKey) {
    throw new WardenError(
      'TaskAlreadyExistsException',
      `${kind} mitigation task "${existing.taskId}" already exists with another request for clientRequestToken "${clientRequestToken}"; choose another taskId`,
    );
  }
}

/**
 * Copies the named action definitions, which the task then uses however the definitions change.
 * @throws WardenError InvalidRequestException naming the first action that does not exist.
 */
export async function snapshotActions(
  actions: MitigationActions,
  names: string[],
): Promise<Map<string, MitigationAction>> {
  const known = new Map((await actions.list()).map((action) => [action.actionName, action]));
  const snapshot = new Map<string, MitigationAction>();
  for (const name of names) {
    const action = known.get(name);
    if (!action) throw invalidRequest(`Mitigation action "${name}" does not exist`);
    snapshot.set(name, action);
  }
  return snapshot;
}

/**
 * Chooses the status of a task whose runner returned. A task cut short by Warden stopping is
 * FAILED, and a canceled one is CANCELED even when an action failed. Otherwise any failure makes
 * it FAILED.
 */
export function stoppedStatus<S extends string>(
  control: TaskControl,
  failed: boolean,
  success: S,
): S | 'CANCELED' | 'FAILED' {
  if (control.stopping) return 'FAILED';
  if (control.canceled) return 'CANCELED';
  return failed ? 'FAILED' : success;
}
