import { resolveClientCredentials } from '../client/client-credentials.ts';
import { signedFetch } from '../client/signed-fetch.ts';
import type { KeyPair } from '../keys/credentials-file.ts';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import { REPO_ROOT } from '../testing/shared-reference.ts';

interface RunningWarden {
  child: ChildProcess;
  mqttUrl: string;
  httpUrl: string;
  serverCaPem: string;
  /** The root key the first start wrote to DATA_DIR/credentials. */
  credentials: KeyPair;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Starts `warden serve` as a child process and waits until its API answers /health. */
async function startWarden(dataDir: string): Promise<RunningWarden> {
  const endpointsFile = path.join(dataDir, 'endpoints.json');
  await rm(endpointsFile, { force: true });
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'warden.js'),
      ...['serve', '--data-dir', dataDir, '--mqtt-port', '0', '--http-port', '0'],
      ...['--report-interval', '0', '--log-level', 'warn'],
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const deadline = Date.now() + 15_000;
  while (!existsSync(endpointsFile)) {
    if (child.exitCode !== null) throw new Error(`warden serve exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`warden serve did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const endpoints = JSON.parse(await readFile(endpointsFile, 'utf8'));
  const credentials = await resolveClientCredentials({}, dataDir);
  const health = await signedFetch(`${endpoints.http}/health`, {}, credentials);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const serverCaPem = await readFile(path.join(dataDir, 'tls', 'server-ca.pem'), 'utf8');
  return {
    child,
    mqttUrl: endpoints.mqtt,
    httpUrl: endpoints.http,
    serverCaPem,
    credentials,
    exited,
    output: () => output,
  };
}

async function api(warden: RunningWarden, method: string, pathAndQuery: string, body?: unknown) {
  const init = {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  const response = await signedFetch(`${warden.httpUrl}${pathAndQuery}`, init, warden.credentials);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function connectDevice(warden: RunningWarden, device: TestCertificate): Promise<MqttClient> {
  const client = mqtt.connect(warden.mqttUrl, {
    clientId: 'durable-1',
    protocolVersion: 4,
    cert: device.certPem,
    key: device.keyPem,
    ca: warden.serverCaPem,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

const REPORT_TOPIC = '$aws/things/durable-1/defender/metrics/json';

function report(reportId: number, ports: number[]): string {
  return JSON.stringify({
    header: { report_id: reportId, version: '1.0' },
    metrics: { listening_tcp_ports: { ports: ports.map((port) => ({ port })) } },
  });
}

/**
 * Publishes a report and resolves with the parsed answer. `onAnswer` runs inside the message
 * handler, before anything else can happen, so a test can kill the server right then.
 */
async function sendReport(
  client: MqttClient,
  payload: string,
  onAnswer: () => void = () => {},
): Promise<any> {
  const answer = new Promise<any>((resolve) => {
    const onMessage = (topic: string, message: Buffer) => {
      if (!topic.startsWith(`${REPORT_TOPIC}/`)) return;
      onAnswer();
      client.off('message', onMessage);
      resolve({ outcome: topic.slice(REPORT_TOPIC.length + 1), ...JSON.parse(message.toString()) });
    };
    client.on('message', onMessage);
  });
  client.publish(REPORT_TOPIC, payload, { qos: 1 });
  return answer;
}

async function activeViolationValues(warden: RunningWarden): Promise<unknown[]> {
  const response = await api(warden, 'GET', '/active-violations?thingName=durable-1');
  assert.equal(response.status, 200);
  return response.body.activeViolations.map((violation: any) => [
    violation.behavior.name,
    violation.lastViolationValue,
  ]);
}

describe('warden serve durability', () => {
  let dataDir: string;
  let device: TestCertificate;
  let running: RunningWarden | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'warden-durable-'));
    const ca = await createTestCa('Durable CA');
    device = await issueTestCertificate(ca, 'durable-1');

    running = await startWarden(dataDir);
    const registeredCa = await api(running, 'POST', '/cacertificate?setAsActive=true', {
      caCertificate: ca.certPem,
    });
    assert.equal(registeredCa.status, 200);
    const registered = await api(running, 'POST', '/certificate/register', {
      certificatePem: device.certPem,
      status: 'ACTIVE',
    });
    assert.equal(registered.status, 200);
    const arn = registered.body.certificateArn;
    const policy = JSON.stringify(thingScopedPolicy());
    assert.equal(
      (await api(running, 'POST', '/policies/device', { policyDocument: policy })).status,
      200,
    );
    assert.equal((await api(running, 'POST', '/things/durable-1', {})).status, 200);
    const principal = await signedFetch(
      `${running.httpUrl}/things/durable-1/principals`,
      { method: 'PUT', headers: { 'x-amzn-principal': arn } },
      running.credentials,
    );
    assert.equal(principal.status, 200);
    assert.equal(
      (await api(running, 'PUT', '/target-policies/device', { target: arn })).status,
      200,
    );
    const behaviors = [
      {
        name: 'few-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    assert.equal(
      (await api(running, 'POST', '/security-profiles/ports', { behaviors })).status,
      200,
    );
    const target = 'arn:aws:iot:us-east-1:123456789012:all/things';
    const attached = await api(
      running,
      'PUT',
      `/security-profiles/ports/targets?securityProfileTargetArn=${target}`,
    );
    assert.equal(attached.status, 200);
  });

  after(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM and restart keep accepted reports', async () => {
    assert.ok(running);
    const client = await connectDevice(running, device);
    await client.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
    for (const [reportId, ports] of [
      [1, [22]],
      [2, [22, 80, 443]],
    ] as const) {
      const answer = await sendReport(client, report(reportId, [...ports]));
      assert.equal(answer.outcome, 'accepted');
      assert.equal(answer.reportId, reportId);
    }

    // The device stays connected: shutdown must end its session instead of waiting for it.
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    running.child.kill('SIGTERM');
    assert.deepEqual(await running.exited, { code: 0, signal: null });
    await clientClosed;
    client.end(true);
    assert.match(running.output(), /Warden is serving/);

    running = await startWarden(dataDir);
    assert.deepEqual(await activeViolationValues(running), [['few-listeners', { count: 3 }]]);
    const again = await connectDevice(running, device);
    await again.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
    const duplicate = await sendReport(again, report(2, [22]));
    assert.equal(duplicate.outcome, 'rejected');
    assert.equal(duplicate.statusDetails.ErrorCode, 'DuplicateReportId');
    assert.equal(
      duplicate.statusDetails.ErrorMessage,
      'Report id 2 is not greater than the last accepted report id 2 of thing "durable-1"',
    );
    await again.endAsync();
  });

  test('SIGKILL loses no acknowledged report', async () => {
    assert.ok(running);
    const client = await connectDevice(running, device);
    await client.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
    const victim = running;
    const answer = await sendReport(client, report(3, [22]), () => victim.child.kill('SIGKILL'));
    assert.equal(answer.outcome, 'accepted');
    assert.deepEqual(await victim.exited, { code: null, signal: 'SIGKILL' });
    client.end(true);

    running = await startWarden(dataDir);
    // Report 3 had one port, so it cleared the alarm that report 2 raised.
    assert.deepEqual(await activeViolationValues(running), []);
    const again = await connectDevice(running, device);
    await again.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
    const duplicate = await sendReport(again, report(3, [22]));
    assert.equal(duplicate.statusDetails?.ErrorCode, 'DuplicateReportId');
    const next = await sendReport(again, report(4, [22, 80]));
    assert.equal(next.outcome, 'accepted');
    await again.endAsync();

    running.child.kill('SIGTERM');
    assert.deepEqual(await running.exited, { code: 0, signal: null });
  });
});

describe('service stop', () => {
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start();
  });

  test('closes live and silent sockets promptly', async () => {
    const ca = await createTestCa('Stop CA');
    const device = await issueTestCertificate(ca, 'stayer-1');
    await warden.registerCa(ca);
    await warden.createPolicy('device', thingScopedPolicy());
    await warden.registerDevice('stayer-1', device, { policyName: 'device' });
    const client = await warden.connect('stayer-1', device);
    const silent = tls.connect({
      host: '127.0.0.1',
      port: warden.mqttPort,
      ca: warden.serverCaPem,
      servername: 'localhost',
    });
    // The broker destroys this socket at stop, which the client sees as a reset.
    silent.on('error', () => {});
    await new Promise<void>((resolve) => silent.once('secureConnect', () => resolve()));
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    const started = Date.now();
    await warden.stop();
    assert.ok(Date.now() - started < 2000, `stop took ${Date.now() - started} ms`);
    await Promise.all([silentClosed, clientClosed]);
    client.end(true);
  });
});
