import { factorFingerprint } from '../key-quality/bigint-math.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { CertificateStatus } from '../../registry/types.ts';
import { parseCertificatePem } from '../../registry/x509.ts';
import { debianModulusFingerprint, spkiFingerprint } from '../key-quality/blocklist.ts';
import { readCertificateKey } from '../key-quality/certificate-key.ts';
import {
  certificateForSpki,
  generatedSpki,
  nextPrime,
  opensslSignedCertificate,
  publicSpki,
  randomPrime,
  rocaPrime,
  rsaPrivateKeyFromPrimes,
  rsaSpki,
  temporaryFile,
} from '../key-quality/testing/weak-keys.ts';
import { deviceCertificateKeyQualityCheck as check } from './device-certificate-key-quality.ts';
import { NOW, reasonCodes, runCheck, TestFleet, type TestCa } from './test-fleet.ts';

/** Registers a device certificate given as PEM, as RegisterCertificate would. */
function addDevicePem(test: TestFleet, pem: string, status: CertificateStatus = 'ACTIVE'): string {
  const parsed = parseCertificatePem(pem);
  test.fleet.certificates.push({
    certificateId: parsed.fingerprint,
    pem: parsed.pem,
    status,
    mode: 'DEFAULT',
    createdAt: NOW - 1000,
    lastModifiedAt: NOW - 1000,
    customerVersion: 1,
    generationId: 'generation-1',
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  });
  return parsed.fingerprint;
}

async function fleetWithCa(): Promise<{ test: TestFleet; ca: TestCa }> {
  const test = new TestFleet();
  const ca = await test.addCa('Key Quality CA');
  await test.addDevice(ca, 'clean-ec');
  await test.addDevice(ca, 'clean-rsa', { keyType: 'rsa-2048' });
  return { test, ca };
}

async function weakDevice(
  ca: TestCa,
  test: TestFleet,
  spki: Buffer,
  status?: CertificateStatus,
): Promise<string> {
  return addDevicePem(test, await certificateForSpki(ca.pki, 'weak-device', spki), status);
}

describe('DEVICE_CERTIFICATE_KEY_QUALITY_CHECK', () => {
  test('finds nothing in a clean fleet', async () => {
    const { test } = await fleetWithCa();

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a ROCA key with the AWS reason code', async () => {
    const { test, ca } = await fleetWithCa();
    const id = await weakDevice(
      ca,
      test,
      publicSpki(rsaPrivateKeyFromPrimes(rocaPrime(1024), rocaPrime(1024))),
    );

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: id },
          additionalInfo: {
            FINGERPRINT_PRIMES: '3-167',
            REASON_CODES: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361',
          },
        },
        relatedResources: [],
        reasonForNonCompliance:
          'RSA modulus has the ROCA fingerprint of keys from the Infineon RSA library (CVE-2017-15361), which can be factored.',
        reasonForNonComplianceCode: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361',
      },
    ]);
  });

  test('reports a key in a Debian openssl-blacklist file as CVE-2008-0166', async () => {
    const { test, ca } = await fleetWithCa();
    const pem = await certificateForSpki(
      ca.pki,
      'debian',
      generatedSpki('rsa', { modulusLength: 2048 }),
    );
    const id = addDevicePem(test, pem);
    const entry = debianModulusFingerprint(readCertificateKey(pem).rsa?.modulus ?? 0n);
    const file = temporaryFile(
      'blacklist.RSA-2048',
      `# keys of the broken Debian generator\n${entry}\n`,
    );
    try {
      const result = await runCheck(check, test.fleet, { KEY_BLOCKLIST_FILES: file.path });

      assert.deepEqual(reasonCodes(result), ['CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166']);
      assert.equal(result.nonCompliant[0]?.resource.resourceIdentifier.deviceCertificateId, id);
      assert.equal(result.nonCompliant[0]?.resource.additionalInfo?.DEBIAN_BLOCKLIST_LINE, '2');
    } finally {
      file.remove();
    }
  });

  test('reports a key in a Warden blocklist file', async () => {
    const { test, ca } = await fleetWithCa();
    const pem = await certificateForSpki(
      ca.pki,
      'leaked',
      generatedSpki('ec', { namedCurve: 'prime256v1' }),
    );
    addDevicePem(test, pem);
    const first = temporaryFile('empty.list', '# nothing yet\n');
    const second = temporaryFile('leaked.list', `${spkiFingerprint(readCertificateKey(pem))}\n`);
    try {
      const result = await runCheck(check, test.fleet, {
        KEY_BLOCKLIST_FILES: `${first.path}, ${second.path}`,
      });

      assert.deepEqual(reasonCodes(result), ['KEY_IN_BLOCKLIST']);
      assert.equal(result.nonCompliant[0]?.resource.additionalInfo?.BLOCKLIST_FILE, second.path);
    } finally {
      first.remove();
      second.remove();
    }
  });

  test('reports an RSA-1024 key', async () => {
    const { test, ca } = await fleetWithCa();
    await test.addDevice(ca, 'short', { keyType: 'rsa-1024' });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_KEY_TOO_SHORT']);
    assert.equal(
      result.nonCompliant[0]?.reasonForNonCompliance,
      'RSA modulus is 1024 bits, under the 2048-bit minimum.',
    );
  });

  test('reports weak and non-standard curves', async () => {
    const { test, ca } = await fleetWithCa();
    await weakDevice(ca, test, generatedSpki('ec', { namedCurve: 'secp224r1' }));
    await weakDevice(ca, test, generatedSpki('ec', { namedCurve: 'secp256k1' }));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['EC_CURVE_WEAK', 'EC_CURVE_NONSTANDARD']);
  });

  test('reports an e = 3 key and an even exponent', async () => {
    const { test, ca } = await fleetWithCa();
    await weakDevice(ca, test, generatedSpki('rsa', { modulusLength: 2048, publicExponent: 3 }));
    await weakDevice(ca, test, rsaSpki(randomPrime(1024) * randomPrime(1024), 4n));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_EXPONENT_WEAK', 'RSA_EXPONENT_WEAK']);
    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.additionalInfo?.EXPONENT_RULE),
      ['BELOW_65537', 'EVEN'],
    );
  });

  test('reports a key whose primes are close enough for Fermat', async () => {
    const { test, ca } = await fleetWithCa();
    const p = randomPrime(1024);
    await weakDevice(ca, test, publicSpki(rsaPrivateKeyFromPrimes(p, nextPrime(p + (1n << 400n)))));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_FERMAT_FACTORABLE']);
    assert.equal(
      result.nonCompliant[0]?.resource.additionalInfo?.FACTOR_SHA256,
      factorFingerprint(p),
    );
  });

  test('reports a modulus with a small prime factor', async () => {
    const { test, ca } = await fleetWithCa();
    await weakDevice(ca, test, publicSpki(rsaPrivateKeyFromPrimes(40009n, randomPrime(2034))));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_SMALL_FACTOR']);
    assert.equal(result.nonCompliant[0]?.resource.additionalInfo?.SMALL_FACTORS, '40009');
  });

  test('reports a prime shared with a CA', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Key Quality CA');
    const shared = randomPrime(1024);
    const caPem = await certificateForSpki(
      ca.pki,
      'Weak CA',
      publicSpki(rsaPrivateKeyFromPrimes(shared, randomPrime(1024))),
    );
    const caId = parseCertificatePem(caPem).fingerprint;
    test.fleet.caCertificates.push({ ...ca.record, certificateId: caId, pem: caPem });
    const deviceId = await weakDevice(
      ca,
      test,
      publicSpki(rsaPrivateKeyFromPrimes(shared, randomPrime(1024))),
    );

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_SHARED_PRIME']);
    assert.equal(result.nonCompliant[0]?.resource.resourceIdentifier.deviceCertificateId, deviceId);
    assert.deepEqual(result.nonCompliant[0]?.relatedResources, [
      { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: caId } },
    ]);
    assert.equal(
      result.nonCompliant[0]?.resource.additionalInfo?.SHARED_FACTOR_SHA256,
      factorFingerprint(shared),
    );
  });

  test('reports MD5 and SHA-1 signatures', async () => {
    const { test } = await fleetWithCa();
    addDevicePem(test, opensslSignedCertificate('md5').certificatePem);
    addDevicePem(test, opensslSignedCertificate('sha1').certificatePem);

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['SIGNATURE_ALGORITHM_WEAK', 'SIGNATURE_ALGORITHM_WEAK']);
    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.additionalInfo?.SIGNATURE_ALGORITHM),
      ['md5WithRSAEncryption', 'sha1WithRSAEncryption'],
    );
  });

  test('reports the most severe of several weaknesses and lists them all', async () => {
    const { test, ca } = await fleetWithCa();
    // e = 3 needs primes that are 2 modulo 3; q is still one of the next few primes after p.
    let p = randomPrime(512);
    while (p % 3n !== 2n) p = randomPrime(512);
    let q = nextPrime(p + 2n);
    while (q % 3n !== 2n) q = nextPrime(q + 2n);
    await weakDevice(ca, test, publicSpki(rsaPrivateKeyFromPrimes(p, q, 3n)));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_FERMAT_FACTORABLE']);
    assert.equal(
      result.nonCompliant[0]?.resource.additionalInfo?.REASON_CODES,
      'RSA_FERMAT_FACTORABLE,RSA_EXPONENT_WEAK,RSA_KEY_TOO_SHORT',
    );
  });

  test('examines ACTIVE and PENDING_TRANSFER certificates only', async () => {
    const { test, ca } = await fleetWithCa();
    const statuses: CertificateStatus[] = [
      'PENDING_TRANSFER',
      'INACTIVE',
      'REVOKED',
      'REGISTER_INACTIVE',
      'PENDING_ACTIVATION',
    ];
    const ids = new Map<string, CertificateStatus>();
    for (const status of statuses) {
      ids.set(
        await weakDevice(ca, test, generatedSpki('rsa', { modulusLength: 1024 }), status),
        status,
      );
    }

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 3);
    const reported = result.nonCompliant.map((item) =>
      ids.get(item.resource.resourceIdentifier.deviceCertificateId ?? ''),
    );
    assert.deepEqual(reported, ['PENDING_TRANSFER']);
  });

  test('validates its configuration', () => {
    const file = temporaryFile('ok.list', '');
    try {
      const cases: Array<[Record<string, string>, string | undefined]> = [
        [{}, undefined],
        [{ KEY_BLOCKLIST_FILES: file.path }, undefined],
        [
          { CERT_AGE_THRESHOLD_IN_DAYS: '30' },
          'Invalid configuration key "CERT_AGE_THRESHOLD_IN_DAYS" for DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: the only key is KEY_BLOCKLIST_FILES',
        ],
        [
          { KEY_BLOCKLIST_FILES: ' , ' },
          'Invalid KEY_BLOCKLIST_FILES " , " for DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: expected comma-separated file paths',
        ],
        [
          { KEY_BLOCKLIST_FILES: `${file.path},/missing/keys.list` },
          'Key blocklist file "/missing/keys.list" for DEVICE_CERTIFICATE_KEY_QUALITY_CHECK not found',
        ],
      ];
      for (const [configuration, message] of cases) {
        assert.equal(
          check.validateConfiguration?.(configuration),
          message,
          JSON.stringify(configuration),
        );
      }
    } finally {
      file.remove();
    }
  });

  test('is a critical check enabled by default', () => {
    assert.equal(check.name, 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
  });
});
