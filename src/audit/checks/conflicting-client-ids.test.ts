import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { conflictingClientIdsCheck as check } from './conflicting-client-ids.ts';
import { DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

const T = NOW - 5 * DAY;
const MINUTE = 60_000;
const CERT_A = 'a'.repeat(64);
const CERT_B = 'b'.repeat(64);

describe('CONFLICTING_CLIENT_IDS_CHECK', () => {
  test('waits for data while the window holds no connection events', async () => {
    const result = await runCheck(check, new TestFleet().fleet);

    assert.deepEqual(result, {
      totalResourcesCount: 0,
      nonCompliant: [],
      waitingForDataCollection: true,
    });
  });

  test('finds nothing when clients reconnect one after another', async () => {
    const test = new TestFleet();
    test.addSession({ clientId: 'sensor-1', certificateId: CERT_A, from: T, to: T + MINUTE });
    test.addSession({
      clientId: 'sensor-1',
      certificateId: CERT_B,
      from: T + 2 * MINUTE,
      to: T + 3 * MINUTE,
    });
    test.addSession({ clientId: 'sensor-2', certificateId: CERT_B, from: T, to: T + 3 * MINUTE });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a client ID taken over by another principal', async () => {
    const test = new TestFleet();
    test.addTakeover(
      { clientId: 'dup-1', certificateId: CERT_A, from: T, sourcePort: 1 },
      {
        clientId: 'dup-1',
        certificateId: CERT_B,
        from: T + MINUTE,
        to: T + 2 * MINUTE,
        sourcePort: 2,
      },
    );
    test.addSession({ clientId: 'sensor-2', certificateId: CERT_A, from: T, to: T + 3 * MINUTE });

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'CLIENT_ID',
          resourceIdentifier: { clientId: 'dup-1' },
          additionalInfo: { TAKEOVER_COUNT: '1' },
        },
        relatedResources: [
          {
            resourceType: 'DEVICE_CERTIFICATE',
            resourceIdentifier: { deviceCertificateId: CERT_B },
            additionalInfo: {
              CONNECTION_TIME: String(T + MINUTE),
              DISCONNECTION_TIME: String(T + 2 * MINUTE),
            },
          },
          {
            resourceType: 'DEVICE_CERTIFICATE',
            resourceIdentifier: { deviceCertificateId: CERT_A },
            additionalInfo: {
              CONNECTION_TIME: String(T),
              DISCONNECTION_TIME: String(T + MINUTE + 5),
            },
          },
        ],
        reasonForNonCompliance:
          'Client ID "dup-1" was used by 2 principals in connections that disconnected each other: a new connection took over a live session once.',
        reasonForNonComplianceCode: 'DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS',
      },
    ]);
  });

  test('counts every takeover of one principal', async () => {
    const test = new TestFleet();
    test.addTakeover(
      { clientId: 'flappy-1', certificateId: CERT_A, from: T, sourcePort: 1 },
      { clientId: 'flappy-1', certificateId: CERT_A, from: T + MINUTE, sourcePort: 2 },
    );
    test.addTakeover(
      { clientId: 'flappy-1', certificateId: CERT_A, from: T + MINUTE, sourcePort: 2 },
      { clientId: 'flappy-1', certificateId: CERT_A, from: T + 2 * MINUTE, sourcePort: 3 },
    );

    const result = await runCheck(check, test.fleet);

    const [finding] = result.nonCompliant;
    assert.deepEqual(finding?.resource.additionalInfo, { TAKEOVER_COUNT: '2' });
    assert.equal(finding?.relatedResources.length, 1);
    assert.equal(
      finding?.reasonForNonCompliance,
      'Client ID "flappy-1" was used by one principal in connections that disconnected each other: a new connection took over a live session 2 times.',
    );
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'CONFLICTING_CLIENT_IDS_CHECK');
    assert.equal(check.severity, 'HIGH');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
