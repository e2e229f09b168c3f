import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { deviceCertificateSharedCheck as check } from './device-certificate-shared.ts';
import { DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

const T = NOW - 10 * DAY;
const MINUTE = 60_000;
const CERT_A = 'a'.repeat(64);
const CERT_B = 'b'.repeat(64);

describe('DEVICE_CERTIFICATE_SHARED_CHECK', () => {
  test('waits for data while the window holds no connection events', async () => {
    const result = await runCheck(check, new TestFleet().fleet);

    assert.deepEqual(result, {
      totalResourcesCount: 0,
      nonCompliant: [],
      waitingForDataCollection: true,
    });
  });

  test('finds nothing for reconnects, takeovers and separate certificates', async () => {
    const test = new TestFleet();
    test.addSession({ clientId: 'sensor-1', certificateId: CERT_A, from: T, to: T + MINUTE });
    test.addSession({
      clientId: 'sensor-1',
      certificateId: CERT_A,
      from: T + 2 * MINUTE,
      to: T + 3 * MINUTE,
    });
    test.addSession({
      clientId: 'other-1',
      certificateId: CERT_A,
      from: T + 4 * MINUTE,
      to: T + 5 * MINUTE,
    });
    test.addTakeover(
      { clientId: 'sensor-1', certificateId: CERT_A, from: T + 6 * MINUTE, sourcePort: 1 },
      {
        clientId: 'sensor-1',
        certificateId: CERT_A,
        from: T + 7 * MINUTE,
        to: T + 8 * MINUTE,
        sourcePort: 2,
      },
    );
    test.addSession({ clientId: 'sensor-2', certificateId: CERT_B, from: T, to: T + 9 * MINUTE });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a certificate connected under two client IDs at once', async () => {
    const test = new TestFleet();
    test.addSession({ clientId: 'sensor-1', certificateId: CERT_A, from: T, to: T + 10 * MINUTE });
    test.addSession({
      clientId: 'clone-1',
      certificateId: CERT_A,
      sourceIp: '203.0.113.9',
      from: T + 5 * MINUTE,
      to: T + 20 * MINUTE,
    });
    test.addSession({ clientId: 'sensor-1', certificateId: CERT_A, from: T + 30 * MINUTE });
    test.addSession({ clientId: 'sensor-2', certificateId: CERT_B, from: T, to: T + 20 * MINUTE });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: CERT_A },
        },
        relatedResources: [
          {
            resourceType: 'CLIENT_ID',
            resourceIdentifier: { clientId: 'sensor-1' },
            additionalInfo: { CONNECTION_TIME: String(T + 30 * MINUTE) },
          },
          {
            resourceType: 'CLIENT_ID',
            resourceIdentifier: { clientId: 'clone-1' },
            additionalInfo: {
              CONNECTION_TIME: String(T + 5 * MINUTE),
              DISCONNECTION_TIME: String(T + 20 * MINUTE),
            },
          },
          {
            resourceType: 'CLIENT_ID',
            resourceIdentifier: { clientId: 'sensor-1' },
            additionalInfo: {
              CONNECTION_TIME: String(T),
              DISCONNECTION_TIME: String(T + 10 * MINUTE),
            },
          },
        ],
        reasonForNonCompliance:
          'Certificate shared by one or more devices. Client IDs "sensor-1" (from 198.51.100.10) and "clone-1" (from 203.0.113.9) were connected at the same time.',
        reasonForNonComplianceCode: 'CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES',
      },
    ]);
  });

  test('counts a session that began before the window', async () => {
    const test = new TestFleet();
    test.addSession({ clientId: 'early-1', certificateId: CERT_A, to: T + 10 * MINUTE });
    test.addSession({ clientId: 'late-1', certificateId: CERT_A, from: T, to: T + 20 * MINUTE });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(
      result.nonCompliant.flatMap((item) => item.relatedResources.map((r) => r.additionalInfo)),
      [
        { CONNECTION_TIME: String(T), DISCONNECTION_TIME: String(T + 20 * MINUTE) },
        { DISCONNECTION_TIME: String(T + 10 * MINUTE) },
      ],
    );
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'DEVICE_CERTIFICATE_SHARED_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
