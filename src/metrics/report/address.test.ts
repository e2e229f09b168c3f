import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIpAddress, parseRemoteAddress } from './address.ts';

describe('parseRemoteAddress', () => {
  it('returns the IP address of each accepted form', () => {
    const cases: [string, string][] = [
      ['192.168.0.1:8000', '192.168.0.1'],
      ['10.0.0.1:0', '10.0.0.1'],
      ['[2001:DB8::1]:443', '2001:db8::1'],
      ['[::ffff:192.0.2.1]:65535', '::ffff:192.0.2.1'],
      ['2001:db8:0:0:0:0:0:1:443', '2001:db8:0:0:0:0:0:1'],
      ['::ffff:192.0.2.1:443', '::ffff:192.0.2.1'],
    ];
    for (const [text, ip] of cases) assert.equal(parseRemoteAddress(text), ip, text);
  });

  it('returns undefined for each malformed address', () => {
    const cases = [
      '192.168.0.1',
      '192.168.0.1:',
      '192.168.0.1:65536',
      '192.168.0.1:8o',
      '192.168.0.01:80',
      '300.1.1.1:80',
      'example.com:80',
      '2001:db8::1:443',
      '2001:db8::1',
      '[2001:db8::1]',
      '[2001:db8::1]443',
      '[fe80::1%eth0]:443',
      '[192.168.0.1]:80',
      ':80',
      '',
    ];
    for (const text of cases) assert.equal(parseRemoteAddress(text), undefined, text);
  });
});

describe('isIpAddress', () => {
  it('accepts IPv4 and IPv6 addresses and nothing else', () => {
    for (const ip of ['172.0.0.10', '::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1']) {
      assert.equal(isIpAddress(ip), true, ip);
    }
    for (const text of ['172.0.0.256', '10.0.0.0/8', 'fe80::1%eth0', 'localhost', '']) {
      assert.equal(isIpAddress(text), false, text);
    }
  });
});
