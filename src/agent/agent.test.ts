import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { decode, encode } from 'cbor-x';

import { runAgent, type AgentOptions } from './agent.ts';
import { createTestPki, startTestBroker, type TestBroker, type TestPki } from './test-broker.ts';

const THING = 'agent-test-thing';
const JSON_TOPIC = `$aws/things/${THING}/defender/metrics/json`;
const CBOR_TOPIC = `$aws/things/${THING}/defender/metrics/cbor`;

type Report = Record<string, any>;

function accepted(reportId: number): Record<string, unknown> {
  return { thingName: THING, reportId, status: 'ACCEPTED', timestamp: Date.now() };
}

function rejected(reportId: number): Record<string, unknown> {
  return {
    thingName: THING,
    reportId,
    status: 'REJECTED',
    statusDetails: { ErrorCode: 'InvalidPayload', ErrorMessage: 'Malformed metrics report' },
    timestamp: Date.now(),
  };
}

describe('runAgent', () => {
  let pki: TestPki;
  let server: TestBroker;
  let lines: string[];

  before(() => {
    pki = createTestPki(THING);
  });

  after(() => {
    pki.remove();
  });

  beforeEach(async () => {
    server = await startTestBroker(pki);
    lines = [];
  });

  afterEach(async () => {
    await server.close();
  });

  /** Options for a fast run. An override of `undefined` removes the option. */
  function options(overrides: { [K in keyof AgentOptions]?: AgentOptions[K] | undefined } = {}) {
    const merged: Record<string, unknown> = {
      endpoint: server.endpoint,
      thingName: THING,
      certFile: pki.deviceCert,
      keyFile: pki.deviceKey,
      caFile: pki.caCert,
      intervalMs: 150,
      format: 'json',
      shortKeys: false,
      reports: 2,
      responseTimeoutMs: 2000,
      reconnectMinMs: 50,
      output: (line: string) => lines.push(line),
      ...overrides,
    };
    for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
    return merged as unknown as AgentOptions;
  }

  /** Sends the response that `respond` returns for every JSON report the agent publishes. */
  async function respondJson(respond: (report: Report) => ['accepted' | 'rejected', unknown]) {
    const reports: Report[] = [];
    await server.onPublish(JSON_TOPIC, (payload) => {
      const report = JSON.parse(payload.toString('utf8')) as Report;
      reports.push(report);
      const [kind, body] = respond(report);
      void server.publish(`${JSON_TOPIC}/${kind}`, JSON.stringify(body));
    });
    return reports;
  }

  it('publishes JSON reports over mutual TLS and prints the accepted responses', async () => {
    const reports = await respondJson((report) => ['accepted', accepted(report.header.report_id)]);

    const summary = await runAgent(options());

    assert.deepEqual(summary, { published: 2, accepted: 2, rejected: 0, unanswered: 0 });
    assert.deepEqual(server.peers, [THING]);
    assert.equal(reports.length, 2);
    const [first, second] = reports.map((report) => report.header.report_id as number);
    assert.ok(first !== undefined);
    assert.ok(second !== undefined);
    assert.ok(second > first, `${second} > ${first}`);
    assert.ok(lines.includes(`Report ${first} accepted`), lines.join('\n'));
    assert.ok(lines.includes(`Report ${second} accepted`), lines.join('\n'));
    assert.equal(lines[0], `Connected to ${server.endpoint} as client "${THING}"`);
    assert.equal(lines.at(-1), 'Stopped after 2 reports: 2 accepted, 0 rejected, 0 unanswered');

    assert.equal(reports[0]?.header.version, '1.0');
    assert.equal(reports[0]?.metrics.network_stats, undefined);
    assert.deepEqual(Object.keys(reports[1]?.metrics.network_stats ?? {}).sort(), [
      'bytes_in',
      'bytes_out',
      'packets_in',
      'packets_out',
    ]);
    // The agent's own MQTT connection to the test broker is one of its established connections.
    // The list is capped at 1000 entries, so on a machine with more connections it may be cut.
    const established = reports[1]?.metrics.tcp_connections.established_connections;
    const port = new URL(server.endpoint).port;
    const listed = established.connections.some(
      (entry: Report) => entry.remote_addr === `127.0.0.1:${port}`,
    );
    assert.ok(listed || established.total > established.connections.length);
  });

  it('prints the error code and message of a rejected report', async () => {
    await respondJson((report) => ['rejected', rejected(report.header.report_id)]);

    const summary = await runAgent(options({ reports: 1 }));

    assert.deepEqual(summary, { published: 1, accepted: 0, rejected: 1, unanswered: 0 });
    const id = /^Publishing report (\d+) /.exec(
      lines.find((line) => line.startsWith('Publishing')) ?? '',
    )?.[1];
    assert.ok(
      lines.includes(`Report ${id} rejected with InvalidPayload: Malformed metrics report`),
      lines.join('\n'),
    );
  });

  it('sends CBOR reports with short keys and reads CBOR responses', async () => {
    const reports: Report[] = [];
    await server.onPublish(CBOR_TOPIC, (payload) => {
      const report = decode(payload) as Report;
      reports.push(report);
      void server.publish(`${CBOR_TOPIC}/accepted`, encode(accepted(report.hed.rid)));
    });

    const summary = await runAgent(options({ format: 'cbor', shortKeys: true }));

    assert.deepEqual(summary, { published: 2, accepted: 2, rejected: 0, unanswered: 0 });
    assert.deepEqual(Object.keys(reports[0] ?? {}).sort(), ['hed', 'met']);
    assert.equal(reports[0]?.hed.v, '1.0');
    assert.deepEqual(Object.keys(reports[1]?.met ?? {}).sort(), ['ns', 'tc', 'tp', 'up']);
    assert.ok(lines.includes(`Report ${reports[1]?.hed.rid} accepted`), lines.join('\n'));
  });

  it('reconnects after the connection drops and keeps reporting', async () => {
    await respondJson((report) => ['accepted', accepted(report.header.report_id)]);
    // Drop the connection once the first response is printed, as a network failure would.
    const output = (line: string) => {
      lines.push(line);
      if (line.endsWith(' accepted') && server.peers.length === 1) server.dropConnections();
    };

    const summary = await runAgent(options({ intervalMs: 400, output }));

    assert.deepEqual(summary, { published: 2, accepted: 2, rejected: 0, unanswered: 0 });
    assert.ok(lines.includes('Connection closed, next attempt in 50 ms'), lines.join('\n'));
    assert.ok(lines.includes(`Reconnecting to ${server.endpoint} (attempt 1)`), lines.join('\n'));
    assert.equal(lines.filter((line) => line.startsWith('Connected to')).length, 2);
    assert.deepEqual(server.peers, [THING, THING]);
  });

  it('doubles the reconnect wait while the broker rejects the certificate', async () => {
    const controller = new AbortController();
    const run = runAgent(
      options({
        certFile: pki.strangerCert,
        keyFile: pki.strangerKey,
        reports: undefined,
        reconnectMinMs: 20,
        reconnectMaxMs: 80,
        signal: controller.signal,
        output: (line) => {
          lines.push(line);
          if (line.endsWith('next attempt in 80 ms')) controller.abort();
        },
      }),
    );

    const summary = await run;

    assert.deepEqual(summary, { published: 0, accepted: 0, rejected: 0, unanswered: 0 });
    assert.deepEqual(server.peers, []);
    const waits = lines.filter((line) => line.startsWith('Connection closed'));
    assert.deepEqual(waits, [
      'Connection closed before the broker accepted it, next attempt in 20 ms',
      'Connection closed before the broker accepted it, next attempt in 40 ms',
      'Connection closed before the broker accepted it, next attempt in 80 ms',
    ]);
    assert.equal(lines.at(-1), 'Stopped by signal: 0 accepted, 0 rejected, 0 unanswered');
  });

  it('retries after the broker rejects CONNECT', async () => {
    let rejections = 0;
    server.broker.authenticate = (_client, _username, _password, done) => {
      if (rejections > 0) return done(null, true);
      rejections += 1;
      done(Object.assign(new Error('Not authorized'), { returnCode: 5 as const }), false);
    };
    await respondJson((report) => ['accepted', accepted(report.header.report_id)]);

    const summary = await runAgent(options({ reports: 1 }));

    assert.deepEqual(summary, { published: 1, accepted: 1, rejected: 0, unanswered: 0 });
    assert.ok(
      lines.includes('Connection error: Connection refused: Not authorized'),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('Connection closed before the broker accepted it, next attempt in 50 ms'),
    );
    assert.equal(lines.filter((line) => line.startsWith('Connected to')).length, 1);
  });

  it('stops cleanly when the signal aborts', async () => {
    const controller = new AbortController();
    await respondJson((report) => ['accepted', accepted(report.header.report_id)]);
    const output = (line: string) => {
      lines.push(line);
      if (line.endsWith(' accepted')) controller.abort();
    };

    const summary = await runAgent(
      options({ reports: undefined, intervalMs: 5000, signal: controller.signal, output }),
    );

    assert.deepEqual(summary, { published: 1, accepted: 1, rejected: 0, unanswered: 0 });
    assert.equal(lines.at(-1), 'Stopped by signal: 1 accepted, 0 rejected, 0 unanswered');
  });

  it('stops waiting after the response timeout', async () => {
    await respondJson(() => ['accepted', { status: 'ACCEPTED' }]);

    const summary = await runAgent(options({ reports: 1, responseTimeoutMs: 200 }));

    // The response has no reportId, so it cannot settle the report.
    assert.deepEqual(summary, { published: 1, accepted: 1, rejected: 0, unanswered: 1 });
    assert.ok(lines.includes('Report with unknown id accepted'), lines.join('\n'));
    assert.match(
      lines.at(-1) ?? '',
      /^No response within 200 ms for report \d+: 1 accepted, 0 rejected, 1 unanswered$/,
    );
  });

  it('rejects unreadable files and bad intervals before connecting', async () => {
    await assert.rejects(runAgent(options({ certFile: `${pki.dir}/missing.pem` })), {
      message: `Cannot read certificate file "${pki.dir}/missing.pem": ENOENT: no such file or directory, open '${pki.dir}/missing.pem'`,
    });
    await assert.rejects(runAgent(options({ intervalMs: 0 })), {
      name: 'RangeError',
      message: 'Invalid intervalMs "0": must be more than 0 and at most 2147483647 ms',
    });
    await assert.rejects(runAgent(options({ intervalSeconds: -1, intervalMs: undefined })), {
      name: 'RangeError',
      message: 'Invalid intervalSeconds "-1": must be more than 0 and at most 2147483 seconds',
    });
    await assert.rejects(runAgent(options({ reports: 1.5 })), {
      name: 'RangeError',
      message: 'Invalid reports "1.5": must be a positive integer',
    });
    await assert.rejects(runAgent(options({ reconnectMinMs: 100, reconnectMaxMs: 50 })), {
      name: 'RangeError',
      message: 'Invalid reconnectMaxMs "50": must be at least reconnectMinMs',
    });
    assert.deepEqual(server.peers, []);
  });
});
