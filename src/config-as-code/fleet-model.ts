/**
 * The two states a plan compares: the desired fleet merged from the files, each resource with
 * the file and path it came from, and the current fleet read from Warden. Both hold resources in
 * the file format, keyed by the identity of the resource.
 */

import type { FleetDocument, SectionName } from './fleet-schema.ts';

/** The resource type of one section: the list element, or the object of a singleton section. */
export type SpecOf<S extends SectionName> =
  NonNullable<FleetDocument[S]> extends readonly (infer Item)[]
    ? Item
    : NonNullable<FleetDocument[S]>;

/** A desired resource with where it was written. */
export interface Located<T> {
  spec: T;
  file: string;
  /** Path of the resource in its file, such as `securityProfiles[2]`. */
  path: string;
}

/** The resources the files define, by section and key, and the sections they manage. */
export interface DesiredFleet {
  /** Sections present in at least one file; only these are compared and pruned. */
  managed: Set<SectionName>;
  resources: { [S in SectionName]: Map<string, Located<SpecOf<S>>> };
}

/** Facts about Warden that validation needs beyond the managed sections. */
export interface WardenFacts {
  /** Every audit check Warden offers, from DescribeAccountAuditConfiguration. */
  auditCheckNames?: string[];
  /** Checks enabled in Warden now. */
  enabledChecks?: Set<string>;
  thingGroupNames?: Set<string>;
  customMetricTypes?: Map<string, string>;
  dimensionNames?: Set<string>;
}

/** The resources Warden holds, by section and key, for the sections that were read. */
export interface CurrentFleet {
  read: Set<SectionName>;
  resources: { [S in SectionName]: Map<string, SpecOf<S>> };
  facts: WardenFacts;
}

/** Creates the empty maps of every section. */
export function emptySections<T>(): { [S in SectionName]: Map<string, T> } {
  return {
    alertTargets: new Map(),
    thingGroups: new Map(),
    policies: new Map(),
    customMetrics: new Map(),
    dimensions: new Map(),
    mitigationActions: new Map(),
    auditConfiguration: new Map(),
    scheduledAudits: new Map(),
    auditSuppressions: new Map(),
    securityProfiles: new Map(),
  };
}
