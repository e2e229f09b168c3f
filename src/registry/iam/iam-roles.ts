import type { IamRoleRecord } from '../../audit/fleet-snapshot.ts';
import { invalidRequest, notFound, WardenError } from '../../core/errors.ts';
import type { Arns } from '../arn.ts';
import type { RegistryState } from '../registry.ts';
import { joinPath, type DocumentProblem } from './document-problems.ts';
import { compareNames, defaultRoleArn, roleNameOfArn } from './iam-fields.ts';
import { validateIamPolicyDocument } from './iam-policy-document.ts';

/** A role as the API and the import take it, after schema validation. */
export interface IamRoleInput {
  roleArn?: string | undefined;
  /** Permission documents as JSON objects or JSON text. */
  policyDocuments: readonly unknown[];
  /** Service namespace to the epoch ms it was last used. */
  serviceLastUsed?: Record<string, number> | undefined;
}

export interface IamRoleCheck {
  record?: IamRoleRecord;
  problems: DocumentProblem[];
}

const MAX_PROBLEMS_IN_MESSAGE = 3;

/**
 * Checks a role against its name and builds the stored record. Problem paths start at `base`, the
 * role's place in an import document, such as `roles[0].policyDocuments[1].Statement[0].Effect`.
 */
export function checkIamRole(
  arns: Arns,
  roleName: string,
  input: IamRoleInput,
  base = '',
): IamRoleCheck {
  const problems: DocumentProblem[] = [];
  const roleArn = input.roleArn ?? defaultRoleArn(arns, roleName);
  const arnName = roleNameOfArn(roleArn);
  if (arnName !== roleName) {
    const path = joinPath(base, 'roleArn');
    const message = `Invalid value "${roleArn}" at "${path}": it names role "${arnName}", not "${roleName}"`;
    problems.push({ code: 'role-name-mismatch', path, message });
  }

  const policyDocuments: string[] = [];
  input.policyDocuments.forEach((document, index) => {
    const documentPath = joinPath(base, `policyDocuments[${index}]`);
    const result = validateIamPolicyDocument(document);
    if (result.text !== undefined) policyDocuments.push(result.text);
    for (const item of result.problems) {
      const message = `Invalid policy document at "${documentPath}": ${item.message}`;
      problems.push({ code: item.code, path: joinPath(documentPath, item.path), message });
    }
  });

  if (problems.length > 0) return { problems };
  const serviceLastUsed = Object.fromEntries(
    Object.entries(input.serviceLastUsed ?? {}).sort(([a], [b]) => compareNames(a, b)),
  );
  const record = { roleArn, policyDocuments, serviceLastUsed };
  return { record, problems };
}

/**
 * Creates or replaces a role.
 * @throws WardenError InvalidRequestException when the ARN names another role, and
 * MalformedPolicyException naming the first invalid documents.
 */
export async function putIamRole(
  registry: RegistryState,
  roleName: string,
  input: IamRoleInput,
): Promise<IamRoleRecord> {
  const { record, problems } = checkIamRole(registry.arns, roleName, input);
  if (record === undefined) throw roleError(problems);
  await registry.commit([{ type: 'put', kind: 'iamRole', key: roleName, record }]);
  return record;
}

/** @throws WardenError ResourceNotFoundException when no role has the name. */
export function requireIamRole(registry: RegistryState, roleName: string): IamRoleRecord {
  const record = registry.get('iamRole', roleName);
  if (!record) throw notFound(`IAM role "${roleName}" does not exist`);
  return record;
}

/** Lists roles with their names, sorted by name. */
export function listIamRoles(
  registry: RegistryState,
): { roleName: string; record: IamRoleRecord }[] {
  return registry
    .all('iamRole')
    .map((record) => ({ roleName: roleNameOfArn(record.roleArn) ?? record.roleArn, record }))
    .sort((a, b) => compareNames(a.roleName, b.roleName));
}

/**
 * Deletes a role. Role aliases and identity pools that name it keep their ARNs, as they would in
 * AWS, where IAM and AWS IoT are separate services.
 */
export async function deleteIamRole(registry: RegistryState, roleName: string): Promise<void> {
  requireIamRole(registry, roleName);
  await registry.commit([{ type: 'delete', kind: 'iamRole', key: roleName }]);
}

/** True when two records hold the same role; `checkIamRole` sorts the service map, so order is stable. */
export function sameIamRole(a: IamRoleRecord, b: IamRoleRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function roleError(problems: readonly DocumentProblem[]): WardenError {
  const mismatch = problems.find((item) => item.code === 'role-name-mismatch');
  if (mismatch) return invalidRequest(mismatch.message);
  const listed = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((item) => item.message);
  const hidden = problems.length - listed.length;
  if (hidden > 0) listed.push(`and ${hidden} more ${hidden === 1 ? 'problem' : 'problems'}`);
  return new WardenError('MalformedPolicyException', listed.join('; '));
}
