import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import {
  checkRocaFingerprint,
  hasRocaFingerprint,
  ROCA_PRIMES,
  rocaFalsePositiveRate,
} from './roca-fingerprint.ts';
import {
  certificateForSpki,
  publicSpki,
  randomPrime,
  rocaPrime,
  rsaPrivateKeyFromPrimes,
} from './testing/weak-keys.ts';

describe('ROCA fingerprint', () => {
  test('flags a real key whose primes have the ROCA structure', async () => {
    const ca = await createTestCa('ROCA CA');
    const key = rsaPrivateKeyFromPrimes(rocaPrime(1024), rocaPrime(1024));
    const pem = await certificateForSpki(ca, 'roca', publicSpki(key));

    assert.deepEqual(checkRocaFingerprint(readCertificateKey(pem)), {
      code: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361',
      message:
        'RSA modulus has the ROCA fingerprint of keys from the Infineon RSA library (CVE-2017-15361), which can be factored',
      evidence: { FINGERPRINT_PRIMES: '3-167' },
    });
  });

  test('passes random keys', () => {
    for (let round = 0; round < 20; round += 1) {
      assert.equal(
        hasRocaFingerprint(randomPrime(512) * randomPrime(512)),
        false,
        `round ${round}`,
      );
    }
  });

  test('fails a ROCA modulus changed in one residue', () => {
    const modulus = rocaPrime(512) * rocaPrime(512);
    assert.equal(hasRocaFingerprint(modulus), true);
    // 65537 = 10 (mod 11) generates only {1, 10}. Adding multiples of the product of the other
    // test primes moves the residue modulo 11 alone, mostly out of that subgroup.
    const others = ROCA_PRIMES.filter((prime) => prime !== 11).reduce(
      (product, prime) => product * BigInt(prime),
      2n,
    );
    const changed = [1n, 2n, 3n, 4n, 5n].map((k) => modulus + k * others);
    assert.ok(changed.some((value) => !hasRocaFingerprint(value)));
  });

  test('uses 38 primes, chance match 2^-27.8', () => {
    assert.equal(ROCA_PRIMES.length, 38);
    assert.equal(ROCA_PRIMES[0], 3);
    assert.equal(ROCA_PRIMES[37], 167);
    assert.ok(Math.abs(Math.log2(rocaFalsePositiveRate()) + 27.83) < 0.01);
  });
});
