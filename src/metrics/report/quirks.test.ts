import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReport } from './parse-report.ts';
import { moveUdpListenersOutOfTcpList } from './quirks.ts';
import type { ListeningPorts, ValidReport } from './types.ts';

// Shaped like an aws-c-iot report: compact JSON, report id in epoch milliseconds, TCP listeners
// then UDP listeners in the TCP list, an empty UDP list whose total counts the UDP listeners.
const AWS_C_IOT_REPORT = JSON.stringify({
  header: { report_id: 1_714_000_000_123, version: '1.0' },
  metrics: {
    listening_tcp_ports: {
      ports: [
        { interface: 'eth0', port: 443 },
        { interface: 'eth0', port: 22 },
        { interface: 'eth0', port: 5353 },
        { interface: 'eth0', port: 123 },
      ],
      total: 2,
    },
    tcp_connections: {
      established_connections: {
        connections: [{ local_interface: 'eth0', local_port: 22, remote_addr: '10.1.1.5:50112' }],
        total: 1,
      },
    },
    listening_udp_ports: { ports: [], total: 2 },
    network_stats: { bytes_in: 0, bytes_out: 0, packets_in: 0, packets_out: 0 },
  },
});

describe('aws-c-iot UDP listeners in the TCP list', () => {
  it('moves the surplus TCP entries to the UDP list and notes it', () => {
    const result = parseReport(Buffer.from(AWS_C_IOT_REPORT), 'json');
    if (!result.ok) assert.fail(result.problem.message);

    const ports = result.report.datapoints.filter((point) => point.metric.includes('listening'));
    assert.deepEqual(ports, [
      { metric: 'aws:listening-tcp-ports', value: { ports: [22, 443] } },
      { metric: 'aws:num-listening-tcp-ports', value: { count: 2 } },
      { metric: 'aws:listening-udp-ports', value: { ports: [123, 5353] } },
      { metric: 'aws:num-listening-udp-ports', value: { count: 2 } },
    ]);
    assert.equal(result.report.reportId, 1_714_000_000_123);
    assert.deepEqual(result.report.notes, [
      'Moved 2 UDP listener(s) that the aws-c-iot agent appended to the TCP ports list into the UDP ports list',
    ]);
  });
});

function withPorts(tcp: ListeningPorts | undefined, udp: ListeningPorts | undefined): ValidReport {
  return {
    reportId: 1,
    version: '1.0',
    keyStyle: 'long',
    networkStats: undefined,
    listeningTcpPorts: tcp,
    listeningUdpPorts: udp,
    establishedConnections: undefined,
    customMetrics: [],
    notes: [],
  };
}

describe('moveUdpListenersOutOfTcpList', () => {
  it('moves the surplus when the UDP list is absent', () => {
    const report = withPorts({ ports: [80, 53], total: 1 }, { ports: undefined, total: 1 });

    assert.equal(moveUdpListenersOutOfTcpList(report), true);
    assert.deepEqual(report.listeningTcpPorts, { ports: [80], total: 1 });
    assert.deepEqual(report.listeningUdpPorts, { ports: [53], total: 1 });
  });

  it('leaves every other shape untouched', () => {
    const cases: [string, ListeningPorts | undefined, ListeningPorts | undefined][] = [
      ['lists that match their totals', { ports: [80], total: 1 }, { ports: [53], total: 1 }],
      [
        'a sampled TCP list shorter than its total',
        { ports: [80], total: 60 },
        { ports: [], total: 4 },
      ],
      [
        'a surplus that differs from the UDP total',
        { ports: [80, 53, 67], total: 1 },
        { ports: [], total: 1 },
      ],
      ['a UDP list that is not empty', { ports: [80, 53], total: 1 }, { ports: [67], total: 1 }],
      ['a UDP total of 0', { ports: [80, 53], total: 1 }, { ports: [], total: 0 }],
      ['no UDP total', { ports: [80, 53], total: 1 }, { ports: [], total: undefined }],
      ['no TCP total', { ports: [80, 53], total: undefined }, { ports: [], total: 1 }],
      ['no UDP block', { ports: [80, 53], total: 1 }, undefined],
      ['no TCP list', { ports: undefined, total: 1 }, { ports: [], total: 1 }],
    ];

    for (const [name, tcp, udp] of cases) {
      const report = withPorts(structuredClone(tcp), structuredClone(udp));

      assert.equal(moveUdpListenersOutOfTcpList(report), false, name);
      assert.deepEqual(report.listeningTcpPorts, tcp, name);
      assert.deepEqual(report.listeningUdpPorts, udp, name);
      assert.deepEqual(report.notes, [], name);
    }
  });
});
