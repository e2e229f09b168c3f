import { sharedPath } from '../testing/shared-reference.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { NetworkSample } from './proc-net.ts';
import { buildReport, toShortKeys, type NetworkDeltas } from './report-builder.ts';

const FIXTURES = sharedPath('fixtures', 'metrics-reports');

/** The sample behind the documented example reports (both naming styles show the same metrics). */
const DOCUMENTED_SAMPLE: NetworkSample = {
  interfaces: [],
  listeningTcpPorts: [
    { port: 24800, interface: 'eth0' },
    { port: 22, interface: 'eth0' },
    { port: 53, interface: 'eth0' },
  ],
  listeningUdpPorts: [
    { port: 5353, interface: 'eth0' },
    { port: 67, interface: 'eth0' },
  ],
  establishedConnections: [
    { localPort: 80, localInterface: 'eth0', remoteAddr: '192.168.0.1:8000' },
    { localPort: 80, localInterface: 'eth0', remoteAddr: '192.168.0.1:8000' },
  ],
};

function readFixture(name: string): Record<string, unknown> {
  const report = JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Record<string, unknown>;
  delete report['custom_metrics'];
  delete report['cmet'];
  return report;
}

describe('buildReport', () => {
  it('matches the documented long-name example', () => {
    const expected = readFixture('documented-long-names.json');
    const deltas: NetworkDeltas = {
      bytesIn: 29358693495,
      bytesOut: 26485035,
      packetsIn: 10013573555,
      packetsOut: 11382615,
    };
    const report = buildReport({
      reportId: 1530304554,
      sample: DOCUMENTED_SAMPLE,
      deltas,
      shortKeys: false,
    });
    assert.deepEqual(report, expected);
  });

  it('matches the documented short-name example', () => {
    const expected = readFixture('documented-short-names.json');
    const deltas: NetworkDeltas = {
      bytesIn: 29359307173,
      bytesOut: 26490711,
      packetsIn: 10014614051,
      packetsOut: 11387620,
    };
    const report = buildReport({
      reportId: 1530305228,
      sample: DOCUMENTED_SAMPLE,
      deltas,
      shortKeys: true,
    });
    assert.deepEqual(report, expected);
  });

  it('omits network_stats without deltas', () => {
    const report = buildReport({ reportId: 7, sample: DOCUMENTED_SAMPLE, shortKeys: false });
    const metrics = report['metrics'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(metrics), [
      'listening_tcp_ports',
      'listening_udp_ports',
      'tcp_connections',
    ]);
  });

  it('caps each list and keeps the full total', () => {
    const ports = Array.from({ length: 1005 }, (_, i) => ({ port: i + 1 }));
    const connections = Array.from({ length: 1001 }, (_, i) => ({
      localPort: 80,
      remoteAddr: `10.0.0.1:${i + 1}`,
    }));
    const sample: NetworkSample = {
      interfaces: [],
      listeningTcpPorts: ports,
      listeningUdpPorts: ports.slice(0, 3),
      establishedConnections: connections,
    };

    const report = buildReport({ reportId: 1, sample, shortKeys: true }) as {
      met: {
        tp: { pts: unknown[]; t: number };
        up: { pts: unknown[]; t: number };
        tc: { ec: { cs: unknown[]; t: number } };
      };
    };
    assert.equal(report.met.tp.pts.length, 1000);
    assert.equal(report.met.tp.t, 1005);
    assert.deepEqual(report.met.tp.pts[999], { pt: 1000 });
    assert.equal(report.met.up.pts.length, 3);
    assert.equal(report.met.up.t, 3);
    assert.equal(report.met.tc.ec.cs.length, 1000);
    assert.equal(report.met.tc.ec.t, 1001);

    const small = buildReport({
      reportId: 1,
      sample,
      shortKeys: true,
      maxListSize: 2,
    }) as typeof report;
    assert.equal(small.met.tp.pts.length, 2);
    assert.equal(small.met.tp.t, 1005);
  });

  it('sends empty lists with a zero total', () => {
    const sample: NetworkSample = {
      interfaces: [],
      listeningTcpPorts: [],
      listeningUdpPorts: [],
      establishedConnections: [],
    };
    assert.deepEqual(buildReport({ reportId: 3, sample, shortKeys: true }), {
      hed: { rid: 3, v: '1.0' },
      met: { tp: { pts: [], t: 0 }, up: { pts: [], t: 0 }, tc: { ec: { cs: [], t: 0 } } },
    });
  });
});

describe('toShortKeys', () => {
  it('keeps keys it does not know', () => {
    assert.deepEqual(toShortKeys({ header: { report_id: 1 }, extra: [{ port: 2 }] }), {
      hed: { rid: 1 },
      extra: [{ pt: 2 }],
    });
  });
});
