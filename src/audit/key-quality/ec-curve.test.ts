import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTestCa } from '../../testing/pki.ts';
import { readCertificateKey } from './certificate-key.ts';
import { checkEcCurve } from './ec-curve.ts';
import { certificateForSpki, generatedSpki } from './testing/weak-keys.ts';

describe('checkEcCurve', () => {
  test('judges real keys on each kind of curve', async () => {
    const ca = await createTestCa('Curve CA');
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['prime256v1', undefined, undefined],
      ['secp384r1', undefined, undefined],
      ['secp521r1', undefined, undefined],
      ['prime192v1', 'EC_CURVE_WEAK', 'EC curve P-192 has 192-bit keys, under the 256-bit minimum'],
      ['secp224r1', 'EC_CURVE_WEAK', 'EC curve P-224 has 224-bit keys, under the 256-bit minimum'],
      [
        'secp160r1',
        'EC_CURVE_WEAK',
        'EC curve secp160r1 has 160-bit keys, under the 256-bit minimum',
      ],
      [
        'secp256k1',
        'EC_CURVE_NONSTANDARD',
        'EC curve secp256k1 is not one of P-256, P-384 or P-521',
      ],
      [
        'brainpoolP256r1',
        'EC_CURVE_NONSTANDARD',
        'EC curve brainpoolP256r1 is not one of P-256, P-384 or P-521',
      ],
      [
        'brainpoolP384r1',
        'EC_CURVE_NONSTANDARD',
        'EC curve brainpoolP384r1 is not one of P-256, P-384 or P-521',
      ],
    ];
    for (const [namedCurve, code, message] of cases) {
      const pem = await certificateForSpki(ca, namedCurve, generatedSpki('ec', { namedCurve }));
      const finding = checkEcCurve(readCertificateKey(pem));
      assert.equal(finding?.code, code, namedCurve);
      assert.equal(finding?.message, message, namedCurve);
    }
  });

  test('passes Ed25519 and Ed448 keys', async () => {
    const ca = await createTestCa('Curve CA');
    for (const type of ['ed25519', 'ed448'] as const) {
      const pem = await certificateForSpki(ca, type, generatedSpki(type));
      assert.equal(checkEcCurve(readCertificateKey(pem)), undefined, type);
    }
  });
});
