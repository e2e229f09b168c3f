/**
 * The rule both key-quality checks share: analyze the fleet's keys (once per audit) and report
 * one finding per in-scope certificate that has any key finding.
 */

import { existsSync } from 'node:fs';

import type { CheckInput } from '../audit-check.ts';
import type { CheckResult, ResourceType } from '../audit-types.ts';
import {
  BLOCKLIST_CONFIGURATION_KEY,
  blocklistPaths,
  fleetKeyAnalysis,
} from './fleet-analysis-cache.ts';
import { certificateResource, toNonCompliance } from './finding-report.ts';

/** The certificates a key-quality check examines, and the resource type that names them. */
export interface KeyQualityScope {
  checkName: string;
  resourceType: ResourceType;
  /** Ids of the certificates in scope. */
  certificateIds(input: CheckInput): string[];
}

/** Runs a key-quality check for one scope. */
export async function runKeyQualityCheck(
  scope: KeyQualityScope,
  input: CheckInput,
): Promise<CheckResult> {
  const analysis = await fleetKeyAnalysis(input.fleet, input.configuration);
  const resolveRelated = (id: string) =>
    certificateResource(
      analysis.caCertificateIds.has(id) ? 'CA_CERTIFICATE' : 'DEVICE_CERTIFICATE',
      id,
    );

  const ids = scope.certificateIds(input);
  const nonCompliant = ids.flatMap((id) => {
    const findings = analysis.findings.get(id);
    if (findings === undefined || findings.length === 0) return [];
    return [toNonCompliance(certificateResource(scope.resourceType, id), findings, resolveRelated)];
  });
  return { totalResourcesCount: ids.length, nonCompliant };
}

/** Validates a key-quality check's configuration: only `KEY_BLOCKLIST_FILES`, naming files that exist. */
export function validateKeyQualityConfiguration(
  checkName: string,
  configuration: Record<string, string>,
): string | undefined {
  for (const key of Object.keys(configuration)) {
    if (key !== BLOCKLIST_CONFIGURATION_KEY) {
      return `Invalid configuration key "${key}" for ${checkName}: the only key is ${BLOCKLIST_CONFIGURATION_KEY}`;
    }
  }
  const value = configuration[BLOCKLIST_CONFIGURATION_KEY];
  if (value === undefined) return undefined;
  const paths = blocklistPaths(configuration);
  if (paths.length === 0) {
    return `Invalid ${BLOCKLIST_CONFIGURATION_KEY} "${value}" for ${checkName}: expected comma-separated file paths`;
  }
  const missing = paths.find((path) => !existsSync(path));
  if (missing !== undefined) return `Key blocklist file "${missing}" for ${checkName} not found`;
  return undefined;
}
