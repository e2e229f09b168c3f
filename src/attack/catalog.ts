/**
 * Warden's ATT&CK catalog: which techniques each audit finding, Detect violation and mitigation
 * action relates to. The lookups return plain JSON-friendly references that the API, alerts and
 * CLI attach to what they output.
 */

import { PUBLISHED_ENTRIES } from './catalog-published.ts';
import type {
  CapabilityKind,
  CatalogEntry,
  ScoreCategory,
  ScoreValue,
  TechniqueRef,
} from './catalog-types.ts';
import { CATEGORY_ORDER } from './catalog-types.ts';
import { WARDEN_ICS_ENTRIES } from './catalog-warden-ics.ts';
import { WARDEN_ACTION_ENTRIES } from './catalog-warden-actions.ts';
import { WARDEN_AUDIT_ENTRIES } from './catalog-warden-audit.ts';
import { WARDEN_METRIC_ENTRIES } from './catalog-warden-metrics.ts';
import { technique } from './techniques.ts';

/**
 * Every catalog entry: the published ones first, then Warden's Enterprise additions for audit
 * checks, metrics and actions, then its ICS additions.
 */
export const CATALOG: readonly CatalogEntry[] = [
  ...PUBLISHED_ENTRIES,
  ...WARDEN_AUDIT_ENTRIES,
  ...WARDEN_METRIC_ENTRIES,
  ...WARDEN_ACTION_ENTRIES,
  ...WARDEN_ICS_ENTRIES,
];

/** One row of the published mapping: a technique scored once per category. */
export interface PublishedRow {
  techniqueId: string;
  category: ScoreCategory;
  value: ScoreValue;
}

/**
 * Returns the rows of the published mapping that the published entries restate, sorted by
 * technique id and then category.
 */
export function publishedRows(): PublishedRow[] {
  const rows = new Map<string, PublishedRow>();
  for (const entry of PUBLISHED_ENTRIES) {
    for (const techniqueId of entry.techniqueIds) {
      const key = `${techniqueId} ${entry.category}`;
      rows.set(key, { techniqueId, category: entry.category, value: entry.value });
    }
  }
  return [...rows.values()].sort(
    (first, second) =>
      compareIds(first.techniqueId, second.techniqueId) ||
      CATEGORY_ORDER.indexOf(first.category) - CATEGORY_ORDER.indexOf(second.category),
  );
}

/** Returns the entries of one capability, every reason code included. */
export function entriesForCapability(kind: CapabilityKind, capabilityId: string): CatalogEntry[] {
  return CATALOG.filter((entry) => entry.kind === kind && entry.capabilityId === capabilityId);
}

/**
 * Returns the techniques an audit finding relates to. Entries bound to reason codes apply only
 * when `reasonCode` is one of them. `reasonCode` may also be a comma-separated list, as in the
 * `REASON_CODES` additional info of key-quality findings, and then any listed code matches.
 */
export function techniquesForFinding(checkName: string, reasonCode?: string): TechniqueRef[] {
  const codes = new Set(reasonCode?.split(',').map((code) => code.trim()) ?? []);
  const entries = entriesForCapability('audit-check', checkName).filter(
    (entry) => !entry.reasonCodes || entry.reasonCodes.some((code) => codes.has(code)),
  );
  return toRefs(entries);
}

/** Returns the techniques a Detect violation of a behavior on `metricName` relates to. */
export function techniquesForViolation(metricName: string): TechniqueRef[] {
  return toRefs(entriesForCapability('metric', metricName));
}

/** Returns the techniques a mitigation action of type `actionType` responds to or protects. */
export function techniquesForAction(actionType: string): TechniqueRef[] {
  return toRefs(entriesForCapability('action', actionType));
}

/** Converts a technique id to its reference, copying the tactics so callers may change them. */
export function techniqueRef(id: string): TechniqueRef {
  const found = technique(id);
  if (!found) throw new RangeError(`Unknown technique "${id}": not in Warden's technique table`);
  return { id: found.id, name: found.name, tactics: [...found.tactics] };
}

/** Orders technique ids; plain string order works because the digits have a fixed width. */
export function compareIds(first: string, second: string): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}

function toRefs(entries: readonly CatalogEntry[]): TechniqueRef[] {
  const ids = new Set(entries.flatMap((entry) => entry.techniqueIds));
  return [...ids].sort(compareIds).map(techniqueRef);
}
