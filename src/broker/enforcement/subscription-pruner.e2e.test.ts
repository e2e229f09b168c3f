import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { TestWarden } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../../testing/pki.ts';
import { subscribedFilters } from './subscription-pruner.ts';

const DEVICE = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iot:Connect', 'iot:Receive', 'iot:Publish'], Resource: '*' },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: 'arn:aws:iot:*:*:topicfilter/*' },
  ],
};

const NO_FLEET_SUBSCRIPTIONS = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: 'arn:aws:iot:*:*:topicfilter/fleet/*' },
  ],
};

function inbox(client: MqttClient): string[] {
  const messages: string[] = [];
  client.on('message', (topic, payload) => messages.push(`${topic}=${payload.toString()}`));
  return messages;
}

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('subscription pruning on rebind', () => {
  let warden: TestWarden;
  let ca: TestCertificate;

  async function device(name: string): Promise<{ certificate: TestCertificate; arn: string }> {
    const certificate = await issueTestCertificate(ca, name);
    const arn = await warden.registerDevice(name, certificate, { policyName: 'device' });
    return { certificate, arn };
  }

  function connectPersistent(name: string, certificate: TestCertificate): Promise<MqttClient> {
    const client = mqtt.connect(warden.endpoints.mqtt, {
      clientId: name,
      clean: false,
      protocolVersion: 4,
      cert: certificate.certPem,
      key: certificate.keyPem,
      ca: warden.serverCaPem,
      reconnectPeriod: 0,
    });
    return new Promise((resolve, reject) => {
      client.once('connect', () => resolve(client));
      client.once('error', reject);
    });
  }

  function sessionOf(clientId: string) {
    return [...warden.service.broker.sessions.values()].find((s) => s.clientId === clientId);
  }

  before(async () => {
    warden = await TestWarden.start();
    ca = await createTestCa('Fleet CA');
    await warden.registerCa(ca);
    await warden.createPolicy('device', DEVICE);
    await warden.createPolicy('no-fleet', NO_FLEET_SUBSCRIPTIONS);
  });

  after(async () => {
    await warden?.stop();
  });

  test('keeps still-allowed subscriptions', async () => {
    const { certificate } = await device('lamp-1');
    const client = await warden.connect('lamp-1', certificate);
    await client.subscribeAsync(['fleet/lamps', 'lamps/lamp-1'], { qos: 0 });

    assert.equal((await warden.api('POST', '/things/unrelated-thing', {})).status, 200);
    await warden.service.broker.settled();
    const session = sessionOf('lamp-1');
    assert.ok(session);
    assert.deepEqual(subscribedFilters(session.client).sort(), ['fleet/lamps', 'lamps/lamp-1']);
    await client.endAsync();
  });

  test('revoked persistent subscription stays gone', async () => {
    const { certificate, arn } = await device('lamp-2');
    const first = await connectPersistent('lamp-2', certificate);
    await first.subscribeAsync(['fleet/lamps', 'lamps/lamp-2'], { qos: 1 });

    const attached = await warden.api('PUT', '/target-policies/no-fleet', { target: arn });
    assert.equal(attached.status, 200);
    await warden.service.broker.settled();
    const session = sessionOf('lamp-2');
    assert.ok(session);
    assert.deepEqual(subscribedFilters(session.client), ['lamps/lamp-2']);
    await first.endAsync();

    // With the deny gone, a subscription restored from the persistence would be allowed again.
    const detached = await warden.api('POST', '/target-policies/no-fleet', { target: arn });
    assert.equal(detached.status, 200);
    const second = await connectPersistent('lamp-2', certificate);
    const received = inbox(second);
    const broker = warden.service.broker;
    await broker.publish('fleet/lamps', Buffer.from('off'), 1);
    await broker.publish('lamps/lamp-2', Buffer.from('marker'), 1);
    await waitFor(() => (received.length > 0 ? true : undefined), 'the marker');
    assert.deepEqual(received, ['lamps/lamp-2=marker']);
    await second.endAsync();
  });
});
