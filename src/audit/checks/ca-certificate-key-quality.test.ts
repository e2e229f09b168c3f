import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseCertificatePem } from '../../registry/x509.ts';
import {
  certificateForSpki,
  publicSpki,
  randomPrime,
  rsaPrivateKeyFromPrimes,
  rocaPrime,
} from '../key-quality/testing/weak-keys.ts';
import { caCertificateKeyQualityCheck as check } from './ca-certificate-key-quality.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

describe('CA_CERTIFICATE_KEY_QUALITY_CHECK', () => {
  test('finds nothing in a clean fleet', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Root CA');
    await test.addCa('Intermediate CA', { parent: ca });
    await test.addDevice(ca, 'device-1');

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports an ACTIVE CA with a ROCA key and skips an INACTIVE one', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const rocaKey = () => publicSpki(rsaPrivateKeyFromPrimes(rocaPrime(1024), rocaPrime(1024)));
    const ids: string[] = [];
    for (const status of ['ACTIVE', 'INACTIVE'] as const) {
      const pem = await certificateForSpki(root.pki, `ROCA CA ${status}`, rocaKey());
      const id = parseCertificatePem(pem).fingerprint;
      test.fleet.caCertificates.push({ ...root.record, certificateId: id, pem, status });
      ids.push(id);
    }

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(reasonCodes(result), ['CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361']);
    assert.deepEqual(result.nonCompliant[0]?.resource.resourceType, 'CA_CERTIFICATE');
    assert.deepEqual(result.nonCompliant[0]?.resource.resourceIdentifier, {
      caCertificateId: ids[0],
    });
  });

  test('reports a CA whose key shares a prime with a revoked device key', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const shared = randomPrime(1024);
    const caPem = await certificateForSpki(
      root.pki,
      'Weak CA',
      publicSpki(rsaPrivateKeyFromPrimes(shared, randomPrime(1024))),
    );
    const caId = parseCertificatePem(caPem).fingerprint;
    test.fleet.caCertificates.push({ ...root.record, certificateId: caId, pem: caPem });
    const devicePem = await certificateForSpki(
      root.pki,
      'device',
      publicSpki(rsaPrivateKeyFromPrimes(shared, randomPrime(1024))),
    );
    const deviceId = parseCertificatePem(devicePem).fingerprint;
    test.fleet.certificates.push(devicePemRecord(devicePem, deviceId));

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['RSA_SHARED_PRIME']);
    assert.deepEqual(result.nonCompliant[0]?.relatedResources, [
      { resourceType: 'DEVICE_CERTIFICATE', resourceIdentifier: { deviceCertificateId: deviceId } },
    ]);
  });

  test('is a critical check enabled by default that validates its configuration', () => {
    assert.equal(check.name, 'CA_CERTIFICATE_KEY_QUALITY_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.equal(
      check.validateConfiguration?.({ KEY_BLOCKLIST_FILES: '/missing/ca-keys.list' }),
      'Key blocklist file "/missing/ca-keys.list" for CA_CERTIFICATE_KEY_QUALITY_CHECK not found',
    );
  });
});

function devicePemRecord(pem: string, certificateId: string) {
  const parsed = parseCertificatePem(pem);
  return {
    certificateId,
    pem,
    status: 'REVOKED' as const,
    mode: 'DEFAULT' as const,
    createdAt: 0,
    lastModifiedAt: 0,
    customerVersion: 1,
    generationId: 'generation-1',
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}
