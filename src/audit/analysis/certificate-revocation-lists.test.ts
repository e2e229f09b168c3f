import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { TestFleet, NOW, DAY } from '../checks/test-fleet.ts';
import { CertificateAuthorities } from './certificate-authorities.ts';
import {
  findRevocation,
  normalizeSerialNumber,
  readRevocationLists,
} from './certificate-revocation-lists.ts';

describe('normalizeSerialNumber', () => {
  test('drops separators, case and leading zeros', () => {
    const cases: [string, string][] = [
      ['00:A1:b2', 'a1b2'],
      ['0A1B', 'a1b'],
      ['000', '0'],
      ['7f', '7f'],
    ];
    for (const [input, expected] of cases)
      assert.equal(normalizeSerialNumber(input), expected, input);
  });
});

describe('readRevocationLists', () => {
  test('indexes the serial numbers of a verified CRL with their revocation dates', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA', { keyType: 'ec-p384' });
    const device = await test.addDevice(ca, 'sensor-1');
    await test.addCrl(ca, [device], { nextUpdate: NOW + DAY });

    const lists = await readRevocationLists(test.fleet, new CertificateAuthorities(test.fleet));

    assert.deepEqual(lists.problems, []);
    const serial = device.pki.certificate.serialNumber.toUpperCase();
    assert.deepEqual(findRevocation(lists, ca.record.certificateId, serial, NOW), {
      list: lists.lists.get(ca.record.certificateId),
      revokedAt: NOW - 2 * DAY,
      stale: false,
    });
    assert.equal(
      findRevocation(lists, ca.record.certificateId, serial, NOW + 2 * DAY)?.stale,
      true,
    );
    assert.equal(findRevocation(lists, ca.record.certificateId, '01', NOW), undefined);
  });
});
