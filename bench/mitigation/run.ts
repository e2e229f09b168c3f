/**
 * Measures how long Warden takes from a device report that breaks a behavior to the mitigation
 * in force on that device's live session. In each trial the device first sends a conforming
 * report, which clears the alarm. It then sends a violating one through the real MQTT intake,
 * and a violation listener runs the mitigation. The trial ends when the effect is visible, then
 * the execution is rolled back and the device reconnects for the next trial.
 *
 *   npm run bench:mitigation -- [--mode deactivate|quarantine] [--trials 200]
 *
 * deactivate: UPDATE_DEVICE_CERTIFICATE, and the effect is the client seeing its connection
 * close. quarantine: ADD_THINGS_TO_THING_GROUP, and the effect is the subscription gone from the
 * broker, which `execute` waits for. Each quarantine trial then checks with a real message that
 * the client no longer receives on the removed subscription.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import {
  inbox,
  MitigationFixture,
  mitigationAction,
  waitFor,
} from '../../src/mitigate/mitigation-fixture.ts';
import type { ExecutionRecord, MitigationAction } from '../../src/mitigate/mitigation-types.ts';
import type { TestCertificate } from '../../src/testing/pki.ts';
import { machineInfo } from '../reports/results.ts';
import { summarizeLatencies, type LatencySummary } from '../reports/stats.ts';

type Mode = 'deactivate' | 'quarantine';

const THING = 'bench-device';
const REPORT_TOPIC = `$aws/things/${THING}/defender/metrics/json`;
const OWN = '$aws/things/${iot:Connection.Thing.ThingName}';

const DEVICE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: 'arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}',
    },
    {
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: [`arn:aws:iot:*:*:topic/${OWN}/*`, 'arn:aws:iot:*:*:topic/fleet/*'],
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [`arn:aws:iot:*:*:topicfilter/${OWN}/*`, 'arn:aws:iot:*:*:topicfilter/fleet/*'],
    },
  ],
};

const QUARANTINE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: 'arn:aws:iot:*:*:topicfilter/fleet/*' },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: 'arn:aws:iot:*:*:topic/fleet/*' },
  ],
};

interface Trial {
  /** Violating report published → violation event raised by the evaluator. */
  reportToViolation: number;
  /** Violation event → `execute` resolved (the effect is in force on the broker). */
  violationToEnforced: number;
  /** Violating report published → effect seen (connection closed, or subscription gone). */
  reportToEffect: number;
}

function report(reportId: number, ports: number): string {
  const list = Array.from({ length: ports }, (_, index) => ({ port: 8000 + index }));
  return JSON.stringify({
    header: { report_id: reportId, version: '1.0' },
    metrics: { listening_tcp_ports: { ports: list, total: ports } },
  });
}

/** Publishes a report and resolves with `accepted` or `rejected`, the intake's response topic. */
async function sendReport(client: MqttClient, payload: string): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    const onMessage = (topic: string) => {
      if (!topic.startsWith(`${REPORT_TOPIC}/`)) return;
      client.off('message', onMessage);
      resolve(topic.slice(REPORT_TOPIC.length + 1));
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(REPORT_TOPIC, payload, { qos: 1 });
  return answer;
}

async function setUp(fixture: MitigationFixture): Promise<TestCertificate> {
  const warden = fixture.warden;
  await warden.createPolicy('bench-device', DEVICE_POLICY);
  await warden.createPolicy('bench-quarantine', QUARANTINE_POLICY);
  const group = await warden.api('POST', '/thing-groups/bench-quarantine', {});
  await warden.api('PUT', '/target-policies/bench-quarantine', {
    target: group.body.thingGroupArn,
  });
  const behaviors = [
    {
      name: 'few-listeners',
      metric: 'aws:num-listening-tcp-ports',
      criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
    },
  ];
  await warden.api('POST', '/security-profiles/bench', { behaviors });
  const allThings = 'arn:aws:iot:us-east-1:123456789012:all/things';
  await warden.api('PUT', `/security-profiles/bench/targets?securityProfileTargetArn=${allThings}`);
  return fixture.device(THING, 'bench-device');
}

async function connectDevice(
  fixture: MitigationFixture,
  device: TestCertificate,
): Promise<{ client: MqttClient; messages: { topic: string; payload: string }[] }> {
  const client = await fixture.warden.connect(THING, device);
  // mqtt.js leaves Nagle's algorithm on. Its wait for the ACK of the previous PUBACK, which the
  // server delays, would add about 40 ms to every report and measure the client, not Warden.
  (client.stream as TLSSocket).setNoDelay(true);
  const messages = inbox(client);
  await client.subscribeAsync([`${REPORT_TOPIC}/+`, 'fleet/commands'], { qos: 1 });
  return { client, messages };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'deactivate' },
      trials: { type: 'string', default: '200' },
    },
  });
  const mode = values.mode as Mode;
  if (mode !== 'deactivate' && mode !== 'quarantine')
    throw new Error(`Invalid --mode "${values.mode}": expected deactivate or quarantine`);
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1 || trials > 10_000)
    throw new Error(`Invalid --trials "${values.trials}": expected a whole number 1-10000`);

  const fixture = await MitigationFixture.start();
  const device = await setUp(fixture);
  const action: MitigationAction =
    mode === 'deactivate'
      ? mitigationAction('bench-deactivate', 'UPDATE_DEVICE_CERTIFICATE', { action: 'DEACTIVATE' })
      : mitigationAction('bench-quarantine', 'ADD_THINGS_TO_THING_GROUP', {
          thingGroupNames: ['bench-quarantine'],
        });

  // The hook the automatic trigger will replace: every in-alarm violation runs the action.
  // Times are taken in the callbacks themselves, so the polling below adds nothing to them.
  let pending: Promise<{ violationAt: number; enforcedAt: number; record: ExecutionRecord }>;
  let started = false;
  const service = fixture.warden.service;
  service.evaluator.onViolationEvent((event) => {
    const violation = service.detect.activeViolations.get(event.violationId);
    if (event.type !== 'in-alarm' || !violation) return;
    const violationAt = performance.now();
    const target = fixture.mitigation.resolver.fromViolation(violation);
    const source = {
      kind: 'violation' as const,
      violationId: event.violationId,
      securityProfileName: event.securityProfileName,
      behaviorName: event.behavior.name,
    };
    started = true;
    pending = fixture.mitigator
      .execute({ action, target, source })
      .then((record) => ({ violationAt, enforcedAt: performance.now(), record }));
  });

  const results: Trial[] = [];
  let reportId = 1;
  let connection = await connectDevice(fixture, device);
  for (let trial = 0; trial < trials; trial++) {
    const answer = await sendReport(connection.client, report(reportId++, 1));
    if (answer !== 'accepted') throw new Error(`Conforming report was ${answer}`);

    started = false;
    const closedAt =
      mode === 'deactivate'
        ? new Promise<number>((resolve) =>
            connection.client.once('close', () => resolve(performance.now())),
          )
        : undefined;
    const sentAt = performance.now();
    connection.client.publish(REPORT_TOPIC, report(reportId++, 3), { qos: 1 });
    await waitFor(() => (started ? true : undefined), 'the violation to start a mitigation');
    const { violationAt, enforcedAt, record } = await pending!;
    if (record.status !== 'COMPLETED')
      throw new Error(`Mitigation ${record.status}: ${record.message}`);
    const effectAt = closedAt ? await closedAt : enforcedAt;
    results.push({
      reportToViolation: violationAt - sentAt,
      violationToEnforced: enforcedAt - violationAt,
      reportToEffect: effectAt - sentAt,
    });

    if (mode === 'quarantine') await checkNotDelivered(fixture, connection.messages);
    await fixture.mitigator.rollback(record.executionId);
    if (mode === 'deactivate') connection = await connectDevice(fixture, device);
    else await connection.client.subscribeAsync('fleet/commands', { qos: 1 });
  }
  await connection.client.endAsync();
  await fixture.stop();
  print(mode, trials, results);
}

/** Sends a command on the removed subscription, then a marker; only the marker may arrive. */
async function checkNotDelivered(
  fixture: MitigationFixture,
  messages: { topic: string; payload: string }[],
): Promise<void> {
  const broker = fixture.warden.service.broker;
  const marker = `marker-${performance.now()}`;
  messages.length = 0;
  await broker.publish('fleet/commands', Buffer.from('must not arrive'));
  await broker.publish(`${REPORT_TOPIC}/accepted`, Buffer.from(marker));
  await waitFor(() => (messages.some((m) => m.payload === marker) ? true : undefined), 'marker');
  if (messages.some((m) => m.topic === 'fleet/commands'))
    throw new Error('A message on the removed subscription reached the quarantined client');
}

function print(mode: Mode, trials: number, results: Trial[]): void {
  const rows: [string, LatencySummary][] = [
    ['report → violation event', summarizeLatencies(results.map((r) => r.reportToViolation))],
    ['violation event → enforced', summarizeLatencies(results.map((r) => r.violationToEnforced))],
    [
      mode === 'deactivate' ? 'report → connection closed' : 'report → subscription gone',
      summarizeLatencies(results.map((r) => r.reportToEffect)),
    ],
  ];
  const machine = machineInfo();
  // Other processes on the machine move the tail figures, so the load is printed with them.
  const load = os.loadavg()[0] ?? NaN;
  console.log(
    `mode ${mode}, ${trials} trials; ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, 1-minute load average ${load.toFixed(2)}`,
  );
  console.log(
    'latency (ms)'.padEnd(30) + ['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(9)).join(''),
  );
  for (const [label, summary] of rows) {
    const cells = [summary.p50, summary.p90, summary.p99, summary.max].map((v) =>
      v.toFixed(2).padStart(9),
    );
    console.log(label.padEnd(30) + cells.join(''));
  }
  const p99 = rows[2]?.[1].p99 ?? NaN;
  console.log(`target p99 < 100 ms for the whole path: ${p99 < 100 ? 'met' : 'NOT met'}`);
}

await main();
