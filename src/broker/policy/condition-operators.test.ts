import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  buildValueTest,
  clauseHolds,
  parseConditionOperator,
  parseDate,
  type ConditionOperator,
} from './condition-operators.ts';
import { STAR, wildcardPieces } from './wildcard.ts';

function operator(name: string): ConditionOperator {
  const parsed = parseConditionOperator(name);
  assert.ok(parsed, `operator ${name} should parse`);
  return parsed;
}

/** Decides a clause whose policy values are plain text (`*` and `?` as the policy wrote them). */
function holds(
  name: string,
  values: string[],
  contextValue: string | string[] | undefined,
): boolean {
  const parsed = operator(name);
  return clauseHolds(parsed, buildValueTest(parsed, values.map(wildcardPieces)), contextValue);
}

test('parseConditionOperator reads qualifiers and the IfExists suffix', () => {
  const parsed = operator('ForAllValues:StringNotLikeIfExists');
  assert.equal(parsed.base, 'StringNotLike');
  assert.equal(parsed.family, 'String');
  assert.equal(parsed.negated, true);
  assert.equal(parsed.qualifier, 'ForAllValues');
  assert.equal(parsed.ifExists, true);

  for (const name of [
    'stringequals',
    'StringEqualz',
    'IfExists',
    'ForSomeValues:StringEquals',
    'NullIfExists',
  ]) {
    assert.equal(parseConditionOperator(name), undefined, name);
  }
  assert.equal(operator('ArnEquals').comparison, 'like');
  assert.equal(operator('NotIpAddress').negated, true);
});

test('a missing key is false for positive operators and true for negated ones', () => {
  const cases: [name: string, expected: boolean][] = [
    ['StringEquals', false],
    ['StringLike', false],
    ['StringNotEquals', true],
    ['StringNotLike', true],
    ['StringEqualsIfExists', true],
    ['StringNotEqualsIfExists', true],
    ['ForAnyValue:StringEquals', false],
    ['ForAllValues:StringEquals', true],
  ];
  for (const [name, expected] of cases) {
    assert.equal(holds(name, ['a'], undefined), expected, name);
  }
  assert.equal(holds('ForAnyValue:StringEquals', ['a'], []), false, 'empty list');
  assert.equal(holds('ForAllValues:StringEquals', ['a'], []), true, 'empty list');
});

test('IfExists still tests a present key', () => {
  assert.equal(holds('StringEqualsIfExists', ['a'], 'a'), true);
  assert.equal(holds('StringEqualsIfExists', ['a'], 'b'), false);
});

test('string operators compare as documented', () => {
  const cases: [name: string, values: string[], value: string, expected: boolean][] = [
    ['StringEquals', ['a', 'b'], 'b', true],
    ['StringEquals', ['A'], 'a', false],
    ['StringEquals', ['a*'], 'a*', true],
    ['StringEquals', ['a*'], 'ab', false],
    ['StringNotEquals', ['a', 'b'], 'b', false],
    ['StringNotEquals', ['a', 'b'], 'c', true],
    ['StringEqualsIgnoreCase', ['Example Corp'], 'EXAMPLE corp', true],
    ['StringNotEqualsIgnoreCase', ['Example Corp'], 'EXAMPLE corp', false],
    ['StringLike', ['dev-*'], 'dev-42', true],
    ['StringLike', ['dev-?'], 'dev-42', false],
    ['StringNotLike', ['dev-*'], 'prod-1', true],
    ['Bool', ['true'], 'TRUE', true],
    ['Bool', ['true'], 'false', false],
    ['BinaryEquals', ['aGVsbG8='], 'hello', true],
    ['BinaryEquals', ['aGVsbG8='], 'hellO', false],
  ];
  for (const [name, values, value, expected] of cases) {
    assert.equal(
      holds(name, values, value),
      expected,
      `${name} ${JSON.stringify(values)} ${value}`,
    );
  }
});

test('StringLike keeps an escaped asterisk literal', () => {
  const parsed = operator('StringLike');
  const literalStar = buildValueTest(parsed, [['a', '*']]);
  assert.equal(clauseHolds(parsed, literalStar, 'a*'), true);
  assert.equal(clauseHolds(parsed, literalStar, 'ab'), false);
  const wildcard = buildValueTest(parsed, [['a', STAR]]);
  assert.equal(clauseHolds(parsed, wildcard, 'ab'), true);
});

test('numeric and date operators compare numbers and instants', () => {
  const cases: [name: string, values: string[], value: string, expected: boolean][] = [
    ['NumericEquals', ['10'], '10.0', true],
    ['NumericNotEquals', ['10'], '11', true],
    ['NumericLessThan', ['10'], '9.5', true],
    ['NumericLessThan', ['10'], '10', false],
    ['NumericLessThanEquals', ['10'], '10', true],
    ['NumericGreaterThan', ['10'], '11', true],
    ['NumericGreaterThanEquals', ['10'], '9', false],
    ['NumericEquals', ['10'], 'ten', false],
    ['DateLessThan', ['2026-01-01T00:00:00Z'], '2025-12-31T23:59:59Z', true],
    ['DateLessThan', ['2026-01-01T00:00:00Z'], '1767225600', false],
    ['DateEquals', ['1767225600'], '2026-01-01T00:00:00Z', true],
    ['DateGreaterThanEquals', ['2026-01-01'], '2026-01-01T00:00:00Z', true],
    ['DateNotEquals', ['2026-01-01T00:00:00Z'], '2026-01-01T01:00:00+01:00', false],
  ];
  for (const [name, values, value, expected] of cases) {
    assert.equal(
      holds(name, values, value),
      expected,
      `${name} ${JSON.stringify(values)} ${value}`,
    );
  }
  assert.equal(parseDate('2026-13-01'), undefined);
  assert.equal(parseDate('2026-01-01T00:00Z'), Date.UTC(2026, 0, 1));
});

test('ARN operators match each component separately', () => {
  const pattern = ['arn:aws:iot:*:123456789012:thing/*'];
  assert.equal(holds('ArnLike', pattern, 'arn:aws:iot:us-east-1:123456789012:thing/a:b'), true);
  assert.equal(holds('ArnLike', pattern, 'arn:aws:iot:us-east-1:999999999999:thing/a'), false);
  assert.equal(
    holds('ArnEquals', ['arn:aws:iot:*:*:thing/a'], 'arn:aws:iot:eu-west-1:1:thing/a'),
    true,
  );
  // StringLike lets * cross colons, ArnLike does not.
  const crossing = ['arn:aws:iot:*:123456789012:thing/*'];
  const value = 'arn:aws:iot:us-east-2:999999999999:store/abc:123456789012:thing/x';
  assert.equal(holds('StringLike', crossing, value), true);
  assert.equal(holds('ArnLike', crossing, value), false);
  assert.equal(holds('ArnNotLike', pattern, 'not-an-arn'), true);
});

test('IP operators match IPv4 and IPv6 blocks', () => {
  const blocks = ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'];
  assert.equal(holds('IpAddress', blocks, '203.0.113.200'), true);
  assert.equal(holds('IpAddress', blocks, '198.51.100.7'), true);
  assert.equal(holds('IpAddress', blocks, '198.51.100.8'), false);
  assert.equal(holds('IpAddress', blocks, '2001:db8:ffff::1'), true);
  assert.equal(holds('IpAddress', blocks, '::ffff:203.0.113.1'), true);
  assert.equal(holds('IpAddress', blocks, 'not-an-ip'), false);
  assert.equal(holds('NotIpAddress', blocks, '192.0.2.1'), true);
  assert.equal(holds('NotIpAddress', blocks, '203.0.113.1'), false);
});

test('Null tests whether the key is present', () => {
  assert.equal(holds('Null', ['true'], undefined), true);
  assert.equal(holds('Null', ['true'], 'x'), false);
  assert.equal(holds('Null', ['false'], 'x'), true);
  assert.equal(holds('Null', ['false'], undefined), false);
});

test('set qualifiers apply the operator to every item of a list key', () => {
  const organizations = ['Example Corp', 'AnyCompany'];
  assert.equal(
    holds('ForAllValues:StringEquals', ['Example Corp', 'AnyCompany', 'Other'], organizations),
    true,
  );
  assert.equal(holds('ForAllValues:StringEquals', ['Example Corp'], organizations), false);
  assert.equal(holds('ForAnyValue:StringEquals', ['AnyCompany'], organizations), true);
  assert.equal(holds('ForAnyValue:StringEquals', ['Other'], organizations), false);
  assert.equal(holds('ForAnyValue:StringNotEquals', ['Example Corp'], organizations), true);
  assert.equal(holds('ForAllValues:StringNotEquals', ['Example Corp'], organizations), false);
  // Without a qualifier: a positive operator needs one matching item, a Not operator none.
  assert.equal(holds('StringEquals', ['AnyCompany'], organizations), true);
  assert.equal(holds('StringNotEquals', ['AnyCompany'], organizations), false);
  assert.equal(holds('StringNotEquals', ['Other'], organizations), true);
});
