import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { readCertificateKey } from './certificate-key.ts';
import { checkSignatureAlgorithm } from './signature-algorithm.ts';
import { opensslSignedCertificate } from './testing/weak-keys.ts';

describe('checkSignatureAlgorithm', () => {
  test('flags certificates signed with MD5 and SHA-1 by the openssl tool', () => {
    const cases: Array<[string, string, string, string]> = [
      ['md5', 'md5WithRSAEncryption', '1.2.840.113549.1.1.4', 'MD5'],
      ['sha1', 'sha1WithRSAEncryption', '1.2.840.113549.1.1.5', 'SHA-1'],
    ];
    for (const [digest, name, oid, hash] of cases) {
      const { certificatePem } = opensslSignedCertificate(digest);
      assert.deepEqual(checkSignatureAlgorithm(readCertificateKey(certificatePem)), {
        code: 'SIGNATURE_ALGORITHM_WEAK',
        message: `Certificate is signed with ${name}, whose ${hash} digest allows forged certificates through collisions`,
        evidence: { SIGNATURE_ALGORITHM: name, SIGNATURE_ALGORITHM_OID: oid },
      });
    }
  });

  test('passes SHA-256 signatures and a self-signed root whatever its digest', () => {
    const sha256 = opensslSignedCertificate('sha256');
    const root = readCertificateKey(opensslSignedCertificate('sha1').caPem);

    assert.equal(checkSignatureAlgorithm(readCertificateKey(sha256.certificatePem)), undefined);
    assert.equal(root.selfIssued, true);
    assert.equal(checkSignatureAlgorithm(root), undefined);
  });
});
