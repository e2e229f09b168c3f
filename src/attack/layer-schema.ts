/**
 * Validator for ATT&CK Navigator layer files in layer format 4.5, written from the field list of
 * the 4.5 layer format spec (no official JSON Schema exists). Warden checks every layer it
 * builds with it and rejects imported layers whose fields Navigator 5.x would not accept.
 */

import { z } from 'zod';
import { TACTICS, isSubtechnique, type AttackDomain } from './techniques.ts';
import {
  formatPath,
  invalidValue,
  problemsFromIssues,
  type PathSegment,
  type ValidationProblem,
} from './validation-problems.ts';

/** The format name used in messages about unknown fields. */
const FORMAT = 'layer format 4.5';

const MINIMUM_NAVIGATOR = [4, 9, 0] as const;

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

// NOTE: the spec types colours only as strings. Warden accepts hex colours, the form Navigator
// itself writes, so a named colour such as "red" is rejected.
const color = z.string().regex(HEX_COLOR, { error: 'must be a hex colour such as #ff6666' });

const metadataItem = z.union(
  [
    z.strictObject({ name: z.string(), value: z.string() }),
    z.strictObject({ divider: z.literal(true) }),
  ],
  { error: 'must be a {name, value} pair or {divider: true}' },
);

const linkItem = z.union(
  [
    z.strictObject({
      label: z.string(),
      url: z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, { error: 'must include a protocol' }),
    }),
    z.strictObject({ divider: z.literal(true) }),
  ],
  { error: 'must be a {label, url} pair with a protocol in the url, or {divider: true}' },
);

const techniqueSchema = z.strictObject({
  techniqueID: z
    .string()
    .regex(/^T\d{4}(?:\.\d{3})?$/, { error: 'must be a technique id such as T1234 or T1234.001' }),
  tactic: z.string().optional(),
  score: z.number().optional(),
  color: z
    .string()
    .regex(/^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}))?$/, {
      error: 'must be a hex colour such as #ff6666, or ""',
    })
    .optional(),
  comment: z.string().optional(),
  enabled: z.boolean().optional(),
  metadata: z.array(metadataItem).optional(),
  links: z.array(linkItem).optional(),
  showSubtechniques: z.boolean().optional(),
});

const versionsSchema = z.strictObject({
  attack: z.string().optional(),
  navigator: z.string().refine(isSupportedNavigatorVersion, {
    error: 'must be a Navigator version of at least 4.9.0',
  }),
  layer: z.literal('4.5', { error: 'must be "4.5"' }),
});

const gradientSchema = z
  .strictObject({
    colors: z.array(color).min(2, { error: 'must list at least 2 colours' }),
    minValue: z.number(),
    maxValue: z.number(),
  })
  .check((context) => {
    const { minValue, maxValue } = context.value;
    if (maxValue <= minValue) {
      context.issues.push({
        code: 'custom',
        path: ['maxValue'],
        input: maxValue,
        message: `must be greater than minValue ${minValue}`,
      });
    }
  });

const layoutSchema = z.strictObject({
  layout: z
    .enum(['side', 'flat', 'mini'], { error: 'must be "side", "flat" or "mini"' })
    .optional(),
  showID: z.boolean().optional(),
  showName: z.boolean().optional(),
  showAggregateScores: z.boolean().optional(),
  countUnscored: z.boolean().optional(),
  aggregateFunction: z
    .enum(['average', 'min', 'max', 'sum'], { error: 'must be "average", "min", "max" or "sum"' })
    .optional(),
  expandedSubtechniques: z
    .enum(['none', 'all', 'annotated'], { error: 'must be "none", "all" or "annotated"' })
    .optional(),
});

/** The layer object of layer format 4.5. */
export const layerSchema = z.strictObject({
  name: z.string(),
  versions: versionsSchema.optional(),
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack'], {
    error: 'must be "enterprise-attack", "mobile-attack" or "ics-attack"',
  }),
  description: z.string().optional(),
  customDataURL: z.string().optional(),
  filters: z.strictObject({ platforms: z.array(z.string()).optional() }).optional(),
  sorting: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
      error: 'must be 0, 1, 2 or 3',
    })
    .optional(),
  layout: layoutSchema.optional(),
  hideDisabled: z.boolean().optional(),
  techniques: z.array(techniqueSchema).optional(),
  gradient: gradientSchema.optional(),
  legendItems: z.array(z.strictObject({ label: z.string(), color })).optional(),
  metadata: z.array(metadataItem).optional(),
  links: z.array(linkItem).optional(),
  showTacticRowBackground: z.boolean().optional(),
  tacticRowBackground: color.optional(),
  selectTechniquesAcrossTactics: z.boolean().optional(),
  selectSubtechniquesWithParent: z.boolean().optional(),
  selectVisibleTechniques: z.boolean().optional(),
});

/** A Navigator layer, as Warden builds and validates it. */
export type NavigatorLayer = z.infer<typeof layerSchema>;

/** One annotated technique of a layer. */
export type LayerTechnique = z.infer<typeof techniqueSchema>;

/** Validates one layer object; an empty list means the layer is valid. */
export function validateLayer(input: unknown): ValidationProblem[] {
  return validateLayerAt(input, []);
}

/**
 * Validates a layer file, which in format 4.5 contains one layer object or an array of them.
 * Problems inside an array carry the layer's index in their path.
 */
export function validateLayerFile(input: unknown): ValidationProblem[] {
  if (!Array.isArray(input)) return validateLayer(input);
  return input.flatMap((layer, index) => validateLayerAt(layer, [index]));
}

function validateLayerAt(input: unknown, prefix: readonly PathSegment[]): ValidationProblem[] {
  const result = layerSchema.safeParse(input);
  if (!result.success) return problemsFromIssues(result.error.issues, input, FORMAT, prefix);
  return semanticProblems(result.data, prefix);
}

/** Checks what the field types cannot: tactics of the domain, duplicates, sub-technique flags. */
function semanticProblems(
  layer: NavigatorLayer,
  prefix: readonly PathSegment[],
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const tactics = tacticsOf(layer.domain);
  const seen = new Set<string>();
  for (const [index, entry] of (layer.techniques ?? []).entries()) {
    const at = (field: string) => formatPath([...prefix, 'techniques', index, field]);
    if (entry.tactic !== undefined && tactics && !tactics.includes(entry.tactic)) {
      problems.push(invalidValue(at('tactic'), entry.tactic, `not a tactic of ${layer.domain}`));
    }
    if (entry.showSubtechniques !== undefined && isSubtechnique(entry.techniqueID)) {
      const reason = 'allowed on techniques only, not on sub-techniques';
      problems.push(invalidValue(at('showSubtechniques'), entry.showSubtechniques, reason));
    }

    const key = `${entry.techniqueID} ${entry.tactic ?? '*'}`;
    if (seen.has(key)) problems.push(duplicateTechnique(at('techniqueID'), entry));
    seen.add(key);
  }
  return problems;
}

function duplicateTechnique(path: string, entry: LayerTechnique): ValidationProblem {
  const scope = entry.tactic ? `tactic "${entry.tactic}"` : 'all tactics';
  return {
    code: 'DUPLICATE_VALUE',
    path,
    message: `Duplicate technique "${entry.techniqueID}" at "${path}": annotated twice for ${scope}`,
  };
}

function tacticsOf(domain: NavigatorLayer['domain']): readonly string[] | undefined {
  const domains: Partial<Record<NavigatorLayer['domain'], AttackDomain>> = {
    'enterprise-attack': 'enterprise',
    'ics-attack': 'ics',
  };
  const known = domains[domain];
  return known ? TACTICS[known] : undefined;
}

function isSupportedNavigatorVersion(version: string): boolean {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
  if (!match) return false;
  const parts = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  for (const [index, minimum] of MINIMUM_NAVIGATOR.entries()) {
    const part = parts[index] ?? 0;
    if (part !== minimum) return part > minimum;
  }
  return true;
}
