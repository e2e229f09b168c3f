import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  parseIpAddress,
  type Cidr,
} from './cidr.ts';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cidr;
}

describe('parseCidr', () => {
  test('parses blocks and bare addresses into canonical form', () => {
    const cases: [string, string, 4 | 6, number][] = [
      ['10.0.0.0/8', '10.0.0.0/8', 4, 8],
      ['0.0.0.0/0', '0.0.0.0/0', 4, 0],
      ['192.168.1.7/32', '192.168.1.7/32', 4, 32],
      ['192.168.1.7', '192.168.1.7/32', 4, 32],
      ['255.255.255.255', '255.255.255.255/32', 4, 32],
      ['10.1.2.3/8', '10.0.0.0/8', 4, 8],
      ['2001:db8::/32', '2001:db8::/32', 6, 32],
      ['2001:DB8::/32', '2001:db8::/32', 6, 32],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', 6, 128],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128', 6, 128],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3/128', 6, 128],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0/128', 6, 128],
      ['::', '::/128', 6, 128],
      ['::/0', '::/0', 6, 0],
      ['::1', '::1/128', 6, 128],
      ['fe80::/10', 'fe80::/10', 6, 10],
      ['::ffff:10.1.2.3', '::ffff:10.1.2.3/128', 6, 128],
      ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104', 6, 104],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221/128', 6, 128],
      ['2001:db8::ffff:ffff:ffff/127', '2001:db8::ffff:ffff:fffe/127', 6, 127],
    ];
    for (const [text, canonical, version, prefixLength] of cases) {
      const parsed = cidr(text);
      assert.equal(formatCidr(parsed), canonical, text);
      assert.equal(parsed.version, version, text);
      assert.equal(parsed.prefixLength, prefixLength, text);
    }
  });

  test('rejects malformed blocks with a reason', () => {
    const cases: [string, string][] = [
      ['10.0.0.256/8', 'octet "256" is out of range 0-255'],
      ['300.1.1.1/8', 'octet "300" is out of range 0-255'],
      ['10.0.0.0/33', 'prefix length "33" exceeds 32 for IPv4'],
      ['2001:db8::/129', 'prefix length "129" exceeds 128 for IPv6'],
      ['10.0.0.0/08', 'prefix length "08" is not a decimal number without leading zeros'],
      ['10.0.0.0/', 'prefix length "" is not a decimal number without leading zeros'],
      ['10.0.0.0/-1', 'prefix length "-1" is not a decimal number without leading zeros'],
      ['10.0.0.0/8/8', 'it contains more than one "/"'],
      ['', 'the text is empty'],
      ['/8', 'the address is empty'],
      ['10.0.0', 'expected 4 dot-separated octets, got 3'],
      ['10.0.0.0.0', 'expected 4 dot-separated octets, got 5'],
      ['01.2.3.4', 'octet "01" has a leading zero'],
      ['1.2.3.x', 'octet "x" is not a decimal number 0-255'],
      ['1.2..4', 'octet "" is not a decimal number 0-255'],
      ['localhost', '"localhost" is not an IPv4 or IPv6 address'],
      ['1::2::3', '"::" appears more than once'],
      ['1:2:3:4:5:6:7', 'expected 8 groups of hexadecimal digits, got 7'],
      ['1:2:3:4:5:6:7:8:9', 'expected 8 groups of hexadecimal digits, got 9'],
      ['1:2:3:4:5:6:7:8::', '"::" must stand for at least one zero group, but 8 groups are given'],
      ['12345::', 'group "12345" is not 1-4 hexadecimal digits'],
      ['fe80::1%eth0', 'group "1%eth0" is not 1-4 hexadecimal digits'],
      [':1:2:3:4:5:6:7', 'group "" is not 1-4 hexadecimal digits'],
      ['[::1]', 'group "[" is not 1-4 hexadecimal digits'],
      ['1.2.3.4::', 'dotted IPv4 part "1.2.3.4" must be the last 32 bits'],
      ['::ffff:1.2.3.256', 'octet "256" is out of range 0-255'],
      [' 10.0.0.0/8', 'octet " 10" is not a decimal number 0-255'],
    ];
    for (const [text, reason] of cases) {
      const parsed = parseCidr(text);
      assert.equal(parsed.ok, false, text);
      if (parsed.ok) continue;
      assert.equal(parsed.reason, reason, text);
      assert.equal(parsed.message, `Invalid CIDR ${JSON.stringify(text)}: ${reason}`, text);
    }
  });

  test('truncates long text in messages', () => {
    const parsed = parseCidr('x'.repeat(200));
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.message.length < 200, true);
    assert.match(parsed.message, /^Invalid CIDR "x{64}…": /);
  });
});

describe('parseIpAddress', () => {
  test('accepts addresses and rejects blocks', () => {
    const ok = parseIpAddress('2001:db8::1');
    assert.equal(ok.ok && formatCidr(ok.cidr), '2001:db8::1/128');

    const block = parseIpAddress('10.0.0.0/8');
    assert.equal(block.ok, false);
    if (block.ok) return;
    assert.equal(
      block.message,
      'Invalid IP address "10.0.0.0/8": an address must not have a prefix length',
    );

    const bad = parseIpAddress('10.0.0.999');
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.equal(bad.message, 'Invalid IP address "10.0.0.999": octet "999" is out of range 0-255');
  });
});

describe('cidrContains', () => {
  test('applies prefix math in both families', () => {
    const cases: [string, string, boolean][] = [
      ['10.0.0.0/8', '10.255.255.255', true],
      ['10.0.0.0/8', '11.0.0.0', false],
      ['10.0.0.0/8', '9.255.255.255', false],
      ['10.0.0.0/8', '10.1.0.0/16', true],
      ['10.1.0.0/16', '10.0.0.0/8', false],
      ['0.0.0.0/0', '255.255.255.255', true],
      ['0.0.0.0/0', '2001:db8::1', false],
      ['192.168.1.7/32', '192.168.1.7', true],
      ['192.168.1.7/32', '192.168.1.8', false],
      ['192.168.1.0/25', '192.168.1.127', true],
      ['192.168.1.0/25', '192.168.1.128', false],
      ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
      ['2001:db8::/32', '2001:db9::', false],
      ['2001:db8::1/128', '2001:db8::1', true],
      ['2001:db8::1/128', '2001:db8::2', false],
      ['fe80::/10', 'febf::1', true],
      ['fe80::/10', 'fec0::1', false],
      ['::/0', '2001:db8::1', true],
      ['::/0', '10.0.0.1', true],
    ];
    for (const [outer, inner, expected] of cases) {
      assert.equal(cidrContains(cidr(outer), cidr(inner)), expected, `${outer} contains ${inner}`);
    }
  });

  test('matches IPv4-mapped IPv6 addresses against IPv4 blocks', () => {
    assert.equal(cidrContains(cidr('10.0.0.0/8'), cidr('::ffff:10.9.8.7')), true);
    assert.equal(cidrContains(cidr('10.0.0.0/8'), cidr('::ffff:a09:807')), true);
    assert.equal(cidrContains(cidr('10.0.0.0/8'), cidr('::ffff:11.0.0.1')), false);
    assert.equal(cidrContains(cidr('::ffff:10.0.0.0/104'), cidr('10.200.0.1')), true);
    assert.equal(cidrContains(cidr('::ffff:0:0/96'), cidr('203.0.113.9')), true);
    assert.equal(cidrContains(cidr('::ffff:10.0.0.0/104'), cidr('11.0.0.1')), false);
    assert.equal(cidrContains(cidr('0.0.0.0/0'), cidr('::10.0.0.1')), false);
  });
});

describe('cidrsOverlap', () => {
  test('detects shared addresses', () => {
    assert.equal(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.5.0.0/16')), true);
    assert.equal(cidrsOverlap(cidr('10.5.0.0/16'), cidr('10.0.0.0/8')), true);
    assert.equal(cidrsOverlap(cidr('10.0.0.0/9'), cidr('10.128.0.0/9')), false);
    assert.equal(cidrsOverlap(cidr('10.0.0.0/8'), cidr('2001:db8::/32')), false);
    assert.equal(cidrsOverlap(cidr('192.168.0.0/31'), cidr('192.168.0.1')), true);
  });
});
