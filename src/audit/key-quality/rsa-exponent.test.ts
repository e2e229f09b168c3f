import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import { checkRsaExponent, weakExponentRule } from './rsa-exponent.ts';
import { certificateForSpki, generatedSpki, randomPrime, rsaSpki } from './testing/weak-keys.ts';

describe('RSA exponent rule', () => {
  test('classifies exponents', () => {
    const cases: Array<[bigint, string | undefined]> = [
      [0n, 'AT_MOST_ONE'],
      [1n, 'AT_MOST_ONE'],
      [2n, 'EVEN'],
      [65538n, 'EVEN'],
      [3n, 'BELOW_65537'],
      [17n, 'BELOW_65537'],
      [65535n, 'BELOW_65537'],
      [65537n, undefined],
      [(1n << 255n) + 1n, undefined],
      [(1n << 256n) + 1n, 'AT_LEAST_2_POW_256'],
    ];
    for (const [exponent, rule] of cases)
      assert.equal(weakExponentRule(exponent), rule, `e = ${exponent}`);
  });

  test('flags a real key generated with e = 3', async () => {
    const ca = await createTestCa('Exponent CA');
    const pem = await certificateForSpki(
      ca,
      'e3',
      generatedSpki('rsa', { modulusLength: 2048, publicExponent: 3 }),
    );

    assert.deepEqual(checkRsaExponent(readCertificateKey(pem)), {
      code: 'RSA_EXPONENT_WEAK',
      message:
        'RSA public exponent 3 is under 65537, which exposes the key to small-exponent attacks on weak padding',
      evidence: { PUBLIC_EXPONENT: '3', EXPONENT_RULE: 'BELOW_65537' },
    });
  });

  test('flags even and unit exponents written into the certificate by hand', async () => {
    const ca = await createTestCa('Exponent CA');
    const modulus = randomPrime(1024) * randomPrime(1024);
    const even = readCertificateKey(await certificateForSpki(ca, 'even', rsaSpki(modulus, 65538n)));
    const one = readCertificateKey(await certificateForSpki(ca, 'one', rsaSpki(modulus, 1n)));

    assert.equal(
      checkRsaExponent(even)?.message,
      'RSA public exponent 65538 is even, so it has no inverse modulo (p-1)(q-1) and no private key matches it',
    );
    assert.equal(checkRsaExponent(one)?.evidence.EXPONENT_RULE, 'AT_MOST_ONE');
  });

  test('passes e = 65537', async () => {
    const ca = await createTestCa('Exponent CA');
    const pem = await certificateForSpki(ca, 'fine', generatedSpki('rsa', { modulusLength: 2048 }));

    assert.equal(checkRsaExponent(readCertificateKey(pem)), undefined);
  });
});
