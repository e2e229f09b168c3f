/**
 * Reads `identity-pools/*.json`: the Cognito identity pools whose roles the Cognito checks judge.
 * A file contains the output of `aws cognito-identity get-identity-pool-roles`
 * (`{ IdentityPoolId, Roles: { authenticated, unauthenticated } }`), Warden's form
 * `{ identityPoolId, authenticatedRoleArn, unauthenticatedRoleArn, lastUsedAt }`, or an array.
 */

import { z } from 'zod';
import type { IdentityPoolRecord } from '../fleet-snapshot.ts';
import { zodProblems } from '../../registry/iam/document-problems.ts';
import { iamFields } from '../../registry/iam/iam-fields.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';

const cognitoSchema = z.looseObject({
  IdentityPoolId: iamFields.identityPoolId,
  Roles: z
    .looseObject({
      authenticated: iamFields.roleArn.optional(),
      unauthenticated: iamFields.roleArn.optional(),
    })
    .optional(),
});

const wardenSchema = z.strictObject({
  identityPoolId: iamFields.identityPoolId,
  authenticatedRoleArn: iamFields.roleArn.optional(),
  unauthenticatedRoleArn: iamFields.roleArn.optional(),
  lastUsedAt: iamFields.time.optional(),
});

/**
 * Reads the identity pools of one JSON file. The Cognito checks only judge pools used in the 31
 * days before the audit. A pool without `lastUsedAt` counts as used at the audit's time, because
 * an export names the pools the operator wants audited and carries no connection history.
 */
export function readIdentityPoolFile(
  file: string,
  document: unknown,
  pools: { record: IdentityPoolRecord; location: SourceLocation }[],
  problems: OfflineProblem[],
  now: number,
): void {
  const items = Array.isArray(document) ? document : [document];
  items.forEach((item, index) => {
    const base: PropertyKey[] = Array.isArray(document) ? [index] : [];
    const cognito = isObject(item) && 'IdentityPoolId' in item;
    const parsed = (cognito ? cognitoSchema : wardenSchema).safeParse(item);
    if (!parsed.success) {
      for (const problem of zodProblems(parsed.error.issues, item, base))
        problems.push({ file, message: problem.message });
      return;
    }
    pools.push({ record: poolRecord(parsed.data, now), location: { file } });
  });
}

function poolRecord(
  data: z.infer<typeof cognitoSchema> | z.infer<typeof wardenSchema>,
  now: number,
): IdentityPoolRecord {
  const fields =
    'IdentityPoolId' in data
      ? {
          identityPoolId: data.IdentityPoolId,
          authenticatedRoleArn: data.Roles?.authenticated,
          unauthenticatedRoleArn: data.Roles?.unauthenticated,
          lastUsedAt: undefined,
        }
      : data;
  const record: IdentityPoolRecord = {
    identityPoolId: fields.identityPoolId,
    lastUsedAt: fields.lastUsedAt ?? now,
  };
  if (fields.authenticatedRoleArn !== undefined)
    record.authenticatedRoleArn = fields.authenticatedRoleArn;
  if (fields.unauthenticatedRoleArn !== undefined)
    record.unauthenticatedRoleArn = fields.unauthenticatedRoleArn;
  return record;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
