/**
 * ATT&CK Navigator layers (layer format 4.5) of what a setup covers and of what was detected.
 * Coverage layers use the colour scheme of the CTID security-stack mappings: greens for protect,
 * blues for detect, reds for respond and purples for techniques with several categories, darker
 * or brighter as the value rises.
 */

import type { ScoreCategory, ScoreValue } from './catalog-types.ts';
import { CATEGORY_ORDER, VALUE_ORDER } from './catalog-types.ts';
import { describeSource, type CoverageReport, type TechniqueCoverage } from './coverage.ts';
import type { LayerTechnique, NavigatorLayer } from './layer-schema.ts';
import { ATTACK_VERSION, domainOf, type AttackDomain } from './techniques.ts';

/** Colour group of a technique: its one category, or `mixed` when it has several. */
export type ColorGroup = ScoreCategory | 'mixed';

/** Colours per group and value, from the CTID security-stack mapping layers. */
export const CATEGORY_COLORS: Readonly<Record<ColorGroup, Readonly<Record<ScoreValue, string>>>> = {
  protect: { minimal: '#9CBA7F', partial: '#659D32', significant: '#7FFF00' },
  detect: { minimal: '#AEEEEE', partial: '#5F9F9F', significant: '#00FFFF' },
  respond: { minimal: '#ff6b6b', partial: '#ff0505', significant: '#b80000' },
  mixed: { minimal: '#bf6bff', partial: '#9305ff', significant: '#5c00a3' },
};

/** Numeric scores per value, so Navigator can sort and aggregate coverage layers. */
export const VALUE_SCORES: Readonly<Record<ScoreValue, number>> = {
  minimal: 10,
  partial: 50,
  significant: 100,
};

/** Options of both layer builders. */
export interface LayerOptions {
  /** Matrix of the layer; techniques of the other matrix are left out. Default `enterprise`. */
  domain?: AttackDomain;
  name?: string;
  description?: string;
  /** Epoch ms written into the layer metadata; left out when absent. */
  generatedAt?: number;
}

/** One detected technique: how often, when, and which findings or violations raised it. */
export interface Detection {
  techniqueId: string;
  count: number;
  /** Epoch ms. */
  firstSeen: number;
  /** Epoch ms. */
  lastSeen: number;
  sources: string[];
}

const NAVIGATOR_DOMAINS: Record<AttackDomain, NavigatorLayer['domain']> = {
  enterprise: 'enterprise-attack',
  ics: 'ics-attack',
};

/** Builds the layer of what a setup covers, coloured by category and value. */
export function buildCoverageLayer(
  report: CoverageReport,
  options: LayerOptions = {},
): NavigatorLayer {
  const domain = options.domain ?? 'enterprise';
  const techniques = report.techniques
    .filter((entry) => entry.domain === domain)
    .map(coverageTechnique);
  return {
    ...layerBase(domain, options, 'Warden ATT&CK coverage'),
    description:
      options.description ??
      'Techniques the enabled audit checks, Detect behaviors and mitigation actions cover.',
    sorting: 3,
    techniques,
    gradient: { colors: ['#ffffff', '#66b1ff'], minValue: 0, maxValue: 100 },
    legendItems: legendItems(),
  };
}

/** Builds the layer of what was detected, scored by the number of detections. */
export function buildDetectionLayer(
  detections: readonly Detection[],
  options: LayerOptions = {},
): NavigatorLayer {
  const domain = options.domain ?? 'enterprise';
  const merged = mergeDetections(detections).filter(
    (entry) => domainOf(entry.techniqueId) === domain,
  );
  const highest = Math.max(1, ...merged.map((entry) => entry.count));
  return {
    ...layerBase(domain, options, 'Warden ATT&CK detections'),
    description: options.description ?? 'Techniques seen in audit findings and Detect violations.',
    sorting: 3,
    techniques: merged.map(detectionTechnique),
    gradient: { colors: ['#ffe766', '#ff6666'], minValue: 0, maxValue: highest },
  };
}

function layerBase(domain: AttackDomain, options: LayerOptions, defaultName: string) {
  const metadata = [
    { name: 'generator', value: 'Warden' },
    { name: 'ATT&CK version', value: ATTACK_VERSION },
  ];
  if (options.generatedAt !== undefined) {
    metadata.push({ name: 'generated', value: new Date(options.generatedAt).toISOString() });
  }
  return {
    name: options.name ?? defaultName,
    versions: {
      attack: ATTACK_VERSION.split('.')[0] ?? ATTACK_VERSION,
      navigator: '5.1.0',
      layer: '4.5' as const,
    },
    domain: NAVIGATOR_DOMAINS[domain],
    layout: {
      layout: 'side' as const,
      showID: true,
      showName: true,
      expandedSubtechniques: 'annotated' as const,
    },
    hideDisabled: false,
    metadata,
  };
}

function coverageTechnique(entry: TechniqueCoverage): LayerTechnique {
  const group: ColorGroup =
    entry.categories.length === 1 ? (entry.categories[0] ?? 'mixed') : 'mixed';
  return {
    techniqueID: entry.id,
    score: VALUE_SCORES[entry.value],
    color: CATEGORY_COLORS[group][entry.value],
    comment: `Covered by ${entry.sources.map(describeSource).join('; ')}`,
    metadata: entry.sources.flatMap((source, index) => [
      ...(index > 0 ? [{ divider: true as const }] : []),
      { name: 'control', value: describeSource(source) },
      { name: 'category', value: source.category },
      { name: 'value', value: source.value },
      { name: 'source', value: source.source },
      ...(source.reasonCodes
        ? [{ name: 'reason codes', value: source.reasonCodes.join(', ') }]
        : []),
    ]),
  };
}

function legendItems(): { label: string; color: string }[] {
  const groups: ColorGroup[] = [...CATEGORY_ORDER, 'mixed'];
  return groups.flatMap((group) =>
    VALUE_ORDER.map((value) => ({
      label: `${capitalize(group)} - ${capitalize(value)}`,
      color: CATEGORY_COLORS[group][value],
    })),
  );
}

/** Sums detections of the same technique, rejecting counts and times that cannot be right. */
function mergeDetections(detections: readonly Detection[]): Detection[] {
  const byId = new Map<string, Detection>();
  for (const detection of detections) {
    checkDetection(detection);
    const known = byId.get(detection.techniqueId);
    if (!known) {
      byId.set(detection.techniqueId, { ...detection, sources: [...new Set(detection.sources)] });
      continue;
    }
    known.count += detection.count;
    known.firstSeen = Math.min(known.firstSeen, detection.firstSeen);
    known.lastSeen = Math.max(known.lastSeen, detection.lastSeen);
    known.sources = [...new Set([...known.sources, ...detection.sources])];
  }
  return [...byId.values()].sort((first, second) =>
    first.techniqueId < second.techniqueId ? -1 : 1,
  );
}

function checkDetection(detection: Detection): void {
  const { techniqueId, count, firstSeen, lastSeen } = detection;
  if (!/^T\d{4}(?:\.\d{3})?$/.test(techniqueId)) {
    throw new RangeError(
      `Invalid technique id "${techniqueId}": must look like T1234 or T1234.001`,
    );
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `Invalid count "${count}" for "${techniqueId}": must be a positive integer`,
    );
  }
  for (const [field, time] of [
    ['firstSeen', firstSeen],
    ['lastSeen', lastSeen],
  ] as const) {
    if (!Number.isFinite(time) || Number.isNaN(new Date(time).getTime())) {
      throw new RangeError(`Invalid ${field} "${time}" for "${techniqueId}": must be epoch ms`);
    }
  }
  if (lastSeen < firstSeen) {
    throw new RangeError(
      `Invalid lastSeen "${lastSeen}" for "${techniqueId}": must not be before firstSeen "${firstSeen}"`,
    );
  }
}

function detectionTechnique(detection: Detection): LayerTechnique {
  const sources = detection.sources.length > 0 ? detection.sources.join(', ') : 'unknown sources';
  return {
    techniqueID: detection.techniqueId,
    score: detection.count,
    comment: `Detected ${detection.count} time${detection.count === 1 ? '' : 's'} by ${sources}`,
    metadata: [
      { name: 'count', value: String(detection.count) },
      { name: 'first seen', value: new Date(detection.firstSeen).toISOString() },
      { name: 'last seen', value: new Date(detection.lastSeen).toISOString() },
      ...detection.sources.map((source) => ({ name: 'source', value: source })),
    ],
  };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
