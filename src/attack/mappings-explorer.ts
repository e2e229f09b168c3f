/**
 * Import and export of Mappings Explorer mapping files. Warden reads any of them, such as the
 * published AWS mapping, and checks which of its rows a running setup covers. It also writes its
 * own catalog in the same format, so the Mappings Explorer tools work on it.
 */

import { CATALOG } from './catalog.ts';
import type { CapabilityKind, CatalogEntry, ScoreCategory, ScoreValue } from './catalog-types.ts';
import { describeSource, type CoverageReport } from './coverage.ts';
import { mappingFileSchema, type MappingFile, type MappingObject } from './mapping-file-schema.ts';
import { ATTACK_VERSION, parentTechniqueId, technique, type AttackDomain } from './techniques.ts';
import { problemsFromIssues, type ValidationProblem } from './validation-problems.ts';

export type { MappingFile, MappingObject } from './mapping-file-schema.ts';

/** Result of reading a mapping file. */
export type MappingParseResult =
  { ok: true; mapping: MappingFile } | { ok: false; problems: ValidationProblem[] };

/** Reads a mapping file that has already been parsed from JSON, returning problems if invalid. */
export function parseMappingFile(json: unknown): MappingParseResult {
  const result = mappingFileSchema.safeParse(json);
  if (result.success) return { ok: true, mapping: result.data };
  const problems = problemsFromIssues(result.error.issues, json, 'the Mappings Explorer format');
  return { ok: false, problems };
}

/** One row of a mapping file, with what in the setup covers it. */
export interface MappingRowStatus {
  capabilityId: string | null;
  techniqueId: string;
  /** The ATT&CK v18.1 name when the technique is in Warden's table, else the name in the file. */
  name: string;
  /** The name the file gives, when it differs from the v18.1 name. */
  nameInFile?: string;
  category: ScoreCategory | null;
  value: ScoreValue | null;
  /** Parts of the setup that map the technique in the row's category (any, if it has none). */
  coveredBy: string[];
}

/** Rows of a mapping file split by whether the setup covers them. */
export interface MappingComparison {
  covered: MappingRowStatus[];
  notCovered: MappingRowStatus[];
  /** Mapping objects without an ATT&CK id, such as non-mappable capabilities. */
  skipped: number;
}

/**
 * Compares a mapping file with the coverage of a running setup, row by row. With
 * `capabilityId`, only rows of that capability are compared, e.g. `aws_iot_device_defender`
 * in the AWS mapping file.
 */
export function compareWithSetup(
  mapping: MappingFile,
  coverage: CoverageReport,
  options: { capabilityId?: string } = {},
): MappingComparison {
  const comparison: MappingComparison = { covered: [], notCovered: [], skipped: 0 };
  const rows = mapping.mapping_objects.filter(
    (row) => options.capabilityId === undefined || row.capability_id === options.capabilityId,
  );
  for (const row of rows) {
    if (!row.attack_object_id) {
      comparison.skipped++;
      continue;
    }
    const status = rowStatus(row, row.attack_object_id, coverage);
    (status.coveredBy.length > 0 ? comparison.covered : comparison.notCovered).push(status);
  }
  return comparison;
}

function rowStatus(row: MappingObject, techniqueId: string, coverage: CoverageReport) {
  const category = row.score_category ?? null;
  const sources = coverage.techniques.find((entry) => entry.id === techniqueId)?.sources ?? [];
  const coveredBy = sources
    .filter((source) => category === null || source.category === category)
    .map(describeSource);
  const fileName = row.attack_object_name ?? '';
  const name = technique(techniqueId)?.name ?? fileName;
  const status: MappingRowStatus = {
    capabilityId: row.capability_id ?? null,
    techniqueId,
    name,
    category,
    value: row.score_value ?? null,
    coveredBy: [...new Set(coveredBy)],
  };
  if (fileName && fileName !== name) status.nameInFile = fileName;
  return status;
}

/** Date of this revision of the catalog, in the MM/DD/YYYY form mapping files use. */
export const CATALOG_DATE = '12/04/2026';

const GROUPS: Record<CapabilityKind, { id: string; label: string; noun: string }> = {
  'audit-check': { id: 'warden_audit_checks', label: 'Warden audit checks', noun: 'Audit check' },
  metric: { id: 'warden_detect_metrics', label: 'Warden Detect metrics', noun: 'Detect metric' },
  action: {
    id: 'warden_mitigation_actions',
    label: 'Warden mitigation actions',
    noun: 'Mitigation action',
  },
};

/**
 * Writes Warden's catalog as a Mappings Explorer mapping file for one matrix: one mapping
 * object per capability and technique, grouped by capability kind, with v18.1 names.
 */
export function exportCatalog(domain: AttackDomain = 'enterprise'): MappingFile {
  const kinds = Object.keys(GROUPS) as CapabilityKind[];
  return {
    metadata: {
      mapping_version: '1',
      attack_version: ATTACK_VERSION,
      technology_domain: domain,
      creation_date: CATALOG_DATE,
      last_update: CATALOG_DATE,
      mapping_framework: 'warden',
      mapping_framework_version: '0.1.0',
      author: 'Warden',
      contact: null,
      organization: null,
      mapping_types: {
        technique_scores: {
          name: 'technique_scores',
          description: 'Protect, detect and respond scores of Warden capabilities',
        },
      },
      capability_groups: Object.fromEntries(
        kinds.map((kind) => [GROUPS[kind].id, GROUPS[kind].label]),
      ),
    },
    mapping_objects: CATALOG.flatMap((entry) =>
      entry.techniqueIds
        .filter((id) => technique(id)?.domain === domain)
        .map((id) => mappingObject(entry, id)),
    ),
  };
}

function mappingObject(entry: CatalogEntry, techniqueId: string): MappingObject {
  const group = GROUPS[entry.kind];
  const codes = entry.reasonCodes ? ` for reason codes ${entry.reasonCodes.join(', ')}` : '';
  const parent = parentTechniqueId(techniqueId);
  return {
    capability_id: entry.capabilityId,
    capability_description: `${group.noun} ${entry.capabilityId}${codes}`,
    capability_group: group.id,
    mapping_type: 'technique_scores',
    attack_object_id: techniqueId,
    attack_object_name: technique(techniqueId)?.name ?? null,
    score_category: entry.category,
    score_value: entry.value,
    ...(parent ? { related_score: parent } : {}),
    comments: entry.reason,
    references: [],
    status: 'complete',
    author:
      entry.source === 'published'
        ? 'Center for Threat-Informed Defense (AWS IoT Device Defender mapping)'
        : 'Warden',
  };
}
