import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeReport } from './normalize.ts';
import type { ValidReport } from './types.ts';

function report(parts: Partial<ValidReport>): ValidReport {
  return {
    reportId: 9,
    version: '1.0',
    keyStyle: 'long',
    networkStats: undefined,
    listeningTcpPorts: undefined,
    listeningUdpPorts: undefined,
    establishedConnections: undefined,
    customMetrics: [],
    notes: [],
    ...parts,
  };
}

describe('normalizeReport', () => {
  it('produces no datapoints for absent blocks', () => {
    const normalized = normalizeReport(report({}));

    assert.deepEqual(normalized.datapoints, []);
    assert.deepEqual({ ...normalized.customMetricTypes }, {});
  });

  it('sorts and deduplicates ports but counts every entry when total is absent', () => {
    const normalized = normalizeReport(
      report({ listeningTcpPorts: { ports: [443, 22, 443, 80], total: undefined } }),
    );

    assert.deepEqual(normalized.datapoints, [
      { metric: 'aws:listening-tcp-ports', value: { ports: [22, 80, 443] } },
      { metric: 'aws:num-listening-tcp-ports', value: { count: 4 } },
    ]);
  });

  it('uses total for the count when the agent sampled the list', () => {
    const normalized = normalizeReport(report({ listeningUdpPorts: { ports: [53], total: 120 } }));

    assert.deepEqual(normalized.datapoints, [
      { metric: 'aws:listening-udp-ports', value: { ports: [53] } },
      { metric: 'aws:num-listening-udp-ports', value: { count: 120 } },
    ]);
  });

  it('produces an empty ports datapoint for an empty list with total 0', () => {
    const normalized = normalizeReport(report({ listeningTcpPorts: { ports: [], total: 0 } }));

    assert.deepEqual(normalized.datapoints, [
      { metric: 'aws:listening-tcp-ports', value: { ports: [] } },
      { metric: 'aws:num-listening-tcp-ports', value: { count: 0 } },
    ]);
  });

  it('produces only the count when the block has a total but no list', () => {
    const normalized = normalizeReport(
      report({ listeningTcpPorts: { ports: undefined, total: 3 } }),
    );

    assert.deepEqual(normalized.datapoints, [
      { metric: 'aws:num-listening-tcp-ports', value: { count: 3 } },
    ]);
  });

  it('deduplicates destination addresses in first-seen order', () => {
    const normalized = normalizeReport(
      report({
        establishedConnections: {
          remoteIps: ['10.0.0.2', '10.0.0.1', '10.0.0.2'],
          total: undefined,
        },
      }),
    );

    assert.deepEqual(normalized.datapoints, [
      { metric: 'aws:num-established-tcp-connections', value: { count: 3 } },
      { metric: 'aws:destination-ip-addresses', value: { cidrs: ['10.0.0.2', '10.0.0.1'] } },
    ]);
  });

  it('keeps custom metric types in an object without prototype', () => {
    const normalized = normalizeReport(
      report({ customMetrics: [{ name: '__proto__', type: 'number', value: { number: 1 } }] }),
    );

    assert.equal(Object.getPrototypeOf(normalized.customMetricTypes), null);
    assert.equal(normalized.customMetricTypes['__proto__'], 'number');
    assert.deepEqual(normalized.datapoints, [{ metric: '__proto__', value: { number: 1 } }]);
  });
});
