/**
 * Comparison of JSON values for planning: equality that ignores member order, and the list of
 * leaf fields that differ, so a plan can show `behaviors["ports"].criteria.value.count: 5 -> 8`.
 */

import { joinPath } from './problems.ts';

/** One field that a change sets: its path in the resource and its values before and after. */
export interface FieldChange {
  path: string;
  /** Undefined when the field is added. */
  before?: unknown;
  /** Undefined when the field is removed. */
  after?: unknown;
}

/** Tells whether two JSON values are equal, ignoring the order of object members. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameJson(item, b[index]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameJson(a[key], b[key]));
}

/**
 * Lists the leaf fields that differ between two JSON values. Lists of named objects (such as
 * behaviors) are compared by name; other lists that differ are shown whole.
 */
export function fieldChanges(
  before: unknown,
  after: unknown,
  at: PropertyKey[] = [],
): FieldChange[] {
  if (sameJson(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], [...at, key]));
  }
  if (isNamedList(before) || isNamedList(after)) {
    const old = before ?? [];
    const next = after ?? [];
    if (isNamedOrEmpty(old) && isNamedOrEmpty(next)) return namedListChanges(old, next, at);
  }
  const change: FieldChange = { path: joinPath(at) };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return [change];
}

function namedListChanges(
  before: Record<string, unknown>[],
  after: Record<string, unknown>[],
  at: PropertyKey[],
): FieldChange[] {
  const byName = (items: Record<string, unknown>[]) =>
    new Map(items.map((item) => [item['name'] as string, item]));
  const old = byName(before);
  const next = byName(after);
  const changes: FieldChange[] = [];
  for (const [name, item] of next)
    changes.push(...fieldChanges(old.get(name), item, [...at, name]));
  for (const [name, item] of old) {
    if (!next.has(name)) changes.push({ path: joinPath([...at, name]), before: item });
  }
  const order = (items: Record<string, unknown>[]) =>
    items.map((item) => item['name'] as string).filter((name) => old.has(name) && next.has(name));
  if (changes.length === 0 && !sameJson(order(before), order(after))) {
    changes.push({ path: joinPath(at), before: order(before), after: order(after) });
  }
  return changes;
}

/** Characters of a value a plan shows; enough for a behavior, short of a whole policy. */
const MAX_SHOWN_CHARACTERS = 400;

/** Renders a value of a field change as JSON, shortening values past 400 characters. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  if (text.length <= MAX_SHOWN_CHARACTERS) return text;
  return `${text.slice(0, MAX_SHOWN_CHARACTERS - 3)}...`;
}

/** Returns a copy without undefined members, as JSON would send it. */
export function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Returns a copy with object members sorted by name at every level, for stable keys. */
export function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (!isObject(value)) return value;
  const entries = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => compareText(a, b));
  return Object.fromEntries(entries.map(([key, member]) => [key, sortedJson(member)]));
}

/** Orders strings by UTF-16 code units, as `Array.prototype.sort` does, for any locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamedOrEmpty(value: unknown): value is Record<string, unknown>[] {
  return isNamedList(value) || (Array.isArray(value) && value.length === 0);
}

function isNamedList(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const names = value.map((item) => (isObject(item) ? item['name'] : undefined));
  return names.every((name) => typeof name === 'string') && new Set(names).size === names.length;
}
