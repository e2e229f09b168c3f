import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseTemplate, resolvePattern, templateVariables } from './policy-variables.ts';
import { ANY_CHAR, STAR } from './wildcard.ts';

const VALUES: Record<string, string> = {
  'iot:ClientId': 'dev-1',
  'iot:Connection.Thing.ThingName': 'dev-1',
};
const lookup = (name: string): string | undefined => VALUES[name];

test('parseTemplate splits text, escapes, variables and defaults', () => {
  const template = parseTemplate("a/${iot:ClientId}/${*}${?}${$}/$(*)/${ iot:Thing , 'guest' }/*");
  assert.deepEqual(template.parts, [
    { kind: 'text', text: 'a/' },
    { kind: 'variable', name: 'iot:ClientId' },
    { kind: 'text', text: '/' },
    { kind: 'literal', text: '*' },
    { kind: 'literal', text: '?' },
    { kind: 'literal', text: '$' },
    { kind: 'text', text: '/' },
    { kind: 'literal', text: '*' },
    { kind: 'text', text: '/' },
    { kind: 'variable', name: 'iot:Thing', defaultValue: 'guest' },
    { kind: 'text', text: '/*' },
  ]);
  assert.equal(template.hasVariables, true);
  assert.deepEqual(templateVariables(template), ['iot:ClientId', 'iot:Thing']);
});

test('parseTemplate keeps an unclosed ${ and a lone $ as text', () => {
  assert.deepEqual(parseTemplate('a/${iot:ClientId').parts, [
    { kind: 'text', text: 'a/${iot:ClientId' },
  ]);
  assert.deepEqual(parseTemplate('$aws/things').parts, [{ kind: 'text', text: '$aws/things' }]);
  assert.equal(parseTemplate('$aws/things').hasVariables, false);
});

test('parseTemplate without variables keeps the whole string as text', () => {
  const template = parseTemplate('topic/${iot:ClientId}', false);
  assert.deepEqual(template.parts, [{ kind: 'text', text: 'topic/${iot:ClientId}' }]);
  assert.equal(template.hasVariables, false);
});

test('resolvePattern makes substituted values and escapes literal', () => {
  assert.deepEqual(resolvePattern(parseTemplate('t/${iot:ClientId}/*'), lookup), [
    't/',
    'dev-1',
    '/',
    STAR,
  ]);
  assert.deepEqual(resolvePattern(parseTemplate('room?${?}'), lookup), ['room', ANY_CHAR, '?']);
  assert.equal(resolvePattern(parseTemplate('t/${iot:Unknown}/*'), lookup), undefined);
  assert.deepEqual(resolvePattern(parseTemplate("t/${iot:Unknown, 'none'}"), lookup), [
    't/',
    'none',
  ]);
});
