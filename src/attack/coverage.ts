/**
 * ATT&CK coverage of one running setup: which techniques its enabled audit checks, Detect
 * behaviors and mitigation actions cover, and which rows of the published Device Defender
 * mapping the setup leaves open.
 */

import { entriesForCapability, publishedRows, techniqueRef, type PublishedRow } from './catalog.ts';
import { compareIds } from './catalog.ts';
import type {
  CapabilityKind,
  CatalogEntry,
  EntrySource,
  ScoreCategory,
  ScoreValue,
  TechniqueRef,
} from './catalog-types.ts';
import { CATEGORY_ORDER, VALUE_ORDER } from './catalog-types.ts';
import { ATTACK_VERSION, technique, type AttackDomain } from './techniques.ts';

/** Enabled audit checks, the behaviors of every security profile, and defined actions. */
export interface RunningSetup {
  enabledChecks: string[];
  behaviors: { profile: string; name: string; metric: string }[];
  mitigationActions: { name: string; type: string }[];
}

/** One part of the setup that covers a technique, with the score its catalog entry gives. */
export interface CoverageSource {
  kind: CapabilityKind;
  /** Check name, metric name or action type. */
  capabilityId: string;
  /** The check name, `profile/behavior (metric)` or `action (type)`. */
  label: string;
  category: ScoreCategory;
  value: ScoreValue;
  source: EntrySource;
  /** Set when only findings with these reason codes relate to the technique. */
  reasonCodes?: string[];
}

/** One covered technique and everything in the setup that covers it. */
export interface TechniqueCoverage extends TechniqueRef {
  domain: AttackDomain;
  sources: CoverageSource[];
  /** Categories present among the sources, in protect, detect, respond order. */
  categories: ScoreCategory[];
  /** Highest value among the sources. */
  value: ScoreValue;
}

/** A published row with the technique's current name. */
export interface PublishedRowStatus extends PublishedRow {
  name: string;
}

/** The coverage of one setup. */
export interface CoverageReport {
  attackVersion: string;
  /** Covered techniques, sorted by id. */
  techniques: TechniqueCoverage[];
  /**
   * Published rows split by whether the setup covers them: a row counts as covered when some
   * part of the setup maps its technique in its category, from a published or a Warden entry.
   */
  published: { total: number; covered: PublishedRowStatus[]; uncovered: PublishedRowStatus[] };
  /** Parts of the setup the catalog maps to no technique. */
  unmapped: RunningSetup;
}

const KIND_LABELS: Record<CapabilityKind, string> = {
  'audit-check': 'audit check',
  metric: 'behavior',
  action: 'action',
};

/** Names a source for people: `audit check X`, `behavior p/b (metric)` or `action a (TYPE)`. */
export function describeSource(source: Pick<CoverageSource, 'kind' | 'label'>): string {
  return `${KIND_LABELS[source.kind]} ${source.label}`;
}

interface Capability {
  kind: CapabilityKind;
  capabilityId: string;
  label: string;
}

/** Computes which techniques a setup covers and which published rows it leaves open. */
export function computeCoverage(setup: RunningSetup): CoverageReport {
  const byTechnique = new Map<string, CoverageSource[]>();
  const unmapped: RunningSetup = { enabledChecks: [], behaviors: [], mitigationActions: [] };

  for (const capability of capabilitiesOf(setup, unmapped)) {
    for (const entry of entriesForCapability(capability.kind, capability.capabilityId)) {
      for (const id of entry.techniqueIds) {
        const sources = byTechnique.get(id) ?? [];
        sources.push(toSource(capability, entry));
        byTechnique.set(id, sources);
      }
    }
  }

  const techniques = [...byTechnique.keys()]
    .sort(compareIds)
    .map((id) => toTechniqueCoverage(id, byTechnique.get(id) ?? []));
  return {
    attackVersion: ATTACK_VERSION,
    techniques,
    published: publishedStatus(techniques),
    unmapped,
  };
}

/** Lists the setup's capabilities once each, and records in `unmapped` those with no entry. */
function capabilitiesOf(setup: RunningSetup, unmapped: RunningSetup): Capability[] {
  const capabilities: Capability[] = [];
  const add = (capability: Capability): boolean => {
    if (
      capabilities.some(
        (other) => other.kind === capability.kind && other.label === capability.label,
      )
    )
      return true;
    if (entriesForCapability(capability.kind, capability.capabilityId).length === 0) return false;
    capabilities.push(capability);
    return true;
  };

  for (const check of new Set(setup.enabledChecks)) {
    if (!add({ kind: 'audit-check', capabilityId: check, label: check }))
      unmapped.enabledChecks.push(check);
  }
  for (const behavior of setup.behaviors) {
    const label = `${behavior.profile}/${behavior.name} (${behavior.metric})`;
    if (!add({ kind: 'metric', capabilityId: behavior.metric, label }))
      unmapped.behaviors.push(behavior);
  }
  for (const action of setup.mitigationActions) {
    const label = `${action.name} (${action.type})`;
    if (!add({ kind: 'action', capabilityId: action.type, label }))
      unmapped.mitigationActions.push(action);
  }
  return capabilities;
}

function toSource(capability: Capability, entry: CatalogEntry): CoverageSource {
  return {
    ...capability,
    category: entry.category,
    value: entry.value,
    source: entry.source,
    ...(entry.reasonCodes ? { reasonCodes: [...entry.reasonCodes] } : {}),
  };
}

const KIND_ORDER: readonly CapabilityKind[] = ['audit-check', 'metric', 'action'];

function toTechniqueCoverage(id: string, sources: CoverageSource[]): TechniqueCoverage {
  const sorted = [...sources].sort(
    (first, second) =>
      CATEGORY_ORDER.indexOf(first.category) - CATEGORY_ORDER.indexOf(second.category) ||
      KIND_ORDER.indexOf(first.kind) - KIND_ORDER.indexOf(second.kind) ||
      first.label.localeCompare(second.label),
  );
  const categories = CATEGORY_ORDER.filter((category) =>
    sorted.some((source) => source.category === category),
  );
  const value = VALUE_ORDER[Math.max(...sorted.map((source) => VALUE_ORDER.indexOf(source.value)))];
  return {
    ...techniqueRef(id),
    domain: technique(id)?.domain ?? 'enterprise',
    sources: sorted,
    categories,
    value: value ?? 'minimal',
  };
}

function publishedStatus(techniques: readonly TechniqueCoverage[]): CoverageReport['published'] {
  const covered: PublishedRowStatus[] = [];
  const uncovered: PublishedRowStatus[] = [];
  for (const row of publishedRows()) {
    const status = { ...row, name: techniqueRef(row.techniqueId).name };
    const coverage = techniques.find((candidate) => candidate.id === row.techniqueId);
    if (coverage?.categories.includes(row.category)) covered.push(status);
    else uncovered.push(status);
  }
  return { total: covered.length + uncovered.length, covered, uncovered };
}
