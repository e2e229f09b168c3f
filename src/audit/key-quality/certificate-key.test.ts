import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';

import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import { certificateForSpki, generatedSpki } from './testing/weak-keys.ts';

describe('readCertificateKey', () => {
  test('reads the RSA modulus and exponent that node reads', async () => {
    const ca = await createTestCa('Key CA');
    const device = await issueTestCertificate(ca, 'rsa-device', { keyType: 'rsa-2048' });
    const key = readCertificateKey(device.certPem);
    const jwk = new X509Certificate(device.certPem).publicKey.export({ format: 'jwk' });

    assert.equal(key.keyAlgorithm, 'RSA');
    assert.equal(
      key.rsa?.modulus,
      BigInt(`0x${Buffer.from(jwk.n ?? '', 'base64url').toString('hex')}`),
    );
    assert.equal(key.rsa?.modulusBits, 2048);
    assert.equal(key.rsa?.publicExponent, 65537n);
    assert.equal(key.signatureAlgorithmOid, '1.2.840.10045.4.3.2');
    assert.equal(key.selfIssued, false);
    assert.deepEqual(
      key.subjectPublicKeyInfo,
      new X509Certificate(device.certPem).publicKey.export({ type: 'spki', format: 'der' }),
    );
  });

  test('reads EC curves and Ed25519 keys', async () => {
    const ca = await createTestCa('Curve CA');
    const ec = readCertificateKey(
      (await issueTestCertificate(ca, 'ec-device', { keyType: 'ec-p384' })).certPem,
    );
    const ed = readCertificateKey(
      await certificateForSpki(ca, 'ed-device', generatedSpki('ed25519')),
    );

    assert.equal(ec.keyAlgorithm, 'EC');
    assert.equal(ec.curveOid, '1.3.132.0.34');
    assert.equal(ed.keyAlgorithm, 'Ed25519');
    assert.equal(ed.curveOid, undefined);
  });

  test('marks a self-signed CA as self-issued', async () => {
    const ca = await createTestCa('Root CA', { keyType: 'rsa-2048' });
    const key = readCertificateKey(ca.certPem);

    assert.equal(key.selfIssued, true);
    assert.equal(key.signatureAlgorithmOid, '1.2.840.113549.1.1.11');
  });

  test('rejects input that is not a certificate', () => {
    const cases: Array<[string | Uint8Array, string]> = [
      ['no pem here', 'Invalid certificate: no PEM certificate block'],
      [
        Buffer.from([0x02, 0x01, 0x00]),
        'Invalid DER at byte 0: tag "0x02" where Certificate ("0x30") belongs',
      ],
      [
        Buffer.from([0x30, 0x05, 0x30]),
        'Invalid DER at byte 0: length 5 past the end of its container',
      ],
      [Buffer.from([0x30, 0x00]), 'Invalid DER: missing TBSCertificate'],
      [
        Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]),
        'Invalid DER at byte 0: length 2147483647 past the end of its container',
      ],
    ];
    for (const [input, message] of cases)
      assert.throws(() => readCertificateKey(input), { message });
  });
});
