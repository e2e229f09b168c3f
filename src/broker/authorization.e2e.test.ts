import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt, { type ErrorWithSubackPacket, type MqttClient } from 'mqtt';
import type { ConnectionEvent } from '../history/connection-event.ts';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

function report(reportId: number): string {
  return JSON.stringify({
    header: { report_id: reportId, version: '1.0' },
    metrics: { listening_tcp_ports: { ports: [{ port: 22 }], total: 1 } },
  });
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

/** Publishes at QoS 1 and fails at once if the broker closes the connection instead of a PUBACK. */
function publishAcknowledged(client: MqttClient, topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error(`Connection closed before the PUBACK for "${topic}"`));
    client.once('close', onClose);
    client.publishAsync(topic, payload, { qos: 1 }).then(() => {
      client.off('close', onClose);
      resolve();
    }, reject);
  });
}

/** Collects every message a client receives, so a test can check what did not arrive. */
function inbox(client: MqttClient): { topic: string; payload: string }[] {
  const messages: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => messages.push({ topic, payload: payload.toString() }));
  return messages;
}

async function waitFor<T>(read: () => Promise<T | undefined> | T | undefined, what: string) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 8000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('broker authorization', () => {
  let warden: TestWarden;
  let fleetCa: TestCertificate;
  let certDir: string;

  async function device(name: string, policyName: string): Promise<TestCertificate> {
    const certificate = await issueTestCertificate(fleetCa, name);
    await warden.registerDevice(name, certificate, { policyName });
    return certificate;
  }

  async function failuresOf(clientId: string): Promise<(string | undefined)[][]> {
    const events = await warden.service.history.query({
      since: 0,
      clientId,
      types: ['authorization-failure'],
    });
    return events.map((event: ConnectionEvent) => [event.action, event.resource]);
  }

  /** Writes a device's PEM files and returns the mosquitto client TLS arguments for it. */
  async function mosquittoArgs(name: string, certificate: TestCertificate): Promise<string[]> {
    const files = {
      ca: path.join(certDir, 'server-ca.pem'),
      cert: path.join(certDir, `${name}.pem`),
      key: path.join(certDir, `${name}.key`),
    };
    await writeFile(files.ca, warden.serverCaPem);
    await writeFile(files.cert, certificate.certPem);
    await writeFile(files.key, certificate.keyPem, { mode: 0o600 });
    return [
      ...['--cafile', files.ca, '--cert', files.cert, '--key', files.key],
      ...['-h', '127.0.0.1', '-p', String(warden.mqttPort), '-i', name, '-V', 'mqttv311'],
    ];
  }

  before(async () => {
    warden = await TestWarden.start();
    fleetCa = await createTestCa('Fleet CA');
    await warden.registerCa(fleetCa);
    await warden.createPolicy('thing-scoped', thingScopedPolicy());
    await warden.createPolicy('allow-all', ALLOW_ALL);
    certDir = await mkdtemp(path.join(tmpdir(), 'warden-mosquitto-'));
  });

  after(async () => {
    await warden?.stop();
    await rm(certDir, { recursive: true, force: true });
  });

  test('denied SUBSCRIBE gets SUBACK 0x80, connection stays', async () => {
    const subscriber = await warden.connect('sub-1', await device('sub-1', 'thing-scoped'));

    // mqtt.js rejects a SUBACK with any failure code and carries the packet on the error.
    const granted = await subscriber
      .subscribeAsync(
        ['$aws/things/other-thing/shadow/get', '$aws/things/sub-1/defender/metrics/json/+'],
        { qos: 1 },
      )
      .then(
        () => assert.fail('the subscription was not denied'),
        (error: ErrorWithSubackPacket) => error,
      );
    assert.equal(granted.message, 'Subscribe error: Unspecified error');
    assert.deepEqual(granted.packet.granted, [0x80, 1]);
    await publishAcknowledged(subscriber, '$aws/things/sub-1/defender/metrics/json', report(1));
    assert.equal(subscriber.connected, true);
    assert.deepEqual(await failuresOf('sub-1'), [
      ['iot:Subscribe', '$aws/things/other-thing/shadow/get'],
    ]);
    await subscriber.endAsync();
  });

  test('denied PUBLISH closes the connection', async () => {
    const certificate = await device('pub-1', 'thing-scoped');
    const client = await warden.connect('pub-1', certificate);
    const clientClosed = closed(client);
    client.publish('$aws/things/other-thing/shadow/update', '{}', { qos: 1 });
    await clientClosed;

    assert.deepEqual(await failuresOf('pub-1'), [
      ['iot:Publish', '$aws/things/other-thing/shadow/update'],
    ]);
    const disconnect = await waitFor(async () => {
      const events = await warden.service.history.query({
        since: 0,
        clientId: 'pub-1',
        types: ['disconnect'],
      });
      return events[0];
    }, 'the disconnect of pub-1');
    assert.equal(disconnect.reason, 'publish-not-authorized');
  });

  test('a retained PUBLISH also needs iot:RetainPublish', async () => {
    const certificate = await device('retain-1', 'thing-scoped');
    const client = await warden.connect('retain-1', certificate);
    const own = '$aws/things/retain-1/state';
    await publishAcknowledged(client, own, '{}');
    const clientClosed = closed(client);
    client.publish(own, '{"retained":true}', { qos: 1, retain: true });
    await clientClosed;
    assert.deepEqual(await failuresOf('retain-1'), [['iot:RetainPublish', own]]);
  });

  test('denied iot:Receive withholds the message', async () => {
    await warden.createPolicy('no-secrets', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iot:Connect', 'iot:Subscribe', 'iot:Receive'], Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'iot:Receive',
          Resource: 'arn:aws:iot:*:*:topic/fleet/secret',
        },
      ],
    });
    const receiver = await warden.connect('recv-1', await device('recv-1', 'no-secrets'));
    const sender = await warden.connect('send-1', await device('send-1', 'allow-all'));
    const received = inbox(receiver);
    const granted = await receiver.subscribeAsync('fleet/#', { qos: 1 });
    assert.equal(granted[0]?.qos, 1);

    await sender.publishAsync('fleet/secret', 'classified', { qos: 1 });
    await sender.publishAsync('fleet/open', 'hello', { qos: 1 });
    await waitFor(() => (received.length > 0 ? true : undefined), 'the open message');
    assert.deepEqual(received, [{ topic: 'fleet/open', payload: 'hello' }]);
    assert.deepEqual(await failuresOf('recv-1'), [['iot:Receive', 'fleet/secret']]);
    assert.equal(receiver.connected, true);
    await Promise.all([receiver.endAsync(), sender.endAsync()]);
  });

  test('gateway reports only for allowed things', async () => {
    const child = '$aws/things/child-1/defender/metrics/json';
    await warden.createPolicy('gateway', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:*:*:client/gw-1' },
        { Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:*:*:topic/${child}` },
        {
          Effect: 'Allow',
          Action: 'iot:Subscribe',
          Resource: `arn:aws:iot:*:*:topicfilter/${child}/*`,
        },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `arn:aws:iot:*:*:topic/${child}/*` },
      ],
    });
    assert.equal((await warden.api('POST', '/things/child-1', {})).status, 200);
    const gateway = await warden.connect('gw-1', await device('gw-1', 'gateway'));
    const received = inbox(gateway);
    await gateway.subscribeAsync(`${child}/+`, { qos: 1 });

    await gateway.publishAsync(child, report(7), { qos: 1 });
    await waitFor(() => (received.length > 0 ? true : undefined), 'the answer for child-1');
    assert.equal(received[0]?.topic, `${child}/accepted`);
    const answer = JSON.parse(received[0]?.payload ?? '{}');
    assert.equal(answer.thingName, 'child-1');
    assert.equal(answer.reportId, 7);
    assert.equal(answer.status, 'ACCEPTED');

    const gatewayClosed = closed(gateway);
    gateway.publish('$aws/things/child-2/defender/metrics/json', report(8), { qos: 1 });
    await gatewayClosed;
    assert.equal(received.length, 1);
    assert.equal(warden.service.detect.reportStates.get('child-2'), undefined);
    assert.equal(warden.service.detect.reportStates.get('child-1')?.lastReportId, 7);
    assert.deepEqual(await failuresOf('gw-1'), [
      ['iot:Publish', '$aws/things/child-2/defender/metrics/json'],
    ]);
  });

  test('iot:DomainName condition survives a rebind', async () => {
    await warden.createPolicy('by-domain', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iot:Publish',
          Resource: 'arn:aws:iot:*:*:topic/domain/*',
          Condition: { StringEquals: { 'iot:DomainName': 'localhost' } },
        },
      ],
    });
    const certificate = await device('domain-1', 'by-domain');
    const client = mqtt.connect(warden.endpoints.mqtt, {
      clientId: 'domain-1',
      protocolVersion: 4,
      cert: certificate.certPem,
      key: certificate.keyPem,
      ca: warden.serverCaPem,
      servername: 'localhost',
      reconnectPeriod: 0,
    });
    await new Promise((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    await publishAcknowledged(client, 'domain/before', 'x');

    // Creating any thing makes the broker rebind the authorizer of every live session.
    assert.equal((await warden.api('POST', '/things/unrelated-1', {})).status, 200);
    await publishAcknowledged(client, 'domain/after', 'x');
    assert.equal(client.connected, true);
    assert.deepEqual(await failuresOf('domain-1'), []);
    await client.endAsync();
  });

  test('mosquitto clients get answers and denials', async () => {
    const deviceArgs = await mosquittoArgs('mq-1', await device('mq-1', 'thing-scoped'));
    const opsArgs = await mosquittoArgs('ops-1', await device('ops-1', 'allow-all'));
    const topic = '$aws/things/mq-1/defender/metrics/json';

    const listener = spawn(
      'mosquitto_sub',
      [...opsArgs, '-t', `${topic}/+`, '-q', '1', '-C', '1', '-W', '8', '-v'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    listener.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => listener.on('exit', resolve));
    await waitFor(() => {
      const sessions = [...warden.service.broker.sessions.values()];
      const ops = sessions.find((session) => session.clientId === 'ops-1');
      // aedes keeps granted subscriptions on the client object; its typings omit the field.
      const granted = (ops?.client as { subscriptions?: Record<string, unknown> } | undefined)
        ?.subscriptions;
      return granted && `${topic}/+` in granted ? true : undefined;
    }, 'the subscription of ops-1');

    const published = await run('mosquitto_pub', [...deviceArgs, '-t', topic, '-m', report(3)]);
    assert.deepEqual(published, { code: 0, stdout: '', stderr: '' });
    assert.equal(await exited, 0);
    const line = output.split('\n').find((entry) => entry.startsWith(`${topic}/`)) ?? '';
    const [answerTopic, ...rest] = line.split(' ');
    assert.equal(answerTopic, `${topic}/accepted`);
    const answer = JSON.parse(rest.join(' '));
    assert.deepEqual([answer.thingName, answer.reportId, answer.status], ['mq-1', 3, 'ACCEPTED']);

    const denied = await run('mosquitto_sub', [...deviceArgs, '-t', 'fleet/#', '-C', '1']);
    assert.deepEqual(denied, {
      code: 0,
      stdout: '',
      stderr: 'All subscription requests were denied.\n',
    });
    const refused = await run('mosquitto_pub', [
      ...deviceArgs,
      '-t',
      'fleet/x',
      '-m',
      '1',
      '-q',
      '1',
    ]);
    assert.equal(refused.code, 7);
    assert.equal(refused.stderr, 'Error: The connection was lost.\n');
    assert.deepEqual(await failuresOf('mq-1'), [
      ['iot:Subscribe', 'fleet/#'],
      ['iot:Publish', 'fleet/x'],
    ]);
  });
});
