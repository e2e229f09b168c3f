import { invalidRequest } from '../../core/errors.ts';
import type { RegistryState } from '../../registry/registry.ts';
import type {
  ExecutionRecord,
  MitigationAction,
  MitigationActionType,
  MitigationTarget,
} from '../mitigation-types.ts';
import {
  PartialApplyError,
  paramsOf,
  quoteAll,
  requireTargets,
  type ActionExecutor,
  type ApplyResult,
  type ExecutorContext,
} from './executor.ts';

/** The status of each target certificate, as `before` and `after` record it. */
export interface CertificateStatuses {
  certificates: { certificateId: string; status: string }[];
}

/** The registry operations that read one kind of certificate and switch its status. */
export interface StatusChangeSpec {
  actionType: MitigationActionType;
  member: 'updateDeviceCertificateParams' | 'updateCACertificateParams';
  /** `device certificate` or `CA certificate`, for messages. */
  label: string;
  targetIds(target: MitigationTarget): string[];
  /** The stored id and status. @throws WardenError ResourceNotFoundException when absent. */
  read(registry: RegistryState, id: string): { certificateId: string; status: string };
  /** The status now, or undefined once the certificate was deleted. */
  find(registry: RegistryState, id: string): string | undefined;
  setStatus(registry: RegistryState, id: string, status: 'ACTIVE' | 'INACTIVE'): Promise<void>;
}

/**
 * Builds the executor of a DEACTIVATE action. Only ACTIVE certificates change, so a REVOKED
 * one is never made INACTIVE, and rollback reactivates only the certificates this execution
 * deactivated that are still INACTIVE. The registry emits a change for each, which makes the
 * broker drop the sessions using them and refuse their reconnects.
 */
export function statusChangeExecutor(spec: StatusChangeSpec): ActionExecutor {
  const prepare = (
    action: MitigationAction,
    target: MitigationTarget,
    context: ExecutorContext,
  ) => {
    const params = paramsOf(action, spec.member);
    if (params.action !== 'DEACTIVATE') {
      throw invalidRequest(
        `Invalid action "${String(params.action)}" in mitigation action "${action.actionName}": must be DEACTIVATE`,
      );
    }
    const ids = requireTargets(action, spec.targetIds(target), `${spec.label}s`);
    const before: CertificateStatuses = {
      certificates: ids.map((id) => {
        const { certificateId, status } = spec.read(context.registry, id);
        return { certificateId, status };
      }),
    };
    const active = before.certificates.filter((entry) => entry.status === 'ACTIVE');
    const others = before.certificates.filter((entry) => entry.status !== 'ACTIVE');
    return { before, active, others };
  };

  return {
    actionType: spec.actionType,

    plan(action, target, context) {
      const { before, active, others } = prepare(action, target, context);
      const ids = active.map((entry) => entry.certificateId);
      return {
        before,
        message: `Would deactivate ${spec.label}s ${quoteAll(ids) || '(none ACTIVE)'}${leftAsIs(others)}`,
      };
    },

    async apply(action, target, context): Promise<ApplyResult> {
      const { before, active, others } = prepare(action, target, context);
      const after: CertificateStatuses = {
        certificates: before.certificates.map((e) => ({ ...e })),
      };
      for (const entry of active) {
        try {
          await spec.setStatus(context.registry, entry.certificateId, 'INACTIVE');
        } catch (error) {
          throw new PartialApplyError(error, before, after);
        }
        const changed = after.certificates.find((e) => e.certificateId === entry.certificateId);
        if (changed) changed.status = 'INACTIVE';
      }
      const ids = active.map((entry) => entry.certificateId);
      const message =
        ids.length === 0
          ? `No ${spec.label} was ACTIVE${leftAsIs(others)}`
          : `Deactivated ${spec.label}s ${quoteAll(ids)}${leftAsIs(others)}`;
      return { before, after, message };
    },

    async rollback(execution: ExecutionRecord, context) {
      const before = execution.before as CertificateStatuses;
      const after = execution.after as CertificateStatuses;
      const restored: string[] = [];
      const skipped: string[] = [];
      for (const entry of after.certificates) {
        const previous = before.certificates.find((e) => e.certificateId === entry.certificateId);
        if (previous?.status !== 'ACTIVE' || entry.status !== 'INACTIVE') continue;
        const now = spec.find(context.registry, entry.certificateId);
        if (now === 'ACTIVE') restored.push(entry.certificateId);
        else if (now !== 'INACTIVE')
          skipped.push(`"${entry.certificateId}" (${now ?? 'deleted'} since)`);
        else {
          await spec.setStatus(context.registry, entry.certificateId, 'ACTIVE');
          restored.push(entry.certificateId);
        }
      }
      const skippedText = skipped.length > 0 ? `; left ${skipped.join(', ')} unchanged` : '';
      return `Reactivated ${spec.label}s ${quoteAll(restored) || '(none)'}${skippedText}`;
    },
  };
}

function leftAsIs(others: { certificateId: string; status: string }[]): string {
  if (others.length === 0) return '';
  const listed = others.map((entry) => `"${entry.certificateId}" (${entry.status})`).join(', ');
  return `; left ${listed} unchanged`;
}
