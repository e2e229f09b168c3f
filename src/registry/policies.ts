import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { RegistryState } from './registry.ts';
import type { Policy } from './types.ts';

/** AWS IoT keeps at most five versions of a policy. */
export const MAX_POLICY_VERSIONS = 5;

/**
 * Checks a policy document and throws MalformedPolicyException when it is not one. Injected so
 * the registry does not depend on the broker's policy engine.
 */
export type PolicyDocumentValidator = (document: string) => void;

/** Creates a policy whose first version, "1", is the default. */
export async function createPolicy(
  registry: RegistryState,
  validate: PolicyDocumentValidator,
  name: string,
  document: string,
): Promise<Policy> {
  if (registry.get('policy', name)) {
    throw alreadyExists(`Policy "${name}" already exists`, name, registry.arns.policy(name));
  }
  validate(document);

  const now = registry.clock.now();
  const policy: Policy = {
    policyName: name,
    defaultVersionId: '1',
    versions: [{ versionId: '1', document, createdAt: now }],
    createdAt: now,
    lastModifiedAt: now,
    generationId: randomUUID(),
    nextVersion: 2,
  };
  await save(registry, policy);
  return policy;
}

export function requirePolicy(registry: RegistryState, name: string): Policy {
  const policy = registry.get('policy', name);
  if (!policy) throw notFound(`Policy "${name}" does not exist`);
  return policy;
}

/** Adds a version, optionally as the new default. */
export async function createPolicyVersion(
  registry: RegistryState,
  validate: PolicyDocumentValidator,
  name: string,
  document: string,
  setAsDefault: boolean,
): Promise<{ policy: Policy; versionId: string }> {
  const policy = requirePolicy(registry, name);
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    throw new WardenError(
      'VersionsLimitExceededException',
      `Policy "${name}" already has ${MAX_POLICY_VERSIONS} versions, the maximum; delete one first`,
    );
  }
  validate(document);

  const now = registry.clock.now();
  const versionId = String(policy.nextVersion);
  const updated: Policy = {
    ...policy,
    versions: [...policy.versions, { versionId, document, createdAt: now }],
    defaultVersionId: setAsDefault ? versionId : policy.defaultVersionId,
    nextVersion: policy.nextVersion + 1,
    lastModifiedAt: now,
    generationId: randomUUID(),
  };
  await save(registry, updated);
  return { policy: updated, versionId };
}

export async function setDefaultPolicyVersion(
  registry: RegistryState,
  name: string,
  versionId: string,
): Promise<void> {
  const policy = requirePolicy(registry, name);
  requireVersion(policy, versionId);
  await save(registry, {
    ...policy,
    defaultVersionId: versionId,
    lastModifiedAt: registry.clock.now(),
    generationId: randomUUID(),
  });
}

export function requireVersion(policy: Policy, versionId: string) {
  const version = policy.versions.find((candidate) => candidate.versionId === versionId);
  if (!version) throw notFound(`Policy "${policy.policyName}" has no version "${versionId}"`);
  return version;
}

export function defaultDocument(policy: Policy): string {
  return requireVersion(policy, policy.defaultVersionId).document;
}

export async function deletePolicyVersion(
  registry: RegistryState,
  name: string,
  versionId: string,
): Promise<void> {
  const policy = requirePolicy(registry, name);
  requireVersion(policy, versionId);
  if (versionId === policy.defaultVersionId) {
    throw new WardenError(
      'DeleteConflictException',
      `Cannot delete version "${versionId}" of policy "${name}": it is the default version`,
    );
  }
  const versions = policy.versions.filter((version) => version.versionId !== versionId);
  await save(registry, { ...policy, versions, lastModifiedAt: registry.clock.now() });
}

/** Deletes a policy that is attached to nothing and has only its default version left. */
export async function deletePolicy(registry: RegistryState, name: string): Promise<void> {
  const policy = requirePolicy(registry, name);
  const targets = registry.linkedFrom('policy-target', name);
  if (targets.length > 0) {
    throw new WardenError(
      'DeleteConflictException',
      `Cannot delete policy "${name}": it is attached to ${targets.length} target(s); detach it first`,
    );
  }
  if (policy.versions.length > 1) {
    throw new WardenError(
      'DeleteConflictException',
      `Cannot delete policy "${name}": delete its non-default versions first`,
    );
  }
  await registry.commit([{ type: 'delete', kind: 'policy', key: name }]);
  registry.emit('policy-changed', name);
}

/**
 * Attaches a policy to a certificate ARN or a thing-group ARN. The target must exist; other
 * principal kinds (Cognito identities) are not part of Warden.
 */
export async function attachPolicy(
  registry: RegistryState,
  name: string,
  target: string,
): Promise<void> {
  requirePolicy(registry, name);
  requireTarget(registry, target);
  await registry.commit([
    { type: 'link', link: { kind: 'policy-target', from: name, to: target } },
  ]);
  registry.emit('attachments-changed');
}

export async function detachPolicy(
  registry: RegistryState,
  name: string,
  target: string,
): Promise<void> {
  // The service model lists no ResourceNotFoundException for DetachPolicy.
  if (!registry.get('policy', name)) throw invalidRequest(`Policy "${name}" does not exist`);
  await registry.commit([
    { type: 'unlink', link: { kind: 'policy-target', from: name, to: target } },
  ]);
  registry.emit('attachments-changed');
}

/** Checks that a policy target names an existing certificate or thing group. */
export function requireTarget(registry: RegistryState, target: string): void {
  const resource = registry.arns.resourceOf(target);
  if (resource?.startsWith('cert/')) {
    if (!registry.get('certificate', resource.slice('cert/'.length)))
      throw notFound(`Certificate "${target}" does not exist`);
    return;
  }
  if (resource?.startsWith('thinggroup/')) {
    if (!registry.get('thingGroup', resource.slice('thinggroup/'.length)))
      throw notFound(`Thing group "${target}" does not exist`);
    return;
  }
  throw invalidRequest(
    `Invalid policy target "${target}": expected a certificate ARN (…:cert/ID) or a thing group ARN (…:thinggroup/NAME)`,
  );
}

async function save(registry: RegistryState, policy: Policy): Promise<void> {
  await registry.commit([{ type: 'put', kind: 'policy', key: policy.policyName, record: policy }]);
  registry.emit('policy-changed', policy.policyName);
}
