/**
 * Schema of a Mappings Explorer mapping file, written from the fields of the unified mapping
 * schema of CTID's Mappings Explorer (JSON Schema draft 2020-12, no extra fields at any level).
 */

import { z } from 'zod';

const DATE = /^[0-9]{2}\/[0-9]{2}\/[0-9]{4}$/;
const date = z.string().regex(DATE, { error: 'must be a date in MM/DD/YYYY form' });

const nullableString = z.string({ error: 'must be a string or null' }).nullable();

const scoreCategory = z
  .enum(['protect', 'detect', 'respond'], {
    error: 'must be "protect", "detect", "respond" or null',
  })
  .nullable();

const scoreValue = z
  .enum(['minimal', 'partial', 'significant'], {
    error: 'must be "minimal", "partial", "significant" or null',
  })
  .nullable();

const domain = z.enum(['enterprise', 'mobile', 'ics'], {
  error: 'must be "enterprise", "mobile" or "ics"',
});

const metadataSchema = z.strictObject({
  mapping_version: z.string(),
  attack_version: z.string(),
  technology_domain: domain,
  creation_date: date,
  last_update: date.optional(),
  mapping_framework: z.string(),
  mapping_framework_version: z.string(),
  mapping_framework_version_schema: z
    .enum(['FRAMEWORK_VERSION', 'ACCESS_DATE'], {
      error: 'must be "FRAMEWORK_VERSION" or "ACCESS_DATE"',
    })
    .optional(),
  author: nullableString.optional(),
  contact: nullableString.optional(),
  organization: nullableString.optional(),
  mapping_types: z.record(
    z.string(),
    z.strictObject({ name: z.string(), description: z.string() }),
  ),
  capability_groups: z.record(z.string(), z.string()),
});

const mappingObjectSchema = z.strictObject({
  capability_id: nullableString.optional(),
  capability_description: nullableString.optional(),
  capability_group: nullableString,
  mapping_type: nullableString,
  attack_object_id: nullableString.optional(),
  attack_object_name: nullableString.optional(),
  score_category: scoreCategory.optional(),
  score_value: scoreValue.optional(),
  related_score: nullableString.optional(),
  comments: nullableString.optional(),
  references: z
    .array(z.string(), { error: 'must be an array of strings or null' })
    .nullable()
    .optional(),
  status: z
    .enum(['complete', 'in_progress', 'non_mappable'], {
      error: 'must be "complete", "in_progress" or "non_mappable"',
    })
    .optional(),
  author: nullableString.optional(),
  author_contact: nullableString.optional(),
  author_organization: nullableString.optional(),
  attack_version: nullableString.optional(),
  technology_domain: domain.nullable().optional(),
  mapping_framework: nullableString.optional(),
  mapping_framework_version: nullableString.optional(),
});

/** A whole mapping file: its metadata and its mapping objects. */
export const mappingFileSchema = z.strictObject({
  metadata: metadataSchema,
  mapping_objects: z.array(mappingObjectSchema),
});

/** A parsed Mappings Explorer mapping file. */
export type MappingFile = z.infer<typeof mappingFileSchema>;

/** One mapping object of a mapping file. */
export type MappingObject = z.infer<typeof mappingObjectSchema>;
