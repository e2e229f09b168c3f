/**
 * Builds the `FleetSnapshot` of an offline audit from a folder of exported files, so
 * `warden audit --offline DIR` runs the same checks a running Warden runs. The folder format is
 * described in docs/audit-cli.md; each reader's file header gives the shapes it accepts.
 */

import type { FleetSnapshot, IdentityPoolRecord } from '../fleet-snapshot.ts';
import type { LoggingOptions } from '../../registry/types.ts';
import { readCertificateStatuses, type StatusEntry } from './certificate-statuses.ts';
import { listInputFiles, parseJsonText, readInputText, type InputFile } from './folder-files.ts';
import { buildCertificates } from './offline-certificates.ts';
import { assignCrls } from './offline-crls.ts';
import { readIdentityPoolFile } from './offline-identity-pools.ts';
import type { OfflineInput, OfflineProblem, SourceLocation } from './offline-inputs.ts';
import { readLoggingFile } from './offline-logging.ts';
import { buildPolicies, readPolicyFile, type PolicyContents } from './offline-policies.ts';
import { readRoleFile, type RoleContents } from './offline-roles.ts';
import { OfflineSources } from './offline-sources.ts';
import { readPemFile, type PemContents } from './pem-files.ts';

/**
 * The account and region an export is taken to come from when no ARN in it names them: the
 * defaults of `warden serve`.
 */
export const DEFAULT_ACCOUNT = { accountId: '123456789012', region: 'us-east-1' };

/** A folder read into a snapshot, with what could not be read. */
export interface OfflineFleet {
  snapshot: FleetSnapshot;
  sources: OfflineSources;
  /** Files and entries that were skipped, each with the reason. */
  problems: OfflineProblem[];
  /** The kinds of input the folder provided at least one readable record of. */
  provided: Set<OfflineInput>;
  /** Input files found, readable or not. */
  fileCount: number;
}

interface Collected {
  pem: PemContents;
  statuses: StatusEntry[];
  policies: PolicyContents;
  roles: RoleContents;
  pools: { record: IdentityPoolRecord; location: SourceLocation }[];
  logging?: { options: LoggingOptions; location: SourceLocation };
}

/**
 * Reads every input file of the folder. Unreadable files and entries become problems; nothing
 * in the folder makes this throw.
 * @throws Error when the folder itself cannot be read.
 */
export async function loadOfflineFleet(
  folder: string,
  options: { now?: number } = {},
): Promise<OfflineFleet> {
  const now = options.now ?? Date.now();
  const { files, problems } = await listInputFiles(folder);
  const collected: Collected = {
    pem: { certificates: [], crls: [] },
    statuses: [],
    policies: { versions: [], targets: new Map() },
    roles: { roles: [], roleAliases: [] },
    pools: [],
  };
  for (const input of files) await readInput(input, collected, problems, now);

  const certificates = buildCertificates(collected.pem.certificates, collected.statuses, problems);
  const policies = buildPolicies(collected.policies, problems, now);
  const account = accountOf([
    ...collected.statuses.flatMap((entry) => (entry.arn === undefined ? [] : [entry.arn])),
    ...policies.arns,
    ...collected.roles.roleAliases.flatMap(({ input }) => input.roleAliasArn ?? []),
    ...collected.roles.roles.map(({ record }) => record.roleArn),
  ]);
  const roleAliases = uniqueRoleAliases(collected.roles, account, problems);
  const roles = uniqueBy(collected.roles.roles, ({ record }) => record.roleArn, 'role', problems);
  const pools = uniqueBy(
    collected.pools,
    ({ record }) => record.identityPoolId,
    'identity pool',
    problems,
  );
  const crls = await assignCrls(collected.pem.crls, certificates.caCertificates, problems, now);

  const snapshot: FleetSnapshot = {
    ...account,
    certificates: certificates.certificates,
    caCertificates: certificates.caCertificates,
    policies: policies.policies,
    policyTargets: policies.policyTargets,
    roleAliases: roleAliases.map(({ record }) => record),
    roles: roles.map(({ record }) => record),
    identityPools: pools.map(({ record }) => record),
    crls: crls.crls,
    logging: collected.logging?.options,
    connections: [],
    window: { since: now, until: now },
  };
  const sources = new OfflineSources({
    certificates: certificates.locations,
    policies: policies.locations,
    roleAliases: new Map(
      roleAliases.map(({ record, location }) => [record.roleAliasArn, location]),
    ),
    roles: new Map(roles.map(({ record, location }) => [record.roleArn, location])),
    identityPools: new Map(pools.map(({ record, location }) => [record.identityPoolId, location])),
    ...(collected.logging ? { logging: collected.logging.location } : {}),
  });
  problems.sort((a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
  return {
    snapshot,
    sources,
    problems,
    provided: providedInputs(snapshot),
    fileCount: files.length,
  };
}

async function readInput(
  input: InputFile,
  collected: Collected,
  problems: OfflineProblem[],
  now: number,
): Promise<void> {
  let text: string;
  try {
    text = await readInputText(input);
  } catch (error) {
    problems.push({
      file: input.file,
      message: `Cannot read the file: ${(error as Error).message}`,
    });
    return;
  }
  if (input.kind === 'pem' || input.kind === 'crl') {
    readPemFile(input, text, collected.pem, problems);
    return;
  }

  const json = parseJsonText(text);
  if ('error' in json) {
    problems.push({ file: input.file, message: json.error });
    return;
  }
  const { file } = input;
  switch (input.kind) {
    case 'certificate-json':
      collected.statuses.push(...readCertificateStatuses(file, json.value, problems));
      return;
    case 'policy':
      readPolicyFile(file, json.value, collected.policies, problems);
      return;
    case 'role':
      readRoleFile(file, json.value, collected.roles, problems, now);
      return;
    case 'identity-pool':
      readIdentityPoolFile(file, json.value, collected.pools, problems, now);
      return;
    case 'logging': {
      const options = readLoggingFile(file, json.value, problems);
      if (options !== undefined) collected.logging = { options, location: { file } };
      return;
    }
  }
}

/** Finds the account and region in the first AWS ARN that names them, else uses the defaults. */
function accountOf(arns: readonly string[]): { accountId: string; region: string } {
  let accountId: string | undefined;
  let region: string | undefined;
  for (const arn of arns) {
    const match = /^arn:aws[a-z-]*:(?:iot|iam):([a-z0-9-]*):(\d{12}):/.exec(arn);
    if (match === null) continue;
    accountId ??= match[2];
    if (match[1] !== '') region ??= match[1];
  }
  return {
    accountId: accountId ?? DEFAULT_ACCOUNT.accountId,
    region: region ?? DEFAULT_ACCOUNT.region,
  };
}

function uniqueRoleAliases(
  contents: RoleContents,
  account: { accountId: string; region: string },
  problems: OfflineProblem[],
) {
  const withArns = contents.roleAliases.map(({ input, location }) => ({
    record: {
      ...input,
      roleAliasArn:
        input.roleAliasArn ??
        `arn:aws:iot:${account.region}:${account.accountId}:rolealias/${input.roleAlias}`,
    },
    location,
  }));
  return uniqueBy(withArns, ({ record }) => record.roleAlias, 'role alias', problems);
}

/** Keeps the first item of each key; later ones are reported as duplicates. */
function uniqueBy<T extends { location: SourceLocation }>(
  items: readonly T[],
  key: (item: T) => string,
  label: string,
  problems: OfflineProblem[],
): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const first = seen.get(key(item));
    if (first === undefined) {
      seen.set(key(item), item);
      continue;
    }
    problems.push({
      ...item.location,
      message: `Duplicate ${label} "${key(item)}": ${first.location.file} has it already; the first is used`,
    });
  }
  return [...seen.values()];
}

function providedInputs(snapshot: FleetSnapshot): Set<OfflineInput> {
  const provided = new Set<OfflineInput>();
  const counts: [OfflineInput, number][] = [
    ['certificates', snapshot.certificates.length],
    ['caCertificates', snapshot.caCertificates.length],
    ['policies', snapshot.policies.length],
    ['roles', snapshot.roles.length],
    ['roleAliases', snapshot.roleAliases.length],
    ['identityPools', snapshot.identityPools.length],
    ['crls', snapshot.crls.length],
    ['logging', snapshot.logging === undefined ? 0 : 1],
  ];
  for (const [input, count] of counts) if (count > 0) provided.add(input);
  return provided;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
