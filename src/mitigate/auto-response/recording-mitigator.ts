/**
 * A small Mitigator for tests of the code that drives mitigation. It really changes a
 * RegistryState (thing-group membership, certificate status), stores each execution with the
 * state before and after, undoes it on rollback, and records every call.
 */

import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { invalidRequest, notFound, WardenError } from '../../core/errors.ts';
import type { RegistryChange } from '../../registry/registry-store.ts';
import type { RegistryState } from '../../registry/registry.ts';
import type { CertificateStatus } from '../../registry/types.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionRecord } from '../mitigation-types.ts';
import type { ExecuteInput, Mitigator } from '../mitigator.ts';

interface GroupState {
  thingGroups: Record<string, string[]>;
}

interface CertificateState {
  certificateStatuses: Record<string, CertificateStatus>;
}

/**
 * Acts on ADD_THINGS_TO_THING_GROUP and UPDATE_DEVICE_CERTIFICATE; other types fail. Rollback
 * rejects what LiveMitigator rejects, in its words: dry runs, repeated and concurrent rollbacks,
 * and executions that did not complete.
 */
export class RecordingMitigator implements Mitigator {
  readonly calls: ExecuteInput[] = [];
  readonly rollbacks: string[] = [];
  /** Holds each rollback until it resolves, to test concurrent rollbacks. */
  rollbackGate: Promise<void> = Promise.resolve();
  private readonly rollingBack = new Set<string>();
  /** Names of actions whose executions end FAILED, to test what follows a failure. */
  readonly failing = new Set<string>();

  constructor(
    private readonly registry: RegistryState,
    private readonly store: MitigationStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: ExecuteInput): Promise<ExecutionRecord> {
    this.calls.push(input);
    const { action } = input;
    const record: ExecutionRecord = {
      executionId: randomUUID(),
      source: input.source,
      actionName: action.actionName,
      actionId: action.actionId,
      actionType: action.actionType,
      target: input.target,
      status: 'COMPLETED',
      dryRun: input.dryRun ?? false,
      startTime: this.clock.now(),
    };
    if (input.taskId !== undefined) record.taskId = input.taskId;

    if (this.failing.has(action.actionName)) this.fail(record, 'The test made this action fail');
    else if (action.actionType === 'ADD_THINGS_TO_THING_GROUP')
      await this.addToGroups(input, record);
    else if (action.actionType === 'UPDATE_DEVICE_CERTIFICATE')
      await this.deactivate(input, record);
    else this.fail(record, `Action type ${action.actionType} is not supported by this mitigator`);

    record.endTime = this.clock.now();
    await this.store.putExecution(record);
    return record;
  }

  async rollback(executionId: string): Promise<ExecutionRecord> {
    this.rollbacks.push(executionId);
    const record = await this.store.getExecution(executionId);
    if (!record) throw notFound(`Mitigation execution "${executionId}" does not exist`);
    checkReversible(record);
    if (this.rollingBack.has(executionId))
      throw new WardenError(
        'ConflictingResourceUpdateException',
        `Mitigation execution "${executionId}" is already being rolled back`,
      );

    this.rollingBack.add(executionId);
    try {
      await this.rollbackGate;
      if (record.actionType === 'ADD_THINGS_TO_THING_GROUP') await this.leaveGroups(record);
      else await this.restoreStatuses(record);
    } finally {
      this.rollingBack.delete(executionId);
    }
    const updated: ExecutionRecord = {
      ...record,
      rolledBackAt: this.clock.now(),
      rollbackMessage: `Restored the state before execution "${executionId}"`,
    };
    await this.store.putExecution(updated);
    return updated;
  }

  private async addToGroups(input: ExecuteInput, record: ExecutionRecord): Promise<void> {
    const groups = input.action.actionParams.addThingsToThingGroupParams?.thingGroupNames ?? [];
    const before: GroupState = { thingGroups: {} };
    const after: GroupState = { thingGroups: {} };
    const changes: RegistryChange[] = [];
    for (const thing of input.target.thingNames) {
      const current = this.registry.linkedTo('thing-group-member', thing).sort();
      before.thingGroups[thing] = current;
      after.thingGroups[thing] = [...new Set([...current, ...groups])].sort();
      for (const group of groups.filter((name) => !current.includes(name)))
        changes.push({
          type: 'link',
          link: { kind: 'thing-group-member', from: group, to: thing },
        });
    }
    if (!record.dryRun) await this.registry.commit(changes);
    record.before = before;
    record.after = after;
  }

  private async leaveGroups(record: ExecutionRecord): Promise<void> {
    const before = record.before as GroupState;
    const after = record.after as GroupState;
    const changes: RegistryChange[] = [];
    for (const [thing, groups] of Object.entries(after.thingGroups)) {
      const kept = before.thingGroups[thing] ?? [];
      for (const group of groups.filter((name) => !kept.includes(name)))
        changes.push({
          type: 'unlink',
          link: { kind: 'thing-group-member', from: group, to: thing },
        });
    }
    await this.registry.commit(changes);
  }

  private async deactivate(input: ExecuteInput, record: ExecutionRecord): Promise<void> {
    const before: CertificateState = { certificateStatuses: {} };
    const after: CertificateState = { certificateStatuses: {} };
    const changes: RegistryChange[] = [];
    for (const id of input.target.certificateIds) {
      const certificate = this.registry.get('certificate', id);
      if (!certificate) continue;
      before.certificateStatuses[id] = certificate.status;
      after.certificateStatuses[id] = 'INACTIVE';
      const updated = { ...certificate, status: 'INACTIVE' as const };
      changes.push({ type: 'put', kind: 'certificate', key: id, record: updated });
    }
    if (!record.dryRun) await this.registry.commit(changes);
    record.before = before;
    record.after = after;
  }

  private async restoreStatuses(record: ExecutionRecord): Promise<void> {
    const before = record.before as CertificateState;
    const changes: RegistryChange[] = [];
    for (const [id, status] of Object.entries(before.certificateStatuses)) {
      const certificate = this.registry.get('certificate', id);
      if (certificate)
        changes.push({
          type: 'put',
          kind: 'certificate',
          key: id,
          record: { ...certificate, status },
        });
    }
    await this.registry.commit(changes);
  }

  private fail(record: ExecutionRecord, message: string): void {
    record.status = 'FAILED';
    record.errorCode = 'InvalidRequestException';
    record.message = message;
  }
}

function checkReversible(record: ExecutionRecord): void {
  const refuse = (reason: string) =>
    invalidRequest(`Cannot roll back mitigation execution "${record.executionId}": ${reason}`);
  if (record.dryRun) throw refuse('it was a dry run and changed nothing');
  if (record.rolledBackAt !== undefined)
    throw refuse(`it was already rolled back at ${new Date(record.rolledBackAt).toISOString()}`);
  if (record.status !== 'COMPLETED') throw refuse(`it is ${record.status}`);
  if (
    record.actionType !== 'ADD_THINGS_TO_THING_GROUP' &&
    record.actionType !== 'UPDATE_DEVICE_CERTIFICATE'
  )
    throw refuse(`this mitigator cannot undo ${record.actionType}`);
}
