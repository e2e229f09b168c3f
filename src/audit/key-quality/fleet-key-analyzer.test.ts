import { factorFingerprint } from './bigint-math.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa, type TestCertificate } from '../../testing/pki.ts';
import { analyzeFleetKeys, type FleetCertificate } from './fleet-key-analyzer.ts';
import {
  certificateForSpki,
  publicSpki,
  randomPrime,
  rsaPrivateKeyFromPrimes,
} from './testing/weak-keys.ts';

async function rsaCertificate(
  ca: TestCertificate,
  id: string,
  p: bigint,
  q: bigint,
  inScope = true,
): Promise<FleetCertificate> {
  const pem = await certificateForSpki(ca, id, publicSpki(rsaPrivateKeyFromPrimes(p, q)));
  return { certificateId: id, pem, inScope };
}

describe('analyzeFleetKeys', () => {
  test('names the certificates whose moduli share a prime, in and out of scope', async () => {
    const ca = await createTestCa('Fleet CA');
    const [shared, a, b, c, d, e] = Array.from({ length: 6 }, () => randomPrime(1024));
    const certificates = [
      await rsaCertificate(ca, 'first', shared ?? 0n, a ?? 0n),
      await rsaCertificate(ca, 'second', shared ?? 0n, b ?? 0n),
      await rsaCertificate(ca, 'revoked', shared ?? 0n, c ?? 0n, false),
      await rsaCertificate(ca, 'clean', d ?? 0n, e ?? 0n),
    ];

    const findings = await analyzeFleetKeys(certificates);

    assert.deepEqual([...findings.keys()].sort(), ['first', 'second']);
    const first = findings.get('first')?.[0];
    assert.equal(first?.code, 'RSA_SHARED_PRIME');
    assert.equal(
      first?.message,
      'RSA modulus shares a prime factor with the keys of 2 other certificate(s), so both are factored',
    );
    assert.deepEqual(first?.relatedCertificateIds, ['second', 'revoked']);
    assert.deepEqual(first?.evidence, {
      SHARED_FACTOR_SHA256: factorFingerprint(shared ?? 0n),
      SHARED_FACTOR_IS_PRIME: 'true',
      RELATED_CERTIFICATE_IDS: 'second,revoked',
    });
  });

  test('does not flag two certificates that carry the same key', async () => {
    const ca = await createTestCa('Fleet CA');
    const [p, q] = [randomPrime(1024), randomPrime(1024)];
    const certificates = [
      await rsaCertificate(ca, 'issued', p, q),
      await rsaCertificate(ca, 'renewed', p, q),
    ];

    assert.deepEqual(await analyzeFleetKeys(certificates), new Map());
  });

  test('reports small factors found through the primorial in the batch gcd', async () => {
    const ca = await createTestCa('Fleet CA');
    const weak = await rsaCertificate(ca, 'small', 65521n, randomPrime(2032));
    const clean = await rsaCertificate(ca, 'clean', randomPrime(1024), randomPrime(1024));

    const findings = await analyzeFleetKeys([weak, clean]);

    assert.deepEqual(findings.get('small'), [
      {
        code: 'RSA_SMALL_FACTOR',
        message: 'RSA modulus is divisible by 65521, found by trial division up to 65536',
        evidence: { SMALL_FACTORS: '65521', COFACTOR_BITS: '2032' },
      },
    ]);
    assert.equal(findings.has('clean'), false);
  });

  test('keeps per-certificate findings to certificates in scope', async () => {
    const ca = await createTestCa('Fleet CA');
    const [p, q] = [randomPrime(512), randomPrime(512)];
    const short = await rsaCertificate(ca, 'short', p, q, false);

    assert.deepEqual(await analyzeFleetKeys([short]), new Map());
    const inScope = await analyzeFleetKeys([{ ...short, inScope: true }]);
    assert.deepEqual(
      inScope.get('short')?.map((finding) => finding.code),
      ['RSA_KEY_TOO_SHORT'],
    );
  });

  test('names the certificate it cannot read', async () => {
    await assert.rejects(
      analyzeFleetKeys([{ certificateId: 'broken', pem: 'garbage', inScope: true }]),
      {
        message: 'Cannot read certificate "broken": Invalid certificate: no PEM certificate block',
      },
    );
  });
});
