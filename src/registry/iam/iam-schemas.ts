import { z } from 'zod';
import { iamFields } from './iam-fields.ts';

/** The CreateRoleAlias request body, as the AWS IoT model defines it. */
export const createRoleAliasBody = z.strictObject({
  roleArn: iamFields.roleArn,
  credentialDurationSeconds: iamFields.credentialDurationSeconds.optional(),
  tags: iamFields.tags.optional(),
});

/** The UpdateRoleAlias request body, as the AWS IoT model defines it. */
export const updateRoleAliasBody = z.strictObject({
  roleArn: iamFields.roleArn.optional(),
  credentialDurationSeconds: iamFields.credentialDurationSeconds.optional(),
});

/** The body of `PUT /warden/iam/roles/{roleName}`; documents are checked after the schema. */
export const putRoleBody = z.strictObject({
  roleArn: iamFields.roleArn.optional(),
  policyDocuments: z.array(z.unknown()),
  serviceLastUsed: iamFields.serviceLastUsed.optional(),
});

/** The body of `PUT /warden/iam/identity-pools/{identityPoolId}`. */
export const putIdentityPoolBody = z.strictObject({
  authenticatedRoleArn: iamFields.roleArn.optional(),
  unauthenticatedRoleArn: iamFields.roleArn.optional(),
  lastUsedAt: iamFields.time.optional(),
});

/** One role of an import document: the PUT body with the name beside it. */
export const importedRole = z.strictObject({
  roleName: iamFields.roleName,
  ...putRoleBody.shape,
});

/** One identity pool of an import document. */
export const importedIdentityPool = z.strictObject({
  identityPoolId: iamFields.identityPoolId,
  ...putIdentityPoolBody.shape,
});

/** One role alias of an import document: the CreateRoleAlias body with the name beside it. */
export const importedRoleAlias = z.strictObject({
  roleAlias: iamFields.roleAlias,
  ...createRoleAliasBody.shape,
});

/** The import document's top level; each entry is checked on its own so all problems show. */
export const importDocument = z.strictObject({
  roles: z.array(z.unknown()).optional(),
  identityPools: z.array(z.unknown()).optional(),
  roleAliases: z.array(z.unknown()).optional(),
});
