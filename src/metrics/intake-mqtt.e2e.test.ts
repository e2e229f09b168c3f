import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Decoder, Encoder } from 'cbor-x';
import type { MqttClient } from 'mqtt';
import { FakeClock } from '../core/clock.ts';
import { TestWarden } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import { sharedPath } from '../testing/shared-reference.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};
const INTERVAL_MS = 300_000;
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });
const cborAnswers = new Decoder({ useRecords: false, mapsAsObjects: true });

function reportTopic(thingName: string, format: 'json' | 'cbor' = 'json'): string {
  return `$aws/things/${thingName}/defender/metrics/${format}`;
}

function fixture(name: string, reportId: number): Record<string, any> {
  const path = sharedPath('fixtures', 'metrics-reports', name);
  const report = JSON.parse(readFileSync(path, 'utf8'));
  if (report.header) report.header.report_id = reportId;
  else report.hed.rid = reportId;
  return report;
}

function threePorts(reportId: number): Record<string, unknown> {
  return {
    header: { report_id: reportId, version: '1.0' },
    metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 80 }, { port: 443 }] } },
  };
}

/** JSON for assertion messages; CBOR answers carry the timestamp as a bigint. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item));
}

/** An answer from the broker, with the topic level after the report topic. */
interface Answer {
  outcome: string;
  body: any;
}

/**
 * Publishes reports and waits for the broker's answer on the report topic's `/accepted` or
 * `/rejected` level, decoding CBOR answers of CBOR topics.
 */
class ReportChannel {
  private readonly waiting = new Map<string, (answer: Answer) => void>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      const match = /^(.*)\/(accepted|rejected)$/.exec(topic);
      const resolve = match?.[1] === undefined ? undefined : this.waiting.get(match[1]);
      if (!match?.[1] || !resolve) return;
      this.waiting.delete(match[1]);
      const body = match[1].endsWith('/cbor')
        ? cborAnswers.decode(payload)
        : JSON.parse(payload.toString('utf8'));
      resolve({ outcome: match[2] ?? '', body });
    });
  }

  static async open(warden: TestWarden, clientId: string, device: TestCertificate) {
    const client = await warden.connect(clientId, device);
    await client.subscribeAsync('$aws/things/#', { qos: 1 });
    return new ReportChannel(client);
  }

  exchange(topic: string, payload: string | Buffer): Promise<Answer> {
    const answer = new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No answer on "${topic}"`)), 3000);
      this.waiting.set(topic, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    this.client.publish(topic, payload, { qos: 1 });
    return answer;
  }
}

describe('report intake over MQTT', () => {
  const clock = new FakeClock();
  let warden: TestWarden;
  let fleetCa: TestCertificate;
  let sensor: ReportChannel;

  async function device(name: string): Promise<TestCertificate> {
    const certificate = await issueTestCertificate(fleetCa, name);
    await warden.registerDevice(name, certificate, { policyName: 'allow-all' });
    return certificate;
  }

  async function activeBehaviors(thingName: string): Promise<string[]> {
    const response = await warden.api('GET', `/active-violations?thingName=${thingName}`);
    return response.body.activeViolations.map((violation: any) => violation.behavior.name);
  }

  async function storedReportIds(thingName: string): Promise<number[]> {
    const reports = await warden.service.detect.store.queryReports(thingName, 0, clock.now() + 1);
    return reports.map((report) => report.reportId);
  }

  before(async () => {
    warden = await TestWarden.start({ clock, minReportIntervalMs: INTERVAL_MS });
    fleetCa = await createTestCa('Fleet CA');
    await warden.registerCa(fleetCa);
    await warden.createPolicy('allow-all', ALLOW_ALL);
    const behaviors = [
      {
        name: 'few-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    const created = await warden.api('POST', '/security-profiles/ports', { behaviors });
    assert.equal(created.status, 200);
    const target = 'arn:aws:iot:us-east-1:123456789012:all/things';
    const attached = await warden.api(
      'PUT',
      `/security-profiles/ports/targets?securityProfileTargetArn=${target}`,
    );
    assert.equal(attached.status, 200);
    sensor = await ReportChannel.open(warden, 'sensor-1', await device('sensor-1'));
  });

  after(async () => {
    await sensor?.client.endAsync();
    await warden?.stop();
  });

  test('accepts documented reports in JSON and CBOR', async () => {
    const cases = [
      ['documented-long-names.json', 'json', 1001],
      ['documented-short-names.json', 'json', 1002],
      ['documented-long-names.json', 'cbor', 1003],
      ['documented-short-names.json', 'cbor', 1004],
    ] as const;
    for (const [name, format, reportId] of cases) {
      clock.advance(INTERVAL_MS);
      const report = fixture(name, reportId);
      const payload = format === 'json' ? JSON.stringify(report) : cbor.encode(report);
      const answer = await sensor.exchange(reportTopic('sensor-1', format), payload);

      assert.equal(answer.outcome, 'accepted', `${name} as ${format}: ${show(answer)}`);
      assert.equal(answer.body.thingName, 'sensor-1');
      assert.equal(Number(answer.body.reportId), reportId);
      assert.equal(answer.body.status, 'ACCEPTED');
      assert.equal(Number(answer.body.timestamp), clock.now());
    }
    assert.deepEqual(await storedReportIds('sensor-1'), [1001, 1002, 1003, 1004]);
    assert.deepEqual(await activeBehaviors('sensor-1'), ['few-listeners']);
  });

  test('rejects bad reports with exact codes', async () => {
    const bad = await ReportChannel.open(warden, 'bad-1', await device('bad-1'));
    clock.advance(INTERVAL_MS);
    const first = await bad.exchange(
      reportTopic('bad-1'),
      JSON.stringify({
        header: { report_id: 10, version: '1.0' },
        metrics: { listening_tcp_ports: { ports: [{ port: 22 }] } },
      }),
    );
    assert.equal(first.outcome, 'accepted');

    const valid = JSON.stringify(threePorts(11));
    const longList = { hed: { rid: 11, v: '1.0' }, met: { tp: { pts: [] as unknown[] } } };
    for (let port = 0; port < 10_000; port++) longList.met.tp.pts.push({ pt: port });
    const withHeader = (metrics: unknown) =>
      JSON.stringify({ header: { report_id: 11, version: '1.0' }, ...(metrics as object) });
    const oversize = JSON.stringify({ ...threePorts(11), padding: 'x'.repeat(131_072) });

    // [case, topic, payload, error code, error message, report id in the answer]
    const cases: [string, string, string | Buffer, string, string, number?][] = [
      [
        'truncated JSON',
        reportTopic('bad-1'),
        valid.slice(0, 20),
        'InvalidPayload',
        'Malformed metrics report: Unterminated string in JSON at position 20',
      ],
      [
        'truncated CBOR',
        reportTopic('bad-1', 'cbor'),
        cbor.encode(threePorts(11)).subarray(0, 15),
        'InvalidPayload',
        'Malformed metrics report: Unexpected end of CBOR data',
      ],
      [
        'report id of the wrong type',
        reportTopic('bad-1'),
        JSON.stringify({ header: { report_id: '11', version: '1.0' }, metrics: {} }),
        'InvalidPayload',
        'Invalid report id "11" at "header.report_id": must be a positive integer, received a string',
      ],
      [
        'ports list of the wrong type',
        reportTopic('bad-1'),
        withHeader({ metrics: { listening_tcp_ports: { ports: 'x' } } }),
        'InvalidPayload',
        'Invalid ports list at "metrics.listening_tcp_ports.ports": must be an array, received a string',
        11,
      ],
      [
        'missing header',
        reportTopic('bad-1'),
        JSON.stringify({ metrics: {} }),
        'InvalidPayload',
        'Missing header at "header"',
      ],
      [
        'negative counter',
        reportTopic('bad-1'),
        withHeader({ metrics: { network_stats: { bytes_in: -1 } } }),
        'InvalidPayload',
        'Invalid counter "-1" at "metrics.network_stats.bytes_in": must be a non-negative integer',
        11,
      ],
      [
        'non-integer counter',
        reportTopic('bad-1'),
        withHeader({ metrics: { network_stats: { packets_out: 1.5 } } }),
        'InvalidPayload',
        'Invalid counter "1.5" at "metrics.network_stats.packets_out": must be a non-negative integer',
        11,
      ],
      [
        'port above 65535',
        reportTopic('bad-1'),
        withHeader({ metrics: { listening_tcp_ports: { ports: [{ port: 70_000 }] } } }),
        'InvalidPayload',
        'Invalid port "70000" at "metrics.listening_tcp_ports.ports[0].port": must be an integer 0-65535',
        11,
      ],
      [
        'negative port',
        reportTopic('bad-1'),
        withHeader({ metrics: { listening_udp_ports: { ports: [{ port: -1 }] } } }),
        'InvalidPayload',
        'Invalid port "-1" at "metrics.listening_udp_ports.ports[0].port": must be an integer 0-65535',
        11,
      ],
      [
        '10,000-entry list',
        reportTopic('bad-1'),
        JSON.stringify(longList),
        'InvalidPayload',
        'Invalid ports list at "met.tp.pts": must have at most 1000 entries, received 10000',
        11,
      ],
      [
        'invalid CIDR in ip_list',
        reportTopic('bad-1'),
        withHeader({ custom_metrics: { addresses: [{ ip_list: ['10.0.0.0/33'] }] } }),
        'InvalidPayload',
        'Invalid IP address "10.0.0.0/33" at "custom_metrics.addresses[0].ip_list[0]": must be an IPv4 or IPv6 address',
        11,
      ],
      [
        'report sooner than the minimum interval',
        reportTopic('bad-1'),
        valid,
        'Throttled',
        'Thing "bad-1" reported 0 s after its previous report; at most one report per 300 s is accepted, retry in 300 s',
        11,
      ],
      [
        'duplicate report id',
        reportTopic('bad-1'),
        JSON.stringify(threePorts(10)),
        'DuplicateReportId',
        'Report id 10 is not greater than the last accepted report id 10 of thing "bad-1"',
        10,
      ],
      [
        'payload above 128 KiB',
        reportTopic('bad-1'),
        oversize,
        'PayloadTooLarge',
        `Metrics report too large: ${oversize.length} bytes, the maximum is 131072 bytes`,
      ],
      [
        'control character in the thing name',
        reportTopic('bad\u0001name'),
        valid,
        'InvalidThingName',
        'Invalid thing name "bad\\u0001name": must not contain control characters',
      ],
      [
        'NUL in the thing name',
        reportTopic('bad\u0000name'),
        valid,
        'InvalidThingName',
        'Invalid thing name "bad\\u0000name": must not contain control characters',
      ],
      [
        'slash in the thing name',
        reportTopic('bad/name'),
        valid,
        'InvalidThingName',
        'Invalid thing name "bad/name": must not contain "+", "#" or "/"',
      ],
    ];

    for (const [name, topic, payload, code, message, reportId] of cases) {
      const answer = await bad.exchange(topic, payload);
      assert.equal(answer.outcome, 'rejected', `${name}: ${show(answer.body)}`);
      assert.equal(answer.body.status, 'REJECTED', name);
      assert.equal(answer.body.statusDetails.ErrorCode, code, name);
      assert.equal(answer.body.statusDetails.ErrorMessage, message, name);
      assert.equal(answer.body.reportId, reportId, `${name}: report id`);
    }

    assert.equal(bad.client.connected, true);
    assert.deepEqual(await storedReportIds('bad-1'), [10]);
    assert.equal(warden.service.detect.reportStates.get('bad-1')?.lastReportId, 10);
    assert.deepEqual(await activeBehaviors('bad-1'), []);
    assert.equal(warden.service.detect.reportStates.get('bad\u0001name'), undefined);
    await bad.client.endAsync();
  });

  test('closes connections publishing to wildcard topics', async () => {
    const certificate = await device('wild-1');
    for (const thingName of ['wild+1', 'wild#1']) {
      const client = await warden.connect('wild-1', certificate);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      const published = client.publishAsync(reportTopic(thingName), JSON.stringify(threePorts(1)), {
        qos: 1,
      });
      await closed;
      // mqtt.js keeps an unacknowledged publish for a reconnect until the client is ended.
      client.end(true);
      await assert.rejects(published, { message: 'Connection closed' });
    }

    const events = await warden.service.history.query({ since: 0, clientId: 'wild-1' });
    assert.deepEqual(
      events.map((event) => [event.type, event.reason]),
      [
        ['connect-success', undefined],
        ['disconnect', 'client-error'],
        ['connect-success', undefined],
        ['disconnect', 'client-error'],
      ],
    );
    assert.equal(warden.service.detect.reportStates.get('wild+1'), undefined);
  });

  test('accepts a healthy client after bad inputs', async () => {
    const healthy = await ReportChannel.open(warden, 'healthy-1', await device('healthy-1'));
    const answer = await healthy.exchange(
      reportTopic('healthy-1', 'cbor'),
      cbor.encode(fixture('documented-short-names.json', 5)),
    );
    assert.equal(answer.outcome, 'accepted');
    assert.equal(answer.body.thingName, 'healthy-1');
    assert.equal(answer.body.reportId, 5);
    assert.deepEqual(await activeBehaviors('healthy-1'), ['few-listeners']);
    await healthy.client.endAsync();
  });
});
