import { readFile, stat } from 'node:fs/promises';
import type { IamRoleRecord, IdentityPoolRecord } from '../../audit/fleet-snapshot.ts';
import { invalidRequest } from '../../core/errors.ts';
import type { Arns } from '../arn.ts';
import type { RegistryChange } from '../registry-store.ts';
import type { RegistryState } from '../registry.ts';
import type { RegistryRecords } from '../types.ts';
import { zodProblems, type DocumentProblem } from './document-problems.ts';
import { buildIdentityPool, sameIdentityPool } from './identity-pools.ts';
import { checkIamRole, sameIamRole } from './iam-roles.ts';
import {
  importDocument,
  importedIdentityPool,
  importedRole,
  importedRoleAlias,
} from './iam-schemas.ts';
import { buildRoleAlias, sameRoleAlias, type RoleAliasInput } from './role-aliases.ts';

/** The records a valid import document requests, ready to compare with the registry. */
export interface IamImportPlan {
  roles: { roleName: string; record: IamRoleRecord }[];
  identityPools: IdentityPoolRecord[];
  roleAliases: RoleAliasInput[];
}

export interface IamImportValidation {
  plan?: IamImportPlan;
  problems: DocumentProblem[];
}

/** How many records of one kind the import created, replaced, or found already as written. */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface IamImportResult {
  roles: ImportCounts;
  identityPools: ImportCounts;
  roleAliases: ImportCounts;
}

/**
 * The largest import file read, in bytes.
 * NOTE: Warden's own bound, not an AWS limit. The API route is bounded by the request body limit
 * instead.
 */
export const MAX_IMPORT_FILE_BYTES = 16 * 1024 * 1024;

const MAX_PROBLEMS_IN_MESSAGE = 10;

/**
 * Validates an import document `{ roles, identityPools, roleAliases }` without changing anything,
 * collecting every problem with its path inside the document.
 */
export function validateIamImport(arns: Arns, document: unknown): IamImportValidation {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      problems: [{ code: 'invalid-type', path: '', message: 'The document is not a JSON object' }],
    };
  }
  const top = importDocument.safeParse(document);
  if (!top.success) return { problems: zodProblems(top.error.issues, document) };

  const problems: DocumentProblem[] = [];
  const plan: IamImportPlan = {
    roles: planRoles(arns, top.data.roles ?? [], problems),
    identityPools: planIdentityPools(top.data.identityPools ?? [], problems),
    roleAliases: planRoleAliases(top.data.roleAliases ?? [], problems),
  };
  return problems.length > 0 ? { problems } : { plan, problems };
}

/**
 * Applies an import document in one registry commit: roles, identity pools and role aliases it
 * lists are created or replaced, and records it does not list are left alone. A role alias keeps
 * its creation time. Nothing changes unless the whole document is valid.
 * @throws WardenError InvalidRequestException listing the problems, each with its path.
 */
export async function importIamFile(
  registry: RegistryState,
  document: unknown,
  options: { source?: string } = {},
): Promise<IamImportResult> {
  const { plan, problems } = validateIamImport(registry.arns, document);
  if (plan === undefined) throw importError(problems, options.source);

  const changes: RegistryChange[] = [];
  const result: IamImportResult = {
    roles: countChanges(registry, 'iamRole', plan.roles.map(roleChange), sameIamRole, changes),
    identityPools: countChanges(
      registry,
      'identityPool',
      plan.identityPools.map((record) => ({ key: record.identityPoolId, record })),
      sameIdentityPool,
      changes,
    ),
    roleAliases: countChanges(
      registry,
      'roleAlias',
      plan.roleAliases.map((input) => ({
        key: input.roleAlias,
        record: buildRoleAlias(registry, input, registry.get('roleAlias', input.roleAlias)),
      })),
      sameRoleAlias,
      changes,
    ),
  };
  if (changes.length > 0) await registry.commit(changes);
  return result;
}

/**
 * Reads an import document from a JSON file for `warden iam import FILE`.
 * @throws WardenError InvalidRequestException when the file is not JSON; Error when it cannot be
 * read or is larger than MAX_IMPORT_FILE_BYTES.
 */
export async function readIamFile(file: string): Promise<unknown> {
  const size = (await stat(file)).size;
  if (size > MAX_IMPORT_FILE_BYTES) {
    throw new Error(
      `IAM import file "${file}" has ${size} bytes, more than the maximum of ${MAX_IMPORT_FILE_BYTES}`,
    );
  }
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `Invalid IAM import file "${file}": not valid JSON: ${(error as Error).message}`,
    );
  }
}

function planRoles(
  arns: Arns,
  entries: unknown[],
  problems: DocumentProblem[],
): IamImportPlan['roles'] {
  const roles: IamImportPlan['roles'] = [];
  const seen = new Map<string, string>();
  entries.forEach((entry, index) => {
    const base = `roles[${index}]`;
    const parsed = importedRole.safeParse(entry);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error.issues, entry, ['roles', index]));
      return;
    }
    const { roleName, ...input } = parsed.data;
    if (isDuplicate(seen, roleName, base, 'roleName', 'role name', problems)) return;
    const check = checkIamRole(arns, roleName, input, base);
    problems.push(...check.problems);
    if (check.record) roles.push({ roleName, record: check.record });
  });
  return roles;
}

function planIdentityPools(entries: unknown[], problems: DocumentProblem[]): IdentityPoolRecord[] {
  const pools: IdentityPoolRecord[] = [];
  const seen = new Map<string, string>();
  entries.forEach((entry, index) => {
    const parsed = importedIdentityPool.safeParse(entry);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error.issues, entry, ['identityPools', index]));
      return;
    }
    const { identityPoolId, ...input } = parsed.data;
    const base = `identityPools[${index}]`;
    if (isDuplicate(seen, identityPoolId, base, 'identityPoolId', 'identity pool id', problems))
      return;
    pools.push(buildIdentityPool(identityPoolId, input));
  });
  return pools;
}

function planRoleAliases(entries: unknown[], problems: DocumentProblem[]): RoleAliasInput[] {
  const aliases: RoleAliasInput[] = [];
  const seen = new Map<string, string>();
  entries.forEach((entry, index) => {
    const parsed = importedRoleAlias.safeParse(entry);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error.issues, entry, ['roleAliases', index]));
      return;
    }
    const base = `roleAliases[${index}]`;
    if (isDuplicate(seen, parsed.data.roleAlias, base, 'roleAlias', 'role alias', problems)) return;
    aliases.push(parsed.data);
  });
  return aliases;
}

/** Records the first entry with each name and reports later ones. */
function isDuplicate(
  seen: Map<string, string>,
  name: string,
  base: string,
  field: string,
  label: string,
  problems: DocumentProblem[],
): boolean {
  const earlier = seen.get(name);
  if (earlier === undefined) {
    seen.set(name, base);
    return false;
  }
  const path = `${base}.${field}`;
  const message = `Duplicate ${label} "${name}" at "${path}": ${earlier} has it already`;
  problems.push({ code: 'duplicate', path, message });
  return true;
}

function roleChange(role: IamImportPlan['roles'][number]) {
  return { key: role.roleName, record: role.record };
}

function countChanges<K extends 'iamRole' | 'identityPool' | 'roleAlias'>(
  registry: RegistryState,
  kind: K,
  entries: { key: string; record: RegistryRecords[K] }[],
  same: (existing: RegistryRecords[K], wanted: RegistryRecords[K]) => boolean,
  changes: RegistryChange[],
): ImportCounts {
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  for (const { key, record } of entries) {
    const existing = registry.get(kind, key);
    if (existing !== undefined && same(existing, record)) {
      counts.unchanged++;
      continue;
    }
    if (existing === undefined) counts.created++;
    else counts.updated++;
    changes.push({ type: 'put', kind, key, record });
  }
  return counts;
}

function importError(problems: readonly DocumentProblem[], source: string | undefined) {
  const subject = source === undefined ? 'IAM import document' : `IAM import file "${source}"`;
  const listed = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((item) => item.message);
  const hidden = problems.length - listed.length;
  if (hidden > 0) listed.push(`and ${hidden} more`);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return invalidRequest(`Invalid ${subject}, ${count}: ${listed.join('; ')}`);
}
