import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { deviceCertificateAgeCheck as check } from './device-certificate-age.ts';
import { DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

describe('DEVICE_CERTIFICATE_AGE_CHECK', () => {
  test('finds nothing in a clean fleet', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    await test.addDevice(ca, 'sensor-1');
    await test.addDevice(ca, 'sensor-2', { createdAt: NOW - 364 * DAY - 1 });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a certificate registered 365 days ago', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'veteran-1', {
      createdAt: NOW - 365 * DAY,
      notBefore: NOW - 400 * DAY,
      notAfter: NOW + 400 * DAY,
    });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: device.record.certificateId },
          additionalInfo: { EXPIRATION_TIME: String(NOW + 400 * DAY) },
        },
        relatedResources: [],
        reasonForNonCompliance:
          'Certificate has been active for 365 days, at or past the threshold of 365 days.',
        reasonForNonComplianceCode: 'CERTIFICATE_PAST_AGE_THRESHOLD',
      },
    ]);
  });

  test('measures age from registration, not from notBefore', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    await test.addDevice(ca, 'reissued-1', { notBefore: NOW - 900 * DAY, createdAt: NOW - DAY });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, []);
  });

  test('applies CERT_AGE_THRESHOLD_IN_DAYS and skips inactive certificates', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'sensor-1', { createdAt: NOW - 40 * DAY });
    await test.addDevice(ca, 'off-1', { createdAt: NOW - 40 * DAY, status: 'INACTIVE' });

    const result = await runCheck(check, test.fleet, { CERT_AGE_THRESHOLD_IN_DAYS: '30' });

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.resourceIdentifier.deviceCertificateId),
      [device.record.certificateId],
    );
  });

  test('validates CERT_AGE_THRESHOLD_IN_DAYS from 30 to 3652', () => {
    const range = 'must be a whole number of days from 30 to 3652';
    const cases: [string, string | undefined][] = [
      ['30', undefined],
      ['3652', undefined],
      ['29', `Invalid CERT_AGE_THRESHOLD_IN_DAYS "29" for DEVICE_CERTIFICATE_AGE_CHECK: ${range}`],
      [
        '3653',
        `Invalid CERT_AGE_THRESHOLD_IN_DAYS "3653" for DEVICE_CERTIFICATE_AGE_CHECK: ${range}`,
      ],
      [
        '1e3',
        `Invalid CERT_AGE_THRESHOLD_IN_DAYS "1e3" for DEVICE_CERTIFICATE_AGE_CHECK: ${range}`,
      ],
    ];
    for (const [value, message] of cases) {
      assert.equal(check.validateConfiguration?.({ CERT_AGE_THRESHOLD_IN_DAYS: value }), message);
    }
    assert.equal(
      check.validateConfiguration?.({ CERT_EXPIRATION_THRESHOLD_IN_DAYS: '30' }),
      'Invalid configuration key "CERT_EXPIRATION_THRESHOLD_IN_DAYS" for DEVICE_CERTIFICATE_AGE_CHECK: the only key is CERT_AGE_THRESHOLD_IN_DAYS',
    );
  });

  test('is disabled by default with LOW severity', () => {
    assert.equal(check.name, 'DEVICE_CERTIFICATE_AGE_CHECK');
    assert.equal(check.severity, 'LOW');
    assert.equal(check.enabledByDefault, false);
  });
});
