/**
 * Shapes of Warden's ATT&CK catalog. Categories and values use the Mappings Explorer scale: a
 * capability protects against, detects or responds to a technique, with minimal, partial or
 * significant coverage of it.
 */

/** The kind of Warden signal an entry maps: an audit check, a Detect metric or an action type. */
export type CapabilityKind = 'audit-check' | 'metric' | 'action';

/** Mappings Explorer score category. */
export type ScoreCategory = 'protect' | 'detect' | 'respond';

/** Mappings Explorer score value. */
export type ScoreValue = 'minimal' | 'partial' | 'significant';

/**
 * Origin of an entry: `published` entries restate the CTID mapping of AWS IoT Device Defender
 * for the capability the mapping's comments name, `warden` entries are Warden's own additions.
 */
export type EntrySource = 'published' | 'warden';

/** One mapping of one Warden capability to one or more ATT&CK techniques. */
export interface CatalogEntry {
  kind: CapabilityKind;
  /** Audit check name, Detect metric name or mitigation action type. */
  capabilityId: string;
  /**
   * For audit checks whose findings carry a reason code: the entry applies only to findings with
   * one of these codes. Absent means it applies to every finding of the check.
   */
  reasonCodes?: readonly string[];
  techniqueIds: readonly string[];
  category: ScoreCategory;
  value: ScoreValue;
  source: EntrySource;
  /** One sentence on why the capability covers the techniques. */
  reason: string;
}

/** A technique as attached to findings, violations and actions: JSON-friendly, no domain. */
export interface TechniqueRef {
  id: string;
  name: string;
  tactics: string[];
}

/** Order used whenever categories or values are listed or compared. */
export const CATEGORY_ORDER: readonly ScoreCategory[] = ['protect', 'detect', 'respond'];
export const VALUE_ORDER: readonly ScoreValue[] = ['minimal', 'partial', 'significant'];

/** Fields shared by a group of entries, which `entriesFor` expands to one entry per capability. */
export interface EntryGroup {
  kind: CapabilityKind;
  capabilityIds: readonly string[];
  reasonCodes?: readonly string[];
  techniqueIds: readonly string[];
  category: ScoreCategory;
  value: ScoreValue;
  reason: string;
}

/** Expands groups to one catalog entry per capability, all with the given source. */
export function entriesFor(source: EntrySource, groups: readonly EntryGroup[]): CatalogEntry[] {
  return groups.flatMap(({ capabilityIds, ...shared }) =>
    capabilityIds.map((capabilityId) => ({ ...shared, capabilityId, source })),
  );
}
