/**
 * Planning: the desired fleet against Warden's current one, section by section. Only sections a
 * file manages are compared. A resource Warden has and the files lack is deleted only with
 * `prune`; otherwise the plan lists it as kept.
 */

import type { CustomMetricType } from '../detect/metric-value.ts';
import type { CurrentFleet, DesiredFleet, Located } from './fleet-model.ts';
import { SECTIONS, type SectionName } from './fleet-schema.ts';
import { compareText, fieldChanges, sameJson } from './json-diff.ts';
import { KINDS } from './kinds/index.ts';
import type { FleetProblem } from './problems.ts';
import type {
  CanonicalContext,
  ChangeAction,
  PlanContext,
  ResourceChange,
  ResourceKind,
} from './resource-kind.ts';

export interface PlanOptions {
  /** Deletes resources of managed sections that the files lack. */
  prune: boolean;
  /** Environment that webhook secrets are read from. */
  env: NodeJS.ProcessEnv;
}

export interface Plan {
  /** Creates, changes, deletes and kept resources, by section, then action, then label. */
  changes: ResourceChange[];
  /** Problems that stop the run before anything is applied. */
  problems: FleetProblem[];
  context: PlanContext;
}

const ACTION_ORDER: ChangeAction[] = ['create', 'change', 'delete', 'keep', 'none'];

/** Compares the desired fleet with the current one and returns the plan. */
export function buildPlan(
  desired: DesiredFleet,
  current: CurrentFleet,
  options: PlanOptions,
): Plan {
  const context: PlanContext = { desired, current, env: options.env };
  const canonicalContext = canonicalContextOf(desired, current);
  const changes: ResourceChange[] = [];
  const problems: FleetProblem[] = [];
  for (const section of SECTIONS) {
    if (!desired.managed.has(section)) continue;
    const planned = planSection(section, context, canonicalContext, options.prune);
    const found: FleetProblem[] = [];
    for (const change of planned) {
      found.push(...(KINDS[section].check?.(change, context) ?? []));
      if (change.action !== 'none') changes.push(change);
    }
    problems.push(...found.sort(inFileOrder));
  }
  return { changes, problems, context };
}

/** Counts the changes of each action; `keep` counts resources left in place. */
export function countChanges(plan: Plan): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = {
    create: 0,
    change: 0,
    delete: 0,
    keep: 0,
    none: 0,
  };
  for (const change of plan.changes) counts[change.action] += 1;
  return counts;
}

/** Tells whether applying the plan would send anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((change) => change.action !== 'keep');
}

function planSection(
  section: SectionName,
  context: PlanContext,
  canonicalContext: CanonicalContext,
  prune: boolean,
): ResourceChange[] {
  const kind = KINDS[section] as ResourceKind<unknown>;
  const inFiles = context.desired.resources[section] as Map<string, Located<unknown>>;
  const existing = new Map<string, unknown>();
  for (const [key, spec] of context.current.resources[section] as Map<string, unknown>)
    existing.set(key, kind.canonical(spec, canonicalContext));
  const compared = (spec: unknown) => (kind.comparable ? kind.comparable(spec) : spec);

  const changes: ResourceChange[] = [];
  for (const [key, source] of inFiles) {
    const current = existing.get(key);
    const resolved = kind.resolve ? kind.resolve(source.spec, current) : source.spec;
    const desired = { ...source, spec: kind.canonical(resolved, canonicalContext) };
    const label = kind.labelOf?.(source.spec) ?? key;
    const base = { section, key, label, source, desired };
    if (current === undefined) {
      changes.push({ ...base, action: 'create', fields: [] });
      continue;
    }
    const same = sameJson(compared(desired.spec), compared(current));
    const fields = same ? [] : fieldChanges(compared(current), compared(desired.spec));
    changes.push({ ...base, current, action: same ? 'none' : 'change', fields });
  }
  for (const [key, current] of existing) {
    if (inFiles.has(key)) continue;
    const label = kind.labelOf?.(current) ?? key;
    changes.push({ section, key, label, current, action: prune ? 'delete' : 'keep', fields: [] });
  }
  return changes.sort(
    (a, b) =>
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
      compareText(a.label, b.label),
  );
}

/** Orders problems by file, then by path with list indexes compared as numbers. */
function inFileOrder(a: FleetProblem, b: FleetProblem): number {
  if (a.file !== b.file) return compareText(a.file, b.file);
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}

/** Custom metric types from the files first, then from Warden, for behavior normalization. */
function canonicalContextOf(desired: DesiredFleet, current: CurrentFleet): CanonicalContext {
  return {
    customMetricType: (name) =>
      (desired.resources.customMetrics.get(name)?.spec.metricType ??
        current.facts.customMetricTypes?.get(name)) as CustomMetricType | undefined,
  };
}
