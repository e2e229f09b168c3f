import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../../core/errors.ts';
import {
  createPolicyVersion,
  defaultDocument,
  deletePolicyVersion,
  MAX_POLICY_VERSIONS,
  requirePolicy,
  requireVersion,
  setDefaultPolicyVersion,
} from '../../registry/policies.ts';
import type { RegistryState } from '../../registry/registry.ts';
import type { Policy, PolicyVersion } from '../../registry/types.ts';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import {
  PartialApplyError,
  paramsOf,
  requireTargets,
  type ActionExecutor,
  type ExecutorContext,
} from './executor.ts';

/**
 * The BLANK_POLICY template: no statement, so every request is implicitly denied. The policy
 * validator accepts an empty Statement array.
 */
export const BLANK_POLICY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [] });

/** `before`: each target policy's default version. */
export interface DefaultVersions {
  policies: { policyName: string; defaultVersionId: string }[];
}

/** `after`: per policy, the blank version made default and the version deleted to make room. */
export interface BlankVersions {
  policies: {
    policyName: string;
    previousDefaultVersionId: string;
    blankVersionId: string;
    deletedVersion?: PolicyVersion;
  }[];
}

/**
 * REPLACE_DEFAULT_POLICY_VERSION with BLANK_POLICY: each target policy gets a new version from
 * the blank template as its default, which denies everything the policy allowed at once. A
 * policy already at its limit of 5 versions first loses its oldest non-default version, so the
 * mitigation still takes effect. The deleted version is recorded, and rollback puts it back
 * with its version id, restores the previous default and deletes the blank version.
 */
export const replaceDefaultPolicyVersionExecutor: ActionExecutor = {
  actionType: 'REPLACE_DEFAULT_POLICY_VERSION',

  plan(action, target, context) {
    const { before, policies, alreadyBlank } = prepare(action, target, context);
    const parts = policies.map((policy) => {
      const oldest = oldestNonDefault(policy);
      const room = oldest
        ? ` after deleting its oldest non-default version "${oldest.versionId}"`
        : '';
      return `policy "${policy.policyName}" (default version "${policy.defaultVersionId}")${room}`;
    });
    const changes =
      parts.length === 0
        ? 'Would change no policy'
        : `Would make a blank version the default of ${parts.join(', ')}`;
    return { before, message: `${changes}${blankAlready(alreadyBlank)}` };
  },

  async apply(action, target, context) {
    const { before, policies, alreadyBlank } = prepare(action, target, context);
    const after: BlankVersions = { policies: [] };
    for (const policy of policies) {
      try {
        after.policies.push(await blankOut(context, policy));
      } catch (error) {
        throw new PartialApplyError(error, before, after);
      }
    }
    const parts = after.policies.map((entry) => {
      const deleted = entry.deletedVersion
        ? `, deleting version "${entry.deletedVersion.versionId}" to make room`
        : '';
      return `policy "${entry.policyName}" now defaults to blank version "${entry.blankVersionId}" (was "${entry.previousDefaultVersionId}"${deleted})`;
    });
    const changes = parts.length === 0 ? 'Changed no policy' : capitalize(parts.join('; '));
    return { before, after, message: `${changes}${blankAlready(alreadyBlank)}` };
  },

  async rollback(execution, context) {
    const after = execution.after as BlankVersions;
    const restored: string[] = [];
    const skipped: string[] = [];
    for (const entry of after.policies) {
      const outcome = await restore(context.registry, entry);
      const text = outcome.note === undefined ? '' : ` (${outcome.note})`;
      if (outcome.restored) restored.push(`"${entry.policyName}"${text}`);
      else skipped.push(`"${entry.policyName}"${text}`);
    }
    const skippedText = skipped.length > 0 ? `; left ${skipped.join(', ')} unchanged` : '';
    const list = restored.length > 0 ? restored.join(', ') : '(none)';
    return `Restored the previous default version of policies ${list}${skippedText}`;
  },
};

function prepare(action: MitigationAction, target: MitigationTarget, context: ExecutorContext) {
  const params = paramsOf(action, 'replaceDefaultPolicyVersionParams');
  if (params.templateName !== 'BLANK_POLICY') {
    throw invalidRequest(
      `Invalid templateName "${String(params.templateName)}" in mitigation action "${action.actionName}": must be BLANK_POLICY`,
    );
  }
  const names = requireTargets(action, target.policyNames, 'policies');
  const all = names.map((name) => requirePolicy(context.registry, name));
  const before: DefaultVersions = {
    policies: all.map(({ policyName, defaultVersionId }) => ({ policyName, defaultVersionId })),
  };
  // A policy whose default is already blank is left alone, so repeated executions do not use
  // up its versions.
  const policies = all.filter((policy) => defaultDocument(policy) !== BLANK_POLICY_DOCUMENT);
  const alreadyBlank = all.filter((policy) => !policies.includes(policy));
  return { before, policies, alreadyBlank };
}

async function blankOut(context: ExecutorContext, policy: Policy) {
  const oldest = oldestNonDefault(policy);
  if (oldest) await deletePolicyVersion(context.registry, policy.policyName, oldest.versionId);
  let versionId: string;
  try {
    const created = await createPolicyVersion(
      context.registry,
      context.validatePolicy,
      policy.policyName,
      BLANK_POLICY_DOCUMENT,
      true,
    );
    versionId = created.versionId;
  } catch (error) {
    // Nothing records the deleted version yet, so it goes back before the failure is reported.
    if (oldest) await restoreVersion(context.registry, policy.policyName, oldest);
    throw error;
  }
  const entry: BlankVersions['policies'][number] = {
    policyName: policy.policyName,
    previousDefaultVersionId: policy.defaultVersionId,
    blankVersionId: versionId,
  };
  if (oldest) entry.deletedVersion = oldest;
  return entry;
}

/** The version to delete when the policy has no room for another one, else undefined. */
function oldestNonDefault(policy: Policy): PolicyVersion | undefined {
  if (policy.versions.length < MAX_POLICY_VERSIONS) return undefined;
  const candidates = policy.versions.filter((v) => v.versionId !== policy.defaultVersionId);
  return candidates.sort((a, b) => Number(a.versionId) - Number(b.versionId))[0];
}

/**
 * Undoes one policy's blank version, unless someone changed the default since. A policy whose
 * default is already the previous version counts as restored, so a retried rollback succeeds.
 */
async function restore(
  registry: RegistryState,
  entry: BlankVersions['policies'][number],
): Promise<{ restored: boolean; note?: string }> {
  const policy = registry.get('policy', entry.policyName);
  if (!policy) return { restored: false, note: 'deleted since' };
  if (policy.defaultVersionId === entry.previousDefaultVersionId) return { restored: true };
  if (policy.defaultVersionId !== entry.blankVersionId) {
    const note = `its default version is "${policy.defaultVersionId}" now, not the blank one`;
    return { restored: false, note };
  }

  requireVersion(policy, entry.previousDefaultVersionId);
  await setDefaultPolicyVersion(registry, entry.policyName, entry.previousDefaultVersionId);
  await deletePolicyVersion(registry, entry.policyName, entry.blankVersionId);
  if (!entry.deletedVersion) return { restored: true };
  const versionId = entry.deletedVersion.versionId;
  return (await restoreVersion(registry, entry.policyName, entry.deletedVersion))
    ? { restored: true, note: `version "${versionId}" put back` }
    : { restored: true, note: `version "${versionId}" not put back: the policy has 5 versions` };
}

/**
 * Puts a deleted version back under its own id; returns false when the policy has no room. The
 * registry has no operation for this, since CreatePolicyVersion always hands out a new id, so
 * the record is written directly.
 */
async function restoreVersion(
  registry: RegistryState,
  policyName: string,
  version: PolicyVersion,
): Promise<boolean> {
  const policy = requirePolicy(registry, policyName);
  if (policy.versions.some((v) => v.versionId === version.versionId)) return true;
  if (policy.versions.length >= MAX_POLICY_VERSIONS) return false;
  const versions = [...policy.versions, version].sort(
    (a, b) => Number(a.versionId) - Number(b.versionId),
  );
  const updated: Policy = {
    ...policy,
    versions,
    lastModifiedAt: registry.clock.now(),
    generationId: randomUUID(),
  };
  await registry.commit([{ type: 'put', kind: 'policy', key: policyName, record: updated }]);
  registry.emit('policy-changed', policyName);
  return true;
}

function blankAlready(policies: Policy[]): string {
  if (policies.length === 0) return '';
  const names = policies.map((policy) => `"${policy.policyName}"`).join(', ');
  return `; policies ${names} already default to a blank version`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
