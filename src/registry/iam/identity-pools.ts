import type { IdentityPoolRecord } from '../../audit/fleet-snapshot.ts';
import { notFound } from '../../core/errors.ts';
import type { RegistryState } from '../registry.ts';
import { compareNames } from './iam-fields.ts';

/** An identity pool as the API and the import take it, after schema validation. */
export interface IdentityPoolInput {
  authenticatedRoleArn?: string | undefined;
  unauthenticatedRoleArn?: string | undefined;
  /** Epoch ms of the pool's last use. */
  lastUsedAt?: number | undefined;
}

/** Builds the stored record, leaving out the members the input does not set. */
export function buildIdentityPool(
  identityPoolId: string,
  input: IdentityPoolInput,
): IdentityPoolRecord {
  const record: IdentityPoolRecord = { identityPoolId };
  if (input.authenticatedRoleArn !== undefined)
    record.authenticatedRoleArn = input.authenticatedRoleArn;
  if (input.unauthenticatedRoleArn !== undefined)
    record.unauthenticatedRoleArn = input.unauthenticatedRoleArn;
  if (input.lastUsedAt !== undefined) record.lastUsedAt = input.lastUsedAt;
  return record;
}

/** Creates or replaces an identity pool's roles and last-use time. */
export async function putIdentityPool(
  registry: RegistryState,
  identityPoolId: string,
  input: IdentityPoolInput,
): Promise<IdentityPoolRecord> {
  const record = buildIdentityPool(identityPoolId, input);
  await registry.commit([{ type: 'put', kind: 'identityPool', key: identityPoolId, record }]);
  return record;
}

/** @throws WardenError ResourceNotFoundException when no pool has the id. */
export function requireIdentityPool(
  registry: RegistryState,
  identityPoolId: string,
): IdentityPoolRecord {
  const record = registry.get('identityPool', identityPoolId);
  if (!record) throw notFound(`Identity pool "${identityPoolId}" does not exist`);
  return record;
}

/** Lists identity pools sorted by id. */
export function listIdentityPools(registry: RegistryState): IdentityPoolRecord[] {
  return registry
    .all('identityPool')
    .sort((a, b) => compareNames(a.identityPoolId, b.identityPoolId));
}

/** @throws WardenError ResourceNotFoundException when no pool has the id. */
export async function deleteIdentityPool(
  registry: RegistryState,
  identityPoolId: string,
): Promise<void> {
  requireIdentityPool(registry, identityPoolId);
  await registry.commit([{ type: 'delete', kind: 'identityPool', key: identityPoolId }]);
}

/** True when two records hold the same pool. */
export function sameIdentityPool(a: IdentityPoolRecord, b: IdentityPoolRecord): boolean {
  return (
    a.authenticatedRoleArn === b.authenticatedRoleArn &&
    a.unauthenticatedRoleArn === b.unauthenticatedRoleArn &&
    a.lastUsedAt === b.lastUsedAt
  );
}
