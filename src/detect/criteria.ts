/**
 * Evaluation of one datapoint against static behavior criteria. Criteria describe normal
 * behavior, so `isCompliant` returns true when the datapoint satisfies them and false when it
 * is a violation.
 */

import { classifyCriteria } from './behavior.ts';
import type { BehaviorCriteria, ComparisonOperator } from './behavior.ts';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr.ts';
import type { Cidr } from './cidr.ts';
import type { MetricValueKind } from './metric-catalog.ts';
import type { MetricValue } from './metric-value.ts';

/**
 * Tells whether criteria can be evaluated in this release. Only STATIC criteria can, because
 * statistical thresholds and ML Detect behaviors are validated and stored, but their
 * evaluation is planned for a later release. Callers skip the criteria for which this is false.
 */
export function isEvaluable(criteria: BehaviorCriteria): boolean {
  return classifyCriteria(criteria) === 'STATIC';
}

/**
 * Compares a datapoint with static criteria. `kind` is the `MetricValue` member that carries
 * the metric's values (`count` for built-in numbers, `number` for custom numbers, and so on).
 *
 * - Numeric operators compare the datapoint with `value.count` or `value.number`. A custom
 *   number threshold stored under the `count` alias is read too.
 * - `in-port-set`, `in-cidr-set` and `in-set` hold when every reported element is in the set.
 *   `not-in-port-set`, `not-in-cidr-set` and `not-in-set` hold when no element is in it.
 * - An empty reported list is compliant with every list operator.
 * - A reported CIDR block counts as inside the set only when a set block contains all of it,
 *   and as outside only when it overlaps no set block. Unparsable reported addresses count as
 *   outside every block.
 *
 * @throws RangeError for STATISTICAL and MACHINE_LEARNING criteria, which this release does not
 *   evaluate (see `isEvaluable`).
 * @throws TypeError when the operator is missing, does not apply to `kind`, or the datapoint or
 *   threshold lacks the `kind` member. These are caller bugs, because validated behaviors and
 *   report datapoints always match.
 */
export function isCompliant(
  criteria: BehaviorCriteria,
  value: MetricValue,
  kind: MetricValueKind,
): boolean {
  const type = classifyCriteria(criteria);
  if (type !== 'STATIC') {
    throw new RangeError(
      `Cannot evaluate ${type} criteria: only static thresholds are evaluated in this release`,
    );
  }
  const operator = criteria.comparisonOperator;
  if (operator === undefined) throw new TypeError('Cannot evaluate criteria without an operator');

  switch (operator) {
    case 'less-than':
    case 'less-than-equals':
    case 'greater-than':
    case 'greater-than-equals':
      return compareNumbers(
        operator,
        observedNumber(value, kind, operator),
        threshold(criteria, kind),
      );
    case 'in-port-set':
    case 'not-in-port-set':
      requireKind(operator, kind, ['ports']);
      return compareSets(
        operator === 'in-port-set',
        observedList(value, 'ports'),
        portSet(criteria),
      );
    case 'in-cidr-set':
    case 'not-in-cidr-set':
      requireKind(operator, kind, ['cidrs']);
      return compareCidrs(
        operator === 'in-cidr-set',
        observedList(value, 'cidrs'),
        cidrSet(criteria),
      );
    case 'in-set':
    case 'not-in-set':
      requireKind(operator, kind, ['numbers', 'strings']);
      return compareSets(
        operator === 'in-set',
        observedList(value, kind),
        valueSet(criteria, kind),
      );
  }
}

function compareNumbers(operator: ComparisonOperator, observed: number, limit: number): boolean {
  if (operator === 'less-than') return observed < limit;
  if (operator === 'less-than-equals') return observed <= limit;
  if (operator === 'greater-than') return observed > limit;
  return observed >= limit;
}

function observedNumber(value: MetricValue, kind: MetricValueKind, operator: ComparisonOperator) {
  requireKind(operator, kind, ['count', 'number']);
  const observed = value[kind as 'count' | 'number'];
  if (typeof observed !== 'number') throw new TypeError(`Datapoint has no "${kind}" value`);
  return observed;
}

function threshold(criteria: BehaviorCriteria, kind: MetricValueKind): number {
  const limit =
    kind === 'number' ? (criteria.value?.number ?? criteria.value?.count) : criteria.value?.count;
  if (typeof limit !== 'number') throw new TypeError(`Criteria have no "value.${kind}" threshold`);
  return limit;
}

function requireKind(
  operator: ComparisonOperator,
  kind: MetricValueKind,
  kinds: MetricValueKind[],
) {
  if (!kinds.includes(kind)) {
    throw new TypeError(`Operator "${operator}" cannot compare "${kind}" values`);
  }
}

function observedList<K extends MetricValueKind>(value: MetricValue, kind: K) {
  const observed = value[kind];
  if (!Array.isArray(observed)) throw new TypeError(`Datapoint has no "${kind}" list`);
  return observed as readonly (number | string)[];
}

function compareSets(every: boolean, observed: readonly unknown[], set: ReadonlySet<unknown>) {
  if (every) return observed.every((element) => set.has(element));
  return !observed.some((element) => set.has(element));
}

function compareCidrs(every: boolean, observed: readonly unknown[], set: readonly Cidr[]) {
  const blocks = observed.map((text) => (typeof text === 'string' ? parseCidr(text) : undefined));
  if (every) {
    return blocks.every(
      (block) => block?.ok === true && set.some((cidr) => cidrContains(cidr, block.cidr)),
    );
  }
  return !blocks.some(
    (block) => block?.ok === true && set.some((cidr) => cidrsOverlap(cidr, block.cidr)),
  );
}

// Compiled threshold sets, keyed by the criteria's own arrays so that each stored behavior
// parses its CIDRs and builds its sets once. Stored behaviors are treated as immutable.
const portSets = new WeakMap<readonly number[], ReadonlySet<number>>();
const valueSets = new WeakMap<readonly unknown[], ReadonlySet<unknown>>();
const cidrSets = new WeakMap<readonly string[], readonly Cidr[]>();

function portSet(criteria: BehaviorCriteria): ReadonlySet<number> {
  const ports = criteria.value?.ports;
  if (ports === undefined) throw new TypeError('Criteria have no "value.ports" set');
  return cached(portSets, ports, () => new Set(ports));
}

function valueSet(criteria: BehaviorCriteria, kind: MetricValueKind): ReadonlySet<unknown> {
  const values = kind === 'numbers' ? criteria.value?.numbers : criteria.value?.strings;
  if (values === undefined) throw new TypeError(`Criteria have no "value.${kind}" set`);
  return cached(valueSets, values, () => new Set<unknown>(values));
}

function cidrSet(criteria: BehaviorCriteria): readonly Cidr[] {
  const cidrs = criteria.value?.cidrs;
  if (cidrs === undefined) throw new TypeError('Criteria have no "value.cidrs" set');
  return cached(cidrSets, cidrs, () =>
    cidrs.map((text) => {
      const parsed = parseCidr(text);
      if (!parsed.ok) throw new TypeError(`Criteria contain an invalid CIDR: ${parsed.message}`);
      return parsed.cidr;
    }),
  );
}

function cached<K extends object, V>(cache: WeakMap<K, V>, key: K, build: () => V): V {
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = build();
    cache.set(key, entry);
  }
  return entry;
}
