import { factorFingerprint } from './bigint-math.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import { checkFermat, fermatFactor } from './fermat.ts';
import {
  certificateForSpki,
  nextPrime,
  publicSpki,
  randomPrime,
  rsaPrivateKeyFromPrimes,
} from './testing/weak-keys.ts';

describe('Fermat factoring', () => {
  test('factors a real key whose primes are 2^515 apart, after a few steps', async () => {
    const ca = await createTestCa('Fermat CA');
    const p = randomPrime(1024);
    const q = nextPrime(p + (1n << 515n));
    const pem = await certificateForSpki(ca, 'close', publicSpki(rsaPrivateKeyFromPrimes(p, q)));
    const finding = checkFermat(readCertificateKey(pem));

    assert.equal(finding?.code, 'RSA_FERMAT_FACTORABLE');
    assert.equal(finding?.evidence.FACTOR_SHA256, factorFingerprint(p));
    const steps = Number(finding?.evidence.FERMAT_STEPS);
    assert.ok(steps > 1, `found after ${steps} steps`);
    assert.ok(steps < 64, `found after ${steps} steps`);
    assert.equal(
      finding?.message,
      `RSA modulus factors by Fermat's method after ${steps} steps because its primes are too close`,
    );
  });

  test('factors adjacent primes at the first step and a square at once', () => {
    const p = randomPrime(1024);
    const q = nextPrime(p + 2n);

    assert.deepEqual(fermatFactor(p * q), { factor: p, step: 0 });
    assert.deepEqual(fermatFactor(p * p), { factor: p, step: 0 });
  });

  test('gives up on primes 2^530 apart within the default steps', () => {
    const p = randomPrime(1024);
    const q = nextPrime(p + (1n << 530n));

    assert.equal(fermatFactor(p * q), undefined);
  });

  test('passes random keys and ignores even or tiny moduli', () => {
    for (let round = 0; round < 5; round += 1) {
      assert.equal(fermatFactor(randomPrime(1024) * randomPrime(1024)), undefined);
    }
    assert.equal(fermatFactor(2n * randomPrime(1024)), undefined);
    assert.equal(fermatFactor(7n), undefined);
  });
});
