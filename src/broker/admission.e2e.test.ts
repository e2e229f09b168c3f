import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionEvent } from '../history/connection-event.ts';
import { TestWarden } from '../testing/harness.ts';
import {
  createSelfSignedTestCertificate,
  createTestCa,
  issueTestCertificate,
  type TestCertificate,
} from '../testing/pki.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

/** What an mqtt.js client saw of one CONNECT: the CONNACK code and its local port. */
interface Attempt {
  returnCode: number | undefined;
  errorMessage: string | undefined;
  localPort: number;
}

function certificateIdOf(device: TestCertificate): string {
  return createHash('sha256').update(Buffer.from(device.certificate.rawData)).digest('hex');
}

/** Connects once, without the harness, and waits for the socket to close or the session to start. */
function attemptConnect(
  warden: TestWarden,
  clientId: string,
  device: TestCertificate | undefined,
): Promise<Attempt> {
  const client = mqtt.connect(warden.endpoints.mqtt, {
    clientId,
    protocolVersion: 4,
    ca: warden.serverCaPem,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...(device ? { cert: device.certPem, key: device.keyPem } : {}),
  });
  const attempt: Attempt = { returnCode: undefined, errorMessage: undefined, localPort: 0 };
  client.on('packetreceive', (packet) => {
    if (packet.cmd !== 'connack') return;
    attempt.returnCode = packet.returnCode;
    attempt.localPort = (client.stream as TLSSocket).localPort ?? 0;
  });
  client.on('error', (error) => (attempt.errorMessage = error.message));
  return new Promise((resolve) => {
    client.once('close', () => resolve(attempt));
    client.once('connect', () => client.end(true, () => resolve(attempt)));
  });
}

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('broker admission', () => {
  let warden: TestWarden;
  let fleetCa: TestCertificate;

  async function eventsOf(clientId: string): Promise<ConnectionEvent[]> {
    return warden.service.history.query({ since: 0, clientId });
  }

  /** Asserts the client was refused with CONNACK 5 and the refusal is in the history. */
  async function assertRefused(
    clientId: string,
    device: TestCertificate | undefined,
    reason: string,
  ): Promise<void> {
    const attempt = await attemptConnect(warden, clientId, device);
    assert.equal(attempt.returnCode, 5, `CONNACK return code for ${clientId}`);
    assert.equal(attempt.errorMessage, 'Connection refused: Not authorized');

    const events = await eventsOf(clientId);
    assert.equal(events.length, 1, JSON.stringify(events));
    const [event] = events;
    assert.equal(event?.type, 'connect-failure');
    assert.equal(event?.reason, reason);
    assert.equal(event?.clientId, clientId);
    assert.equal(event?.certificateId, device ? certificateIdOf(device) : undefined);
    assert.equal(event?.sourceIp, '127.0.0.1');
    assert.equal(event?.sourcePort, attempt.localPort);
  }

  before(async () => {
    warden = await TestWarden.start();
    fleetCa = await createTestCa('Fleet CA');
    await warden.registerCa(fleetCa);
    await warden.createPolicy('allow-all', ALLOW_ALL);
  });

  after(async () => {
    await warden?.stop();
  });

  test('refuses an INACTIVE certificate', async () => {
    const device = await issueTestCertificate(fleetCa, 'inactive-1');
    const registered = await warden.api('POST', '/certificate/register', {
      certificatePem: device.certPem,
      status: 'INACTIVE',
    });
    assert.equal(registered.status, 200);
    await warden.api('PUT', `/target-policies/allow-all`, {
      target: registered.body.certificateArn,
    });

    await assertRefused('inactive-1', device, 'certificate-not-active');
  });

  test('refuses unregistered certificates from any signer', async () => {
    const otherCa = await createTestCa('Unregistered CA');
    const cases: [string, TestCertificate][] = [
      ['signed-by-registered-ca', await issueTestCertificate(fleetCa, 'stranger-1')],
      ['signed-by-unregistered-ca', await issueTestCertificate(otherCa, 'stranger-2')],
      ['self-signed', await createSelfSignedTestCertificate('stranger-3')],
    ];
    for (const [clientId, device] of cases) {
      await assertRefused(clientId, device, 'certificate-not-registered');
    }
  });

  test('refuses a client without a certificate', async () => {
    await assertRefused('no-certificate', undefined, 'no-client-certificate');
  });

  test('admits certificates registered without a CA', async () => {
    const unregisteredCa = await createTestCa('Never registered CA');
    const cases: [string, TestCertificate][] = [
      ['solo-1', await createSelfSignedTestCertificate('solo-1')],
      ['solo-2', await issueTestCertificate(unregisteredCa, 'solo-2')],
    ];
    for (const [clientId, device] of cases) {
      await warden.registerDevice(clientId, device, { policyName: 'allow-all', withoutCa: true });

      const attempt = await attemptConnect(warden, clientId, device);
      assert.equal(attempt.returnCode, 0, clientId);
      const events = await waitFor(async () => {
        const all = await eventsOf(clientId);
        return all.some((event) => event.type === 'disconnect') ? all : undefined;
      }, `the disconnect of ${clientId}`);
      const id = certificateIdOf(device);
      assert.deepEqual(
        events.map((event) => [event.type, event.thingName, event.certificateId, event.sourcePort]),
        [
          ['connect-success', clientId, id, attempt.localPort],
          ['disconnect', clientId, id, attempt.localPort],
        ],
      );
      assert.equal(events[1]?.reason, 'client-disconnected');
    }
  });

  test('refuses and drops certificates of an INACTIVE CA', async () => {
    const ca = await createTestCa('Retired CA');
    const caId = await warden.registerCa(ca);
    const device = await issueTestCertificate(ca, 'retired-1');
    await warden.registerDevice('retired-1', device, { policyName: 'allow-all' });
    const live = await warden.connect('retired-1', device);
    const liveClosed = closed(live);

    const updated = await warden.api('PUT', `/cacertificate/${caId}?newStatus=INACTIVE`);
    assert.equal(updated.status, 200);
    await liveClosed;

    const attempt = await attemptConnect(warden, 'retired-1', device);
    assert.equal(attempt.returnCode, 5);
    const events = await eventsOf('retired-1');
    assert.deepEqual(
      events.map((event) => [event.type, event.reason]),
      [
        ['connect-success', undefined],
        ['disconnect', 'ca-certificate-not-active'],
        ['connect-failure', 'ca-certificate-not-active'],
      ],
    );
    assert.equal(events[2]?.sourcePort, attempt.localPort);
  });

  test('refuses a certificate without iot:Connect', async () => {
    const device = await issueTestCertificate(fleetCa, 'no-policy-1');
    await warden.registerDevice('no-policy-1', device);

    const attempt = await attemptConnect(warden, 'no-policy-1', device);
    assert.equal(attempt.returnCode, 5);
    const [event] = await eventsOf('no-policy-1');
    assert.equal(event?.type, 'connect-failure');
    assert.equal(event?.reason, 'connect-not-authorized');
    assert.equal(event?.thingName, 'no-policy-1');
  });

  test('disconnects the first client on takeover', async () => {
    const device = await issueTestCertificate(fleetCa, 'twin-1');
    await warden.registerDevice('twin-1', device, { policyName: 'allow-all' });
    const first = await warden.connect('twin-1', device);
    const firstPort = (first.stream as TLSSocket).localPort;
    const firstClosed = closed(first);
    const second = await warden.connect('twin-1', device);
    const secondPort = (second.stream as TLSSocket).localPort;
    await firstClosed;
    assert.equal(second.connected, true);

    const events = await waitFor(async () => {
      const all = await eventsOf('twin-1');
      return all.length >= 4 ? all : undefined;
    }, 'the takeover events of twin-1');
    assert.deepEqual(
      events.map((event) => [event.type, event.sourcePort, event.reason]),
      [
        ['connect-success', firstPort, undefined],
        ['takeover', secondPort, `taken over from 127.0.0.1:${firstPort}`],
        ['connect-success', secondPort, undefined],
        ['disconnect', firstPort, 'duplicate-client-id'],
      ],
    );
    await second.endAsync();
  });

  test('drops the session of a deactivated certificate', async () => {
    const device = await issueTestCertificate(fleetCa, 'revoked-1');
    await warden.registerDevice('revoked-1', device, { policyName: 'allow-all' });
    const client = await warden.connect('revoked-1', device);
    const clientClosed = closed(client);

    const id = certificateIdOf(device);
    const started = Date.now();
    const updated = await warden.api('PUT', `/certificates/${id}?newStatus=INACTIVE`);
    assert.equal(updated.status, 200);
    await clientClosed;
    assert.ok(Date.now() - started < 1000, 'the session closed within a second');

    const events = await eventsOf('revoked-1');
    assert.deepEqual(
      events.map((event) => [event.type, event.reason]),
      [
        ['connect-success', undefined],
        ['disconnect', 'certificate-not-active'],
      ],
    );
    const live = [...warden.service.broker.sessions.values()];
    assert.deepEqual(
      live.filter((session) => session.clientId === 'revoked-1'),
      [],
    );
  });
});
