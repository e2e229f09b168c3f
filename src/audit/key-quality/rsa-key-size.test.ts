import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import { checkRsaKeySize } from './rsa-key-size.ts';

describe('checkRsaKeySize', () => {
  test('flags an RSA-1024 key with its size', async () => {
    const ca = await createTestCa('Size CA');
    const device = await issueTestCertificate(ca, 'short', { keyType: 'rsa-1024' });

    assert.deepEqual(checkRsaKeySize(readCertificateKey(device.certPem)), {
      code: 'RSA_KEY_TOO_SHORT',
      message: 'RSA modulus is 1024 bits, under the 2048-bit minimum',
      evidence: { MODULUS_BITS: '1024', MINIMUM_MODULUS_BITS: '2048' },
    });
  });

  test('passes RSA-2048 and EC keys, and honours a higher minimum', async () => {
    const ca = await createTestCa('Size CA');
    const rsa = readCertificateKey(
      (await issueTestCertificate(ca, 'rsa', { keyType: 'rsa-2048' })).certPem,
    );
    const ec = readCertificateKey((await issueTestCertificate(ca, 'ec')).certPem);

    assert.equal(checkRsaKeySize(rsa), undefined);
    assert.equal(checkRsaKeySize(ec), undefined);
    assert.equal(
      checkRsaKeySize(rsa, 3072)?.message,
      'RSA modulus is 2048 bits, under the 3072-bit minimum',
    );
  });
});
