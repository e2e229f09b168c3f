import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ANY_CHAR, compileWildcard, compileWildcardText, STAR } from './wildcard.ts';

test('compileWildcardText matches * and ? as IAM does', () => {
  const cases: [pattern: string, value: string, expected: boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'a/b:c', true],
    ['topic/*', 'topic/', true],
    ['topic/*', 'topic/a/b/c', true],
    ['topic/*', 'topics', false],
    ['*/end', 'a/b/end', true],
    ['*/end', 'a/b/ends', false],
    ['a*z', 'az', true],
    ['a*z', 'abcz', true],
    ['a*z', 'abzc', false],
    ['ab*ba', 'aba', false],
    ['room?', 'room1', true],
    ['room?', 'room', false],
    ['room?', 'room12', false],
    ['a?c*e', 'abcde', true],
    ['a?c*e', 'acde', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxaxxcxxbxx', false],
    ['a**b', 'ab', true],
    ['*?', '', false],
    ['*?', 'x', true],
    ['topic/+/#', 'topic/+/#', true],
    ['topic/+/#', 'topic/a/b', false],
  ];
  for (const [pattern, value, expected] of cases) {
    assert.equal(compileWildcardText(pattern).test(value), expected, `${pattern} vs ${value}`);
  }
});

test('wildcard ? matches one code point, not half of a surrogate pair', () => {
  assert.equal(compileWildcardText('a?b').test('a😀b'), true);
  assert.equal(compileWildcardText('a??b').test('a😀b'), false);
  assert.equal(compileWildcardText('*??').test('😀'), false);
  assert.equal(compileWildcardText('*?').test('x😀'), true);
});

test('wildcard literal pieces keep * and ? as plain characters', () => {
  const matcher = compileWildcard(['a', '*', STAR]);
  assert.equal(matcher.test('a*'), true);
  assert.equal(matcher.test('a*anything'), true);
  assert.equal(matcher.test('ab'), false);
  assert.equal(compileWildcard(['x?', ANY_CHAR]).test('x?y'), true);
  assert.equal(compileWildcard(['x?', ANY_CHAR]).test('xyy'), false);
  assert.equal(matcher.source, 'a**');
});

test('wildcard ignoreCase compares lower-cased pattern and value', () => {
  const matcher = compileWildcardText('iot:Pub*', { ignoreCase: true });
  assert.equal(matcher.test('IOT:PUBLISH'), true);
  assert.equal(matcher.test('iot:publish'), true);
  assert.equal(matcher.test('iot:Subscribe'), false);
  assert.equal(compileWildcardText('iot:Pub*').test('iot:publish'), false);
});
