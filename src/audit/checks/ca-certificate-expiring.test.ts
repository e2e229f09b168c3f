import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { caCertificateExpiringCheck as check } from './ca-certificate-expiring.ts';
import { DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

describe('CA_CERTIFICATE_EXPIRING_CHECK', () => {
  test('finds nothing in a clean fleet', async () => {
    const test = new TestFleet();
    await test.addCa('Root CA');
    await test.addCa('Later CA', { notAfter: NOW + 31 * DAY });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports an expired CA certificate', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Old CA', { notBefore: NOW - 900 * DAY, notAfter: NOW - 3 * DAY });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'CA_CERTIFICATE',
          resourceIdentifier: { caCertificateId: ca.record.certificateId },
          additionalInfo: { EXPIRATION_TIME: String(NOW - 3 * DAY) },
        },
        relatedResources: [],
        reasonForNonCompliance: 'Certificate is past its expiration.',
        reasonForNonComplianceCode: 'CERTIFICATE_PAST_EXPIRATION',
      },
    ]);
  });

  test('reports a CA certificate that expires within 30 days', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Soon CA', { notAfter: NOW + 30 * DAY });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(
      result.nonCompliant.map((item) => [
        item.resource.resourceIdentifier.caCertificateId,
        item.reasonForNonComplianceCode,
      ]),
      [[ca.record.certificateId, 'CERTIFICATE_APPROACHING_EXPIRATION']],
    );
  });

  test('ignores an INACTIVE CA certificate', async () => {
    const test = new TestFleet();
    await test.addCa('Retired CA', { status: 'INACTIVE', notAfter: NOW + DAY });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 0);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('takes no configuration', () => {
    assert.equal(check.validateConfiguration?.({}), undefined);
    assert.equal(
      check.validateConfiguration?.({ CERT_EXPIRATION_THRESHOLD_IN_DAYS: '60' }),
      'Invalid configuration key "CERT_EXPIRATION_THRESHOLD_IN_DAYS" for CA_CERTIFICATE_EXPIRING_CHECK: the check takes no configuration',
    );
    assert.equal(check.severity, 'MEDIUM');
    assert.equal(check.enabledByDefault, true);
  });
});
