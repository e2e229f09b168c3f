/**
 * Reads `roles/*.json`: IAM role documents and role aliases. A role document is Warden's IAM role
 * format, `{ roleArn, policyDocuments, serviceLastUsed }`; a role alias is the output of
 * `aws iot describe-role-alias` (or its `roleAliasDescription` alone). A file may also hold a JSON
 * array of both kinds.
 */

import { z } from 'zod';
import type { IamRoleRecord, RoleAliasRecord } from '../fleet-snapshot.ts';
import { zodProblems } from '../../registry/iam/document-problems.ts';
import { iamFields, roleNameOfArn } from '../../registry/iam/iam-fields.ts';
import { validateIamPolicyDocument } from '../../registry/iam/iam-policy-document.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';

/** One entry of `ServicesLastAccessed`, as `aws iam get-service-last-accessed-details` prints it. */
const lastAccessed = z.looseObject({
  ServiceNamespace: iamFields.serviceNamespace,
  LastAuthenticated: iamFields.time.optional(),
});

const roleSchema = z.strictObject({
  roleName: iamFields.roleName.optional(),
  roleArn: iamFields.roleArn,
  policyDocuments: z.array(z.unknown()),
  serviceLastUsed: z
    .union([z.record(iamFields.serviceNamespace, iamFields.time), z.array(lastAccessed)])
    .optional(),
});

const roleAliasSchema = z.looseObject({
  roleAlias: iamFields.roleAlias,
  roleAliasArn: z.string().min(1).max(2048).optional(),
  roleArn: iamFields.roleArn,
  credentialDurationSeconds: iamFields.credentialDurationSeconds.optional(),
  creationDate: iamFields.time.optional(),
  lastModifiedDate: iamFields.time.optional(),
});

/** The default credential duration of CreateRoleAlias, in seconds. */
const DEFAULT_CREDENTIAL_SECONDS = 3600;

/** A role alias as read; its ARN is built later when the file gives none. */
export type RoleAliasInput = Omit<RoleAliasRecord, 'roleAliasArn'> & { roleAliasArn?: string };

/** Contents of the role files of a folder. */
export interface RoleContents {
  roles: { record: IamRoleRecord; location: SourceLocation }[];
  roleAliases: { input: RoleAliasInput; location: SourceLocation }[];
}

/** Reads the roles and role aliases of one JSON file, adding a problem for each unusable one. */
export function readRoleFile(
  file: string,
  document: unknown,
  contents: RoleContents,
  problems: OfflineProblem[],
  now: number,
): void {
  const items = Array.isArray(document) ? document : [document];
  items.forEach((item, index) => {
    const base: PropertyKey[] = Array.isArray(document) ? [index] : [];
    const location = { file };
    const alias = isObject(item) ? item['roleAliasDescription'] : undefined;
    if (isObject(alias)) readAlias(alias, [...base, 'roleAliasDescription'], location);
    else if (isObject(item) && 'roleAlias' in item) readAlias(item, base, location);
    else if (isObject(item)) readRole(item, base, location);
    else problems.push({ file, message: notRoleMessage(base) });
  });

  function readAlias(
    value: Record<string, unknown>,
    base: PropertyKey[],
    location: SourceLocation,
  ) {
    const parsed = roleAliasSchema.safeParse(value);
    if (!parsed.success) return report(parsed.error.issues, value, base);
    const { data } = parsed;
    const createdAt = data.creationDate ?? now;
    const input: RoleAliasInput = {
      roleAlias: data.roleAlias,
      roleArn: data.roleArn,
      credentialDurationSeconds: data.credentialDurationSeconds ?? DEFAULT_CREDENTIAL_SECONDS,
      createdAt,
      lastModifiedAt: data.lastModifiedDate ?? createdAt,
    };
    if (data.roleAliasArn !== undefined) input.roleAliasArn = data.roleAliasArn;
    contents.roleAliases.push({ input, location });
  }

  function readRole(value: Record<string, unknown>, base: PropertyKey[], location: SourceLocation) {
    const parsed = roleSchema.safeParse(value);
    if (!parsed.success) return report(parsed.error.issues, value, base);
    const record = roleRecord(parsed.data, base, file, problems);
    if (record !== undefined) contents.roles.push({ record, location });
  }

  function report(issues: z.core.$ZodIssue[], value: unknown, base: PropertyKey[]) {
    for (const problem of zodProblems(issues, value, base))
      problems.push({ file, message: problem.message });
  }
}

function roleRecord(
  data: z.infer<typeof roleSchema>,
  base: PropertyKey[],
  file: string,
  problems: OfflineProblem[],
): IamRoleRecord | undefined {
  const prefix = base.length === 0 ? '' : `[${String(base[0])}].`;
  const arnName = roleNameOfArn(data.roleArn);
  if (data.roleName !== undefined && arnName !== data.roleName) {
    const message = `Invalid value "${data.roleArn}" at "${prefix}roleArn": it names role "${arnName}", not "${data.roleName}"`;
    problems.push({ file, message });
    return undefined;
  }

  const policyDocuments: string[] = [];
  let valid = true;
  data.policyDocuments.forEach((document, index) => {
    const result = validateIamPolicyDocument(document);
    if (result.text !== undefined) policyDocuments.push(result.text);
    for (const item of result.problems) {
      valid = false;
      const where = `${prefix}policyDocuments[${index}]`;
      problems.push({ file, message: `Invalid policy document at "${where}": ${item.message}` });
    }
  });
  if (!valid) return undefined;
  return {
    roleArn: data.roleArn,
    policyDocuments,
    serviceLastUsed: lastUsed(data.serviceLastUsed),
  };
}

/** Builds the map of service namespace to last use, leaving out services IAM lists as never used. */
function lastUsed(value: z.infer<typeof roleSchema>['serviceLastUsed']): Record<string, number> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) return { ...value };
  const map: Record<string, number> = {};
  for (const entry of value) {
    if (entry.LastAuthenticated !== undefined)
      map[entry.ServiceNamespace] = entry.LastAuthenticated;
  }
  return map;
}

function notRoleMessage(base: PropertyKey[]): string {
  const where = base.length === 0 ? '' : ` at "[${String(base[0])}]"`;
  return `Not a role${where}: expected a role document { roleArn, policyDocuments, serviceLastUsed } or aws iot describe-role-alias output`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
