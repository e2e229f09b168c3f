import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { certificateResource, toNonCompliance } from './finding-report.ts';
import type { KeyFinding } from './key-finding.ts';

describe('toNonCompliance', () => {
  test('reports the most severe code first and lists every reason and its evidence', () => {
    const findings: KeyFinding[] = [
      { code: 'RSA_KEY_TOO_SHORT', message: 'Short', evidence: { MODULUS_BITS: '1024' } },
      {
        code: 'SIGNATURE_ALGORITHM_WEAK',
        message: 'Signed with SHA-1',
        evidence: { SIGNATURE_ALGORITHM: 'sha1' },
      },
      {
        code: 'RSA_SHARED_PRIME',
        message: 'Shares a prime',
        evidence: { SHARED_FACTOR: 'ab' },
        relatedCertificateIds: ['ca-1', 'device-2'],
      },
    ];
    const resolve = (id: string) =>
      certificateResource(id.startsWith('ca') ? 'CA_CERTIFICATE' : 'DEVICE_CERTIFICATE', id);

    assert.deepEqual(
      toNonCompliance(certificateResource('DEVICE_CERTIFICATE', 'device-1'), findings, resolve),
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: 'device-1' },
          additionalInfo: {
            SHARED_FACTOR: 'ab',
            MODULUS_BITS: '1024',
            SIGNATURE_ALGORITHM: 'sha1',
            REASON_CODES: 'RSA_SHARED_PRIME,RSA_KEY_TOO_SHORT,SIGNATURE_ALGORITHM_WEAK',
          },
        },
        relatedResources: [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: 'ca-1' } },
          {
            resourceType: 'DEVICE_CERTIFICATE',
            resourceIdentifier: { deviceCertificateId: 'device-2' },
          },
        ],
        reasonForNonCompliance: 'Shares a prime. Short. Signed with SHA-1.',
        reasonForNonComplianceCode: 'RSA_SHARED_PRIME',
      },
    );
  });

  test('rejects a certificate without findings', () => {
    assert.throws(
      () =>
        toNonCompliance(certificateResource('CA_CERTIFICATE', 'ca-1'), [], (id) =>
          certificateResource('CA_CERTIFICATE', id),
        ),
      {
        name: 'RangeError',
        message: 'Cannot report a certificate without key findings',
      },
    );
  });
});
