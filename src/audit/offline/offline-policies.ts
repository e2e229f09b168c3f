/**
 * Reads the IoT policies of an offline folder from `policies/`. A file contains either a bare policy
 * document (the policy is named after the file: `policies/NAME.json`), the output of
 * `aws iot get-policy`, the output of `aws iot get-policy-version`, or a JSON array of those
 * outputs. Versions of one policy from several files are merged by policy name.
 *
 * The policy checks judge only policies attached to a certificate or thing group. An export
 * rarely carries attachments, so each policy counts as attached unless the folder has
 * `policies/NAME.targets.json`, the output of `aws iot list-targets-for-policy`; a policy whose
 * targets list is empty is then skipped by the checks, as on a running Warden.
 */

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { validatePolicyDocument } from '../../broker/policy/index.ts';
import type { Policy } from '../../registry/types.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';

/** AWS IoT policy names: 1 to 128 of `[\w+=,.@-]`, as the service model's PolicyName pattern. */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const VERSION_ID = /^[0-9]+$/;
const MAX_PROBLEMS_SHOWN = 3;
const TARGETS_SUFFIX = '.targets.json';

/** The target recorded for a policy exported without its targets, so the checks judge it. */
export const ASSUMED_TARGET = 'warden:offline:assumed-attached';

export interface PolicyVersionInput {
  policyName: string;
  versionId: string;
  document: string;
  isDefault: boolean;
  arn?: string;
  createdAt?: number;
  location: SourceLocation;
}

/** Contents of the policy files of a folder, before validation. */
export interface PolicyContents {
  versions: PolicyVersionInput[];
  /** Policy name to the targets its `.targets.json` file lists. */
  targets: Map<string, { targets: string[]; location: SourceLocation }>;
}

/** The policies of a folder, with where each version was read. */
export interface OfflinePolicies {
  policies: Policy[];
  /** Policy name to its targets, or to ASSUMED_TARGET when the folder does not list them. */
  policyTargets: Record<string, string[]>;
  /** `policyName` and `policyName\u0000versionId` to the file. */
  locations: Map<string, SourceLocation>;
  arns: string[];
}

/** Collects the policy versions, or the policy targets, that one JSON file contains. */
export function readPolicyFile(
  file: string,
  document: unknown,
  contents: PolicyContents,
  problems: OfflineProblem[],
): void {
  if (file.endsWith(TARGETS_SUFFIX)) {
    readTargets(file, document, contents, problems);
    return;
  }
  const items = Array.isArray(document) ? document : [document];
  items.forEach((item, index) => {
    const where = Array.isArray(document) ? ` at "[${index}]"` : '';
    const read = readVersion(file, item);
    if (typeof read === 'string') problems.push({ file, message: `${read}${where}` });
    else contents.versions.push(read);
  });
}

function readTargets(
  file: string,
  document: unknown,
  contents: PolicyContents,
  problems: OfflineProblem[],
): void {
  const policyName = path.posix.basename(file, TARGETS_SUFFIX);
  const targets = isObject(document) ? document['targets'] : undefined;
  if (!Array.isArray(targets) || !targets.every((target) => typeof target === 'string')) {
    problems.push({
      file,
      message: `Not a target list: expected aws iot list-targets-for-policy output, { "targets": [ARN, ...] }`,
    });
    return;
  }
  contents.targets.set(policyName, { targets: targets as string[], location: { file } });
}

function readVersion(file: string, item: unknown): PolicyVersionInput | string {
  if (!isObject(item))
    return 'Not a policy: expected a policy document or aws iot get-policy output';
  const location = { file };
  if ('Statement' in item) {
    const policyName = path.posix.basename(file, '.json');
    if (!POLICY_NAME.test(policyName))
      return `Invalid policy name "${policyName}" from the file name: must be 1-128 characters of letters, digits and _+=,.@-`;
    return {
      policyName,
      versionId: '1',
      document: JSON.stringify(item),
      isDefault: true,
      location,
    };
  }

  const { policyName, policyDocument } = item;
  if (typeof policyName !== 'string' || !POLICY_NAME.test(policyName))
    return `Invalid policyName ${JSON.stringify(policyName)}: must be 1-128 characters of letters, digits and _+=,.@-`;
  if (typeof policyDocument !== 'string' && !isObject(policyDocument))
    return `Missing policyDocument for policy "${policyName}"`;
  const versionId = item['policyVersionId'] ?? item['defaultVersionId'] ?? '1';
  if (typeof versionId !== 'string' || !VERSION_ID.test(versionId))
    return `Invalid policy version id ${JSON.stringify(versionId)} for policy "${policyName}": must be a string of digits`;

  const input: PolicyVersionInput = {
    policyName,
    versionId,
    document: typeof policyDocument === 'string' ? policyDocument : JSON.stringify(policyDocument),
    isDefault: item['policyVersionId'] === undefined || item['isDefaultVersion'] === true,
    location,
  };
  if (typeof item['policyArn'] === 'string') input.arn = item['policyArn'];
  const created = awsTime(item['creationDate']);
  if (created !== undefined) input.createdAt = created;
  return input;
}

/**
 * Validates every version and builds one policy per name. The default version is the one marked
 * default, else the highest. A version whose document is invalid is skipped with a problem.
 */
export function buildPolicies(
  contents: PolicyContents,
  problems: OfflineProblem[],
  now: number,
): OfflinePolicies {
  const result: OfflinePolicies = {
    policies: [],
    policyTargets: {},
    locations: new Map(),
    arns: [],
  };
  const byName = new Map<string, PolicyVersionInput[]>();
  for (const version of contents.versions) {
    if (!validDocument(version, problems)) continue;
    const list = byName.get(version.policyName) ?? [];
    const same = list.find((other) => other.versionId === version.versionId);
    if (same === undefined) list.push(version);
    else if (same.document !== version.document) problems.push(conflict(version, same));
    byName.set(version.policyName, list);
  }

  for (const [policyName, list] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    result.policies.push(policyOf(policyName, list, now));
    result.policyTargets[policyName] = contents.targets.get(policyName)?.targets ?? [
      ASSUMED_TARGET,
    ];
    for (const version of list) {
      if (version.arn !== undefined) result.arns.push(version.arn);
      result.locations.set(`${policyName}\u0000${version.versionId}`, version.location);
      if (!result.locations.has(policyName)) result.locations.set(policyName, version.location);
    }
  }
  for (const [policyName, { location }] of contents.targets) {
    if (byName.has(policyName)) continue;
    problems.push({
      ...location,
      message: `Lists the targets of policy "${policyName}", but the folder has no readable policy of that name`,
    });
  }
  return result;
}

function validDocument(version: PolicyVersionInput, problems: OfflineProblem[]): boolean {
  const { problems: found } = validatePolicyDocument(version.document);
  if (found.length === 0) return true;
  const listed = found.slice(0, MAX_PROBLEMS_SHOWN).map((item) => item.message);
  if (found.length > MAX_PROBLEMS_SHOWN)
    listed.push(`and ${found.length - MAX_PROBLEMS_SHOWN} more`);
  problems.push({
    ...version.location,
    message: `Invalid document of policy "${version.policyName}" version ${version.versionId}: ${listed.join('; ')}`,
  });
  return false;
}

function conflict(version: PolicyVersionInput, first: PolicyVersionInput): OfflineProblem {
  return {
    ...version.location,
    message: `Policy "${version.policyName}" version ${version.versionId} differs from the one in ${first.location.file}; the first is used`,
  };
}

function policyOf(policyName: string, list: PolicyVersionInput[], now: number): Policy {
  const sorted = [...list].sort((a, b) => Number(a.versionId) - Number(b.versionId));
  const last = sorted[sorted.length - 1];
  const chosen = sorted.find((version) => version.isDefault) ?? last;
  const createdAt = Math.min(...sorted.map((version) => version.createdAt ?? now));
  return {
    policyName,
    defaultVersionId: chosen?.versionId ?? '1',
    versions: sorted.map((version) => ({
      versionId: version.versionId,
      document: version.document,
      createdAt: version.createdAt ?? now,
    })),
    createdAt,
    lastModifiedAt: Math.max(...sorted.map((version) => version.createdAt ?? now)),
    generationId: randomUUID(),
    nextVersion: Number(last?.versionId ?? '1') + 1,
  };
}

/** AWS CLI times: epoch seconds, or ISO-8601 text as CLI v2 prints them. */
export function awsTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return Math.round(value * 1000);
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
