import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateReport, type ValidateResult } from './validate.ts';

const HEADER = { report_id: 42, version: '1.0' };

function expectValid(result: ValidateResult) {
  if (!result.ok) assert.fail(`Expected a valid report, got ${result.problem.message}`);
  return result.report;
}

describe('validateReport', () => {
  it('ignores unknown keys inside known blocks', () => {
    const report = expectValid(
      validateReport({
        header: { ...HEADER, agent: 'x' },
        metrics: {
          future_block: { a: 1 },
          listening_tcp_ports: { ports: [{ port: 22, interface: 'eth0', pid: 9 }], total: 1, x: 0 },
          network_stats: { bytes_in: 1, rx_errors: 3 },
        },
        custom_metrics: { load: [{ number: 0.5, unit: 'ratio' }] },
      }),
    );

    assert.deepEqual(report.listeningTcpPorts, { ports: [22], total: 1 });
    assert.deepEqual(report.networkStats, { bytesIn: 1, bytesOut: 0, packetsIn: 0, packetsOut: 0 });
    assert.deepEqual(report.customMetrics, [
      { name: 'load', type: 'number', value: { number: 0.5 } },
    ]);
  });

  it('accepts a report with only custom metrics', () => {
    const report = expectValid(
      validateReport({ header: HEADER, custom_metrics: { rssi: [{ number: -71 }] } }),
    );

    assert.equal(report.listeningTcpPorts, undefined);
    assert.equal(report.networkStats, undefined);
    assert.deepEqual(report.customMetrics, [
      { name: 'rssi', type: 'number', value: { number: -71 } },
    ]);
  });

  it('accepts a report id in epoch milliseconds', () => {
    const report = expectValid(
      validateReport({ header: { report_id: 1_714_000_000_123, version: '1.0' }, metrics: {} }),
    );

    assert.equal(report.reportId, 1_714_000_000_123);
  });

  it('accepts minor versions other than 1.0', () => {
    assert.equal(
      expectValid(validateReport({ header: { report_id: 1, version: '1.7' }, metrics: {} }))
        .version,
      '1.7',
    );
  });

  it('detects the short style from the root keys', () => {
    const report = expectValid(
      validateReport({ hed: { rid: 5, v: '1.0' }, met: { up: { pts: [], t: 0 } } }),
    );

    assert.equal(report.keyStyle, 'short');
    assert.deepEqual(report.listeningUdpPorts, { ports: [], total: 0 });
  });

  it('reads custom list values and lower-cases IPv6 addresses', () => {
    const report = expectValid(
      validateReport({
        header: HEADER,
        custom_metrics: {
          temps: [{ number_list: [21.5, -3, 0] }],
          names: [{ string_list: [] }],
          peers: [{ ip_list: ['2001:DB8::1', '10.0.0.1'] }],
        },
      }),
    );

    assert.deepEqual(report.customMetrics, [
      { name: 'temps', type: 'number-list', value: { numbers: [21.5, -3, 0] } },
      { name: 'names', type: 'string-list', value: { strings: [] } },
      { name: 'peers', type: 'ip-address-list', value: { cidrs: ['2001:db8::1', '10.0.0.1'] } },
    ]);
  });

  it('rejects a custom number that is not finite', () => {
    const result = validateReport({
      header: HEADER,
      custom_metrics: { t: [{ number: Number.NaN }] },
    });

    assert.deepEqual(result, {
      ok: false,
      reportId: 42,
      problem: {
        code: 'InvalidPayload',
        path: 'custom_metrics.t[0].number',
        message: 'Invalid number "NaN" at "custom_metrics.t[0].number": must be a finite number',
      },
    });
  });

  it('rejects more custom metrics than maxCustomMetrics', () => {
    const customMetrics = { a: [{ number: 1 }], b: [{ number: 2 }], c: [{ number: 3 }] };
    const result = validateReport(
      { header: HEADER, custom_metrics: customMetrics },
      { maxCustomMetrics: 2 },
    );

    assert.deepEqual(result, {
      ok: false,
      reportId: 42,
      problem: {
        code: 'InvalidPayload',
        path: 'custom_metrics',
        message:
          'Invalid custom metrics at "custom_metrics": must have at most 2 metrics, received 3',
      },
    });
  });

  it('rejects a custom metric name of 129 characters', () => {
    const name = 'm'.repeat(129);
    const result = validateReport({ header: HEADER, custom_metrics: { [name]: [{ number: 1 }] } });

    assert.equal(result.ok, false);
    assert.equal(
      !result.ok && result.problem.message,
      `Invalid custom metric name "${'m'.repeat(64)}…" at "custom_metrics": must match [a-zA-Z0-9:_-]{1,128}`,
    );
  });

  it('rejects a block that is a non-plain object such as a CBOR tag', () => {
    const result = validateReport({ header: HEADER, metrics: { network_stats: new Date(0) } });

    assert.equal(
      !result.ok && result.problem.message,
      'Invalid network stats at "metrics.network_stats": must be an object, received a tagged value',
    );
  });

  it('rejects a null metrics block instead of treating it as absent', () => {
    const result = validateReport({ header: HEADER, metrics: null });

    assert.equal(
      !result.ok && result.problem.message,
      'Invalid metrics at "metrics": must be an object, received null',
    );
  });

  it('rejects a report whose value-sharing budget is exceeded', () => {
    const document = { header: HEADER, custom_metrics: { s: [{ string_list: ['abcdef'] }] } };

    assert.equal(validateReport(document, { payloadBytes: 7 }).ok, true);
    assert.equal(validateReport(document, { payloadBytes: 6 }).ok, false);
  });

  it('throws a RangeError for an invalid option', () => {
    assert.throws(() => validateReport({}, { maxListLength: -1 }), {
      name: 'RangeError',
      message: 'Invalid option "maxListLength" -1: must be a non-negative integer',
    });
  });
});
