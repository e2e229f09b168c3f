import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isValidTopicFilter, isValidTopicName, matchesTopicFilter } from './topic-filter.ts';

test('matchesTopicFilter follows MQTT 3.1.1 section 4.7', () => {
  const cases: [filter: string, topic: string, expected: boolean][] = [
    ['sport/tennis/player1', 'sport/tennis/player1', true],
    ['sport/tennis/player1', 'sport/tennis/player2', false],
    ['sport/tennis/player1', 'sport/tennis/player1/ranking', false],
    ['Sport/tennis', 'sport/tennis', false],
    // Multi-level wildcard: matches the parent level and any number of children.
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
    ['sport/#', 'sport', true],
    ['sport/#', 'sports', false],
    ['#', 'sport/tennis', true],
    ['#', '/', true],
    // Single-level wildcard: exactly one level, which may be empty.
    ['sport/tennis/+', 'sport/tennis/player1', true],
    ['sport/tennis/+', 'sport/tennis/player1/tournament', false],
    ['sport/+', 'sport', false],
    ['sport/+', 'sport/', true],
    ['+', 'sport', true],
    ['+', '/finance', false],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+/tennis/#', 'sport/tennis/player1', true],
    ['+/tennis/#', 'sport/tennis', true],
    ['+/+/+', 'a/b', false],
    ['a/+/c', 'a//c', true],
    // Empty levels are levels.
    ['a//b', 'a//b', true],
    ['a/b/', 'a/b', false],
    ['a/b', 'a/b/', false],
    ['/#', '/', true],
  ];
  for (const [filter, topic, expected] of cases) {
    assert.equal(matchesTopicFilter(filter, topic), expected, `${filter} vs ${topic}`);
  }
});

test('matchesTopicFilter keeps $ topics away from leading wildcards', () => {
  const cases: [filter: string, topic: string, expected: boolean][] = [
    ['#', '$SYS/broker/uptime', false],
    ['+/monitor/Clients', '$SYS/monitor/Clients', false],
    ['$SYS/#', '$SYS/monitor/Clients', true],
    ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
    ['$aws/things/+/shadow/update', '$aws/things/dev1/shadow/update', true],
    ['a/#', 'a/$b', true],
  ];
  for (const [filter, topic, expected] of cases) {
    assert.equal(matchesTopicFilter(filter, topic), expected, `${filter} vs ${topic}`);
  }
});

test('matchesTopicFilter matches nothing with an invalid filter', () => {
  const cases: [filter: string, topic: string][] = [
    ['sport/tennis#', 'sport/tennis'],
    ['sport/#/ranking', 'sport/x/ranking'],
    ['sport+', 'sport'],
    ['', ''],
    ['a', ''],
    ['', 'a'],
  ];
  for (const [filter, topic] of cases) {
    assert.equal(matchesTopicFilter(filter, topic), false, `${filter} vs ${topic}`);
  }
});

test('isValidTopicFilter accepts wildcards only as whole levels', () => {
  const valid = ['#', '+', 'sport/#', 'sport/+/player1', '+/+', '/', 'a//b', '$SYS/#', 'a/b/'];
  const invalid = ['', 'sport/tennis#', 'sport/#/ranking', 'sport+', 'a/b+/c', '##', 'a\u0000b'];
  for (const filter of valid) assert.equal(isValidTopicFilter(filter), true, filter);
  for (const filter of invalid)
    assert.equal(isValidTopicFilter(filter), false, JSON.stringify(filter));
});

test('isValidTopicName rejects wildcards, U+0000 and oversize names', () => {
  const valid = ['a', '/', 'sport/tennis', '$aws/things/x/shadow/get', 'é/ü'];
  const invalid = ['', 'a/+', 'a/#', 'a\u0000', 'é'.repeat(32768)];
  for (const topic of valid) assert.equal(isValidTopicName(topic), true, topic);
  for (const topic of invalid) assert.equal(isValidTopicName(topic), false, topic.slice(0, 10));
  assert.equal(isValidTopicName('a'.repeat(65535)), true);
  assert.equal(isValidTopicName('a'.repeat(65536)), false);
});
