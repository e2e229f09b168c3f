/**
 * Runs the fleet key analysis once per audit for both key-quality checks. The device and CA
 * checks read the same FleetSnapshot, and the batch gcd covers both kinds of certificate, so
 * the first check to run analyzes both scopes and the second reuses the result.
 */

import type { FleetSnapshot } from '../fleet-snapshot.ts';
import { loadBlocklists } from './blocklist.ts';
import {
  analyzeFleetKeys,
  type FleetCertificate,
  type FleetKeyAnalysisOptions,
  type FleetKeyFindings,
} from './fleet-key-analyzer.ts';

/** The configuration key naming blocklist files, comma-separated paths. */
export const BLOCKLIST_CONFIGURATION_KEY = 'KEY_BLOCKLIST_FILES';

/** The device certificate statuses the device check examines, as for AWS's certificate checks. */
export const DEVICE_STATUSES_IN_SCOPE: ReadonlySet<string> = new Set([
  'ACTIVE',
  'PENDING_TRANSFER',
]);

/** Findings of both scopes; device and CA ids are SHA-256 fingerprints and never collide. */
export interface FleetKeyAnalysis {
  findings: FleetKeyFindings;
  caCertificateIds: ReadonlySet<string>;
}

const cache = new WeakMap<FleetSnapshot, Map<string, Promise<FleetKeyAnalysis>>>();

/** Returns the blocklist paths of a check configuration. */
export function blocklistPaths(configuration: Record<string, string>): string[] {
  const value = configuration[BLOCKLIST_CONFIGURATION_KEY] ?? '';
  return value
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

/**
 * Returns the key analysis of a fleet, computing it on the first call for this snapshot and
 * blocklist configuration.
 */
export function fleetKeyAnalysis(
  fleet: FleetSnapshot,
  configuration: Record<string, string>,
  options: FleetKeyAnalysisOptions = {},
): Promise<FleetKeyAnalysis> {
  const paths = blocklistPaths(configuration);
  const key = JSON.stringify(paths);
  let byConfiguration = cache.get(fleet);
  if (byConfiguration === undefined) {
    byConfiguration = new Map();
    cache.set(fleet, byConfiguration);
  }
  let analysis = byConfiguration.get(key);
  if (analysis === undefined) {
    analysis = analyze(fleet, paths, options);
    byConfiguration.set(key, analysis);
  }
  return analysis;
}

async function analyze(
  fleet: FleetSnapshot,
  paths: readonly string[],
  options: FleetKeyAnalysisOptions,
): Promise<FleetKeyAnalysis> {
  const certificates: FleetCertificate[] = [
    ...fleet.certificates.map((record) => ({
      certificateId: record.certificateId,
      pem: record.pem,
      inScope: DEVICE_STATUSES_IN_SCOPE.has(record.status),
    })),
    ...fleet.caCertificates.map((record) => ({
      certificateId: record.certificateId,
      pem: record.pem,
      inScope: record.status === 'ACTIVE',
    })),
  ];
  const analysisOptions =
    paths.length === 0 ? options : { ...options, blocklist: loadBlocklists(paths) };
  return {
    findings: await analyzeFleetKeys(certificates, analysisOptions),
    caCertificateIds: new Set(fleet.caCertificates.map((record) => record.certificateId)),
  };
}
