import { alreadyExists, notFound } from '../../core/errors.ts';
import type { RegistryState } from '../registry.ts';
import type { ResourceTag, RoleAlias } from '../types.ts';
import { compareNames, roleAliasArn } from './iam-fields.ts';

/** The credential lifetime CreateRoleAlias uses when the request sets none, in seconds. */
export const DEFAULT_CREDENTIAL_DURATION_SECONDS = 3600;

export interface RoleAliasInput {
  roleAlias: string;
  roleArn: string;
  credentialDurationSeconds?: number | undefined;
  tags?: readonly { Key: string; Value?: string | undefined }[] | undefined;
}

export interface RoleAliasUpdate {
  roleArn?: string | undefined;
  credentialDurationSeconds?: number | undefined;
}

/**
 * Creates a role alias. Unlike CreateThing, creating one that exists fails even with the same
 * settings, because the AWS IoT model lists ResourceAlreadyExistsException for it.
 * @throws WardenError ResourceAlreadyExistsException when the alias exists.
 */
export async function createRoleAlias(
  registry: RegistryState,
  input: RoleAliasInput,
): Promise<RoleAlias> {
  const arn = roleAliasArn(registry.arns, input.roleAlias);
  if (registry.get('roleAlias', input.roleAlias)) {
    throw alreadyExists(`Role alias "${input.roleAlias}" already exists`, input.roleAlias, arn);
  }

  const record = buildRoleAlias(registry, input, undefined);
  await registry.commit([{ type: 'put', kind: 'roleAlias', key: record.roleAlias, record }]);
  return record;
}

/** @throws WardenError ResourceNotFoundException when the alias does not exist. */
export function requireRoleAlias(registry: RegistryState, name: string): RoleAlias {
  const record = registry.get('roleAlias', name);
  if (!record) throw notFound(`Role alias "${name}" does not exist`);
  return record;
}

/**
 * Lists role aliases by name, descending unless `ascending` is set.
 * NOTE: the AWS IoT model only documents that `isAscendingOrder=true` lists in ascending alphabetical
 * order; the descending default is Warden's reading of it.
 */
export function listRoleAliases(registry: RegistryState, ascending: boolean): RoleAlias[] {
  const direction = ascending ? 1 : -1;
  return registry
    .all('roleAlias')
    .sort((a, b) => direction * compareNames(a.roleAlias, b.roleAlias));
}

/** Points a role alias at another role or changes its credential lifetime. */
export async function updateRoleAlias(
  registry: RegistryState,
  name: string,
  update: RoleAliasUpdate,
): Promise<RoleAlias> {
  const existing = requireRoleAlias(registry, name);
  const record: RoleAlias = {
    ...existing,
    roleArn: update.roleArn ?? existing.roleArn,
    credentialDurationSeconds:
      update.credentialDurationSeconds ?? existing.credentialDurationSeconds,
    lastModifiedAt: registry.clock.now(),
  };
  await registry.commit([{ type: 'put', kind: 'roleAlias', key: name, record }]);
  return record;
}

/** @throws WardenError ResourceNotFoundException when the alias does not exist, as the model lists. */
export async function deleteRoleAlias(registry: RegistryState, name: string): Promise<void> {
  requireRoleAlias(registry, name);
  await registry.commit([{ type: 'delete', kind: 'roleAlias', key: name }]);
}

/**
 * Builds the stored record for an alias, keeping the creation time of `existing` when given. The
 * import uses it to create and replace aliases in one commit.
 */
export function buildRoleAlias(
  registry: RegistryState,
  input: RoleAliasInput,
  existing: RoleAlias | undefined,
): RoleAlias {
  const now = registry.clock.now();
  return {
    roleAlias: input.roleAlias,
    roleAliasArn: roleAliasArn(registry.arns, input.roleAlias),
    roleArn: input.roleArn,
    credentialDurationSeconds:
      input.credentialDurationSeconds ?? DEFAULT_CREDENTIAL_DURATION_SECONDS,
    createdAt: existing?.createdAt ?? now,
    lastModifiedAt: now,
    tags: (input.tags ?? []).map(copyTag),
  };
}

/** True when two records hold the same settings, whatever their times. */
export function sameRoleAlias(a: RoleAlias, b: RoleAlias): boolean {
  return (
    a.roleArn === b.roleArn &&
    a.credentialDurationSeconds === b.credentialDurationSeconds &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

function copyTag(tag: { Key: string; Value?: string | undefined }): ResourceTag {
  return tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value };
}
