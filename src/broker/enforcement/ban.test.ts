import assert from 'node:assert/strict';
import { test } from 'node:test';
import { banMatches, compileBan, describeBan, sourceIpBlock, type BanRecord } from './ban.ts';

function ban(scope: BanRecord['scope'], value: string): BanRecord {
  return {
    banId: 'ban-1',
    scope,
    value,
    reason: 'Port scan',
    rule: 'security profile "cameras", behavior "port-scan"',
    createdAt: Date.UTC(2026, 11, 4, 12),
    expiresAt: Date.UTC(2026, 11, 4, 13),
  };
}

const CERTIFICATE = 'a'.repeat(64);

test('banMatches compares each scope', () => {
  const connection = { clientId: 'cam-1', certificateId: CERTIFICATE, sourceIp: '10.1.2.3' };
  const cases: [BanRecord['scope'], string, Partial<typeof connection>, boolean][] = [
    ['CLIENT_ID', 'cam-1', {}, true],
    ['CLIENT_ID', 'cam-2', {}, false],
    ['CERTIFICATE', CERTIFICATE, {}, true],
    ['CERTIFICATE', 'b'.repeat(64), {}, false],
    ['SOURCE_IP', '10.1.2.3/32', {}, true],
    ['SOURCE_IP', '10.1.2.0/24', {}, true],
    ['SOURCE_IP', '10.1.3.0/24', {}, false],
    ['SOURCE_IP', '10.1.2.3/32', { sourceIp: '::ffff:10.1.2.3' }, true],
    ['SOURCE_IP', '2001:db8::/64', { sourceIp: '2001:db8::17' }, true],
    ['SOURCE_IP', '2001:db8::/64', { sourceIp: '2001:db9::17' }, false],
    ['SOURCE_IP', '2001:db8::/64', {}, false],
    ['SOURCE_IP', '10.1.2.3/32', { sourceIp: '' }, false],
  ];
  for (const [scope, value, override, expected] of cases) {
    const actual = banMatches(compileBan(ban(scope, value)), { ...connection, ...override });
    assert.equal(actual, expected, `${scope} ${value} against ${JSON.stringify(override)}`);
  }
});

test('compileBan rejects a bad block', () => {
  assert.throws(() => compileBan(ban('SOURCE_IP', '10.1.2.300/32')), {
    code: 'InvalidRequestException',
    message: 'Invalid ban "ban-1": Invalid CIDR "10.1.2.300/32": octet "300" is out of range 0-255',
  });
});

test('sourceIpBlock builds blocks', () => {
  const cases: [string, number | undefined, string][] = [
    ['127.0.0.1', undefined, '127.0.0.1/32'],
    ['10.1.2.3', 24, '10.1.2.0/24'],
    ['::ffff:10.1.2.3', 16, '10.1.0.0/16'],
    ['10.1.2.3', 64, '10.1.2.3/32'],
    ['2001:db8::1', undefined, '2001:db8::1/128'],
    ['2001:db8::1', 64, '2001:db8::/64'],
  ];
  for (const [address, prefixLength, expected] of cases)
    assert.equal(sourceIpBlock(address, prefixLength), expected, `${address}/${prefixLength}`);
});

test('sourceIpBlock rejects bad input', () => {
  const cases: [string, number | undefined, string][] = [
    ['cam-1', undefined, 'Cannot ban source IP: Invalid IP address "cam-1": '],
    ['10.0.0.1', 0, 'Invalid sourceIpPrefixLength "0": must be 1-128'],
    ['10.0.0.1', 129, 'Invalid sourceIpPrefixLength "129": must be 1-128'],
    ['10.0.0.1', 1.5, 'Invalid sourceIpPrefixLength "1.5": must be 1-128'],
  ];
  for (const [address, prefixLength, message] of cases) {
    assert.throws(
      () => sourceIpBlock(address, prefixLength),
      (error: Error & { code?: string }) =>
        error.code === 'InvalidRequestException' && error.message.startsWith(message),
      `${address}/${prefixLength}`,
    );
  }
});

test('describeBan names scope and end', () => {
  assert.equal(
    describeBan(ban('CLIENT_ID', 'cam-1')),
    'Client ID "cam-1" is banned until 2026-12-04T13:00:00.000Z: Port scan',
  );
  assert.equal(
    describeBan(ban('CERTIFICATE', CERTIFICATE)),
    `Certificate "${CERTIFICATE}" is banned until 2026-12-04T13:00:00.000Z: Port scan`,
  );
  assert.equal(
    describeBan(ban('SOURCE_IP', '10.1.2.0/24')),
    'Source IP range "10.1.2.0/24" is banned until 2026-12-04T13:00:00.000Z: Port scan',
  );
});
