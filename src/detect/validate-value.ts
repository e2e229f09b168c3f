/**
 * Validation of `criteria.value`: exactly one `MetricValue` member, the one the metric takes,
 * with well-formed elements (non-negative integer counts, ports 0-65535, valid CIDRs of 2-43
 * characters, finite numbers, strings).
 */

import type { ComparisonOperator } from './behavior.ts';
import {
  addProblem,
  checkUnknownFields,
  describe,
  expectObject,
  isAbsent,
  listWords,
  metricLabel,
  quote,
  type BehaviorScope,
} from './behavior-problem.ts';
import { parseCidr } from './cidr.ts';
import type { MetricRules, MetricValueKind } from './metric-catalog.ts';

const VALUE_MEMBERS = ['count', 'cidrs', 'ports', 'number', 'numbers', 'strings'] as const;

/** Members each operator can take when the metric is unknown. */
const MEMBERS_BY_OPERATOR: Record<ComparisonOperator, readonly MetricValueKind[]> = {
  'less-than': ['count', 'number'],
  'less-than-equals': ['count', 'number'],
  'greater-than': ['count', 'number'],
  'greater-than-equals': ['count', 'number'],
  'in-port-set': ['ports'],
  'not-in-port-set': ['ports'],
  'in-cidr-set': ['cidrs'],
  'not-in-cidr-set': ['cidrs'],
  'in-set': ['numbers', 'strings'],
  'not-in-set': ['numbers', 'strings'],
};

/**
 * Checks `criteria.value` and returns its number of value elements: 1 for a count or number,
 * the length for a list. For a custom `number` metric, `count` is accepted as an alias of
 * `number` and normalization stores it as `number`. Whether AWS accepts the alias is not
 * documented.
 */
export function checkValue(
  scope: BehaviorScope,
  raw: unknown,
  rules: MetricRules | undefined,
  operator: ComparisonOperator | undefined,
): number {
  const value = expectObject(scope, raw, 'criteria.value');
  if (value === undefined) return 0;
  checkUnknownFields(scope, value, VALUE_MEMBERS, 'criteria.value');

  const members = VALUE_MEMBERS.filter((member) => !isAbsent(value[member]));
  if (members.length === 0) {
    addProblem(
      scope,
      'InvalidValue',
      'criteria.value',
      '"criteria.value" must contain one member, got none',
    );
    return 0;
  }
  if (members.length > 1) {
    const supplied = listWords(
      members.map((member) => `"${member}"`),
      'and',
    );
    const detail = `"criteria.value" must contain exactly one member, got ${supplied}`;
    addProblem(scope, 'InvalidValue', 'criteria.value', detail);
  }

  let elements = 0;
  for (const member of members) {
    elements += countElements(value[member]);
    if (isExpectedMember(scope, member, rules, operator)) {
      checkMember(scope, member, value[member], rules?.customType === 'number');
    }
  }
  return elements;
}

function countElements(raw: unknown): number {
  return Array.isArray(raw) ? raw.length : 1;
}

/** Records a problem when the member does not suit the metric, or the operator if unknown. */
function isExpectedMember(
  scope: BehaviorScope,
  member: MetricValueKind,
  rules: MetricRules | undefined,
  operator: ComparisonOperator | undefined,
): boolean {
  if (rules === undefined) {
    return operator === undefined || MEMBERS_BY_OPERATOR[operator].includes(member);
  }
  const aliasOfNumber = rules.customType === 'number' && member === 'count';
  if (member === rules.valueKind || aliasOfNumber) return true;

  const detail = `value member ${quote(member)} does not match ${metricLabel(rules)}; use "value.${rules.valueKind}"`;
  addProblem(scope, 'InvalidValue', `criteria.value.${member}`, detail);
  return false;
}

function checkMember(
  scope: BehaviorScope,
  member: MetricValueKind,
  raw: unknown,
  countIsNumber: boolean,
): void {
  const field = `criteria.value.${member}`;
  switch (member) {
    case 'count':
      if (countIsNumber) checkNumber(scope, raw, field);
      else checkCount(scope, raw, field);
      return;
    case 'number':
      checkNumber(scope, raw, field);
      return;
    case 'ports':
      forEachElement(scope, raw, field, checkPort);
      return;
    case 'cidrs':
      forEachElement(scope, raw, field, checkCidr);
      return;
    case 'numbers':
      forEachElement(scope, raw, field, checkNumber);
      return;
    case 'strings':
      forEachElement(scope, raw, field, checkString);
      return;
  }
}

function forEachElement(
  scope: BehaviorScope,
  raw: unknown,
  field: string,
  check: (scope: BehaviorScope, element: unknown, field: string) => void,
): void {
  if (!Array.isArray(raw)) {
    addProblem(scope, 'InvalidType', field, `${quote(field)} must be a list, got ${describe(raw)}`);
    return;
  }
  raw.forEach((element, index) => check(scope, element, `${field}[${index}]`));
}

function checkCount(scope: BehaviorScope, raw: unknown, field: string): void {
  if (Number.isSafeInteger(raw) && (raw as number) >= 0) return;
  const detail = `invalid count ${quote(raw)} at ${quote(field)}: must be a non-negative integer`;
  addProblem(scope, 'InvalidValue', field, detail);
}

function checkNumber(scope: BehaviorScope, raw: unknown, field: string): void {
  if (typeof raw === 'number' && Number.isFinite(raw)) return;
  const detail = `invalid number ${quote(raw)} at ${quote(field)}: must be a finite number`;
  addProblem(scope, 'InvalidValue', field, detail);
}

function checkString(scope: BehaviorScope, raw: unknown, field: string): void {
  if (typeof raw === 'string') return;
  addProblem(
    scope,
    'InvalidValue',
    field,
    `invalid string ${quote(raw)} at ${quote(field)}: must be a string`,
  );
}

function checkPort(scope: BehaviorScope, raw: unknown, field: string): void {
  if (Number.isInteger(raw) && (raw as number) >= 0 && (raw as number) <= 65535) return;
  const detail = `invalid port ${quote(raw)} at ${quote(field)}: must be an integer 0-65535`;
  addProblem(scope, 'InvalidPort', field, detail);
}

/** Checks the model's 2-43 character limit, then the address and prefix themselves. */
function checkCidr(scope: BehaviorScope, raw: unknown, field: string): void {
  let reason: string | undefined;
  if (typeof raw !== 'string') reason = 'must be a string';
  else if (raw.length < 2 || raw.length > 43) reason = 'must be 2-43 characters';
  else {
    const parsed = parseCidr(raw);
    if (!parsed.ok) reason = parsed.reason;
  }
  if (reason === undefined) return;
  addProblem(
    scope,
    'InvalidCidr',
    field,
    `invalid CIDR ${quote(raw)} at ${quote(field)}: ${reason}`,
  );
}
