import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { WardenError } from '../../core/errors.ts';
import { deviceCertificateExpiringCheck as check } from './device-certificate-expiring.ts';
import { DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

describe('DEVICE_CERTIFICATE_EXPIRING_CHECK', () => {
  test('finds nothing in a clean fleet', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    await test.addDevice(ca, 'sensor-1');
    await test.addDevice(ca, 'sensor-2', { notAfter: NOW + 31 * DAY });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports an expired certificate with its expiration time', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'old-1', {
      notBefore: NOW - 400 * DAY,
      notAfter: NOW - DAY,
    });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: device.record.certificateId },
          additionalInfo: { EXPIRATION_TIME: String(NOW - DAY) },
        },
        relatedResources: [],
        reasonForNonCompliance: 'Certificate is past its expiration.',
        reasonForNonComplianceCode: 'CERTIFICATE_PAST_EXPIRATION',
      },
    ]);
  });

  test('reports a certificate that expires within 30 days, the threshold included', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const soon = await test.addDevice(ca, 'soon-1', { notAfter: NOW + 5 * DAY });
    const edge = await test.addDevice(ca, 'edge-1', { notAfter: NOW + 30 * DAY });
    await test.addDevice(ca, 'later-1', { notAfter: NOW + 30 * DAY + 1000 });

    const result = await runCheck(check, test.fleet);

    const reported = result.nonCompliant.map((item) => [
      item.resource.resourceIdentifier.deviceCertificateId,
      item.reasonForNonComplianceCode,
      item.reasonForNonCompliance,
    ]);
    assert.deepEqual(reported, [
      [
        soon.record.certificateId,
        'CERTIFICATE_APPROACHING_EXPIRATION',
        'Certificate is approaching its expiration.',
      ],
      [
        edge.record.certificateId,
        'CERTIFICATE_APPROACHING_EXPIRATION',
        'Certificate is approaching its expiration.',
      ],
    ]);
  });

  test('applies CERT_EXPIRATION_THRESHOLD_IN_DAYS', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'sensor-1', { notAfter: NOW + 45 * DAY });

    const wide = await runCheck(check, test.fleet, { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '60' });
    const narrow = await runCheck(check, test.fleet, { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '44' });

    assert.deepEqual(
      wide.nonCompliant.map((item) => item.resource.resourceIdentifier.deviceCertificateId),
      [device.record.certificateId],
    );
    assert.deepEqual(narrow.nonCompliant, []);
  });

  test('examines ACTIVE and PENDING_TRANSFER certificates only', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const expired = { notBefore: NOW - 100 * DAY, notAfter: NOW - DAY };
    const pending = await test.addDevice(ca, 'p-1', { ...expired, status: 'PENDING_TRANSFER' });
    for (const status of [
      'INACTIVE',
      'REVOKED',
      'REGISTER_INACTIVE',
      'PENDING_ACTIVATION',
    ] as const) {
      await test.addDevice(ca, `${status}-1`, { ...expired, status });
    }

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.resourceIdentifier.deviceCertificateId),
      [pending.record.certificateId],
    );
  });

  test('accepts thresholds from 1 to 3652 days', () => {
    for (const value of ['1', '30', '3652']) {
      const configuration = { CERT_EXPIRATION_THRESHOLD_IN_DAYS: value };
      assert.equal(check.validateConfiguration?.(configuration), undefined, value);
    }
    assert.equal(check.validateConfiguration?.({}), undefined);
  });

  test('rejects bad thresholds and unknown keys', () => {
    const range = 'must be a whole number of days from 1 to 3652';
    const cases: [Record<string, string>, string][] = [
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '0' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "0" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '3653' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "3653" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '1.5' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "1.5" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: ' 30' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS " 30" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '-1' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "-1" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_EXPIRATION_THRESHOLD_IN_DAYS: 'thirty' },
        `Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "thirty" for DEVICE_CERTIFICATE_EXPIRING_CHECK: ${range}`,
      ],
      [
        { CERT_AGE_THRESHOLD_IN_DAYS: '30' },
        'Invalid configuration key "CERT_AGE_THRESHOLD_IN_DAYS" for DEVICE_CERTIFICATE_EXPIRING_CHECK: the only key is CERT_EXPIRATION_THRESHOLD_IN_DAYS',
      ],
    ];
    for (const [configuration, message] of cases) {
      assert.equal(check.validateConfiguration?.(configuration), message);
    }
  });

  test('fails a run whose threshold is invalid', async () => {
    const test = new TestFleet();
    await assert.rejects(
      async () => runCheck(check, test.fleet, { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '0' }),
      (error: unknown) => {
        assert.ok(error instanceof WardenError);
        assert.equal(error.code, 'InvalidRequestException');
        assert.match(error.message, /^Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "0"/);
        return true;
      },
    );
  });

  test('is enabled by default with MEDIUM severity', () => {
    assert.equal(check.name, 'DEVICE_CERTIFICATE_EXPIRING_CHECK');
    assert.equal(check.severity, 'MEDIUM');
    assert.equal(check.enabledByDefault, true);
  });
});
