import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { encode } from 'cbor-x';

import { FakeClock } from '../core/clock.ts';
import { parseReport } from '../metrics/report/index.ts';
import { MetricsCollector, computeDeltas, counterDelta, nextReportId } from './collector.ts';
import type { InterfaceCounters } from './proc-net-dev.ts';

function counters(
  name: string,
  bytesIn: number,
  bytesOut: number,
  packetsIn: number,
  packetsOut: number,
): InterfaceCounters {
  return { name, bytesIn, bytesOut, packetsIn, packetsOut };
}

describe('counterDelta', () => {
  it('returns the growth, or the current value after a reset', () => {
    const cases: [number | undefined, number, number][] = [
      [100, 150, 50],
      [100, 100, 0],
      [4294967290, 20, 20],
      [undefined, 70, 70],
      [0, 0, 0],
    ];
    for (const [previous, current, expected] of cases) {
      assert.equal(counterDelta(previous, current), expected, `${previous} -> ${current}`);
    }
  });
});

describe('computeDeltas', () => {
  it('sums per-interface growth without lo', () => {
    const previous = [
      counters('lo', 10, 10, 1, 1),
      counters('eth0', 1000, 500, 10, 5),
      counters('wlan0', 50, 50, 2, 2),
    ];
    const current = [
      counters('lo', 9000, 9000, 90, 90),
      counters('eth0', 1600, 700, 16, 7),
      counters('wlan0', 80, 90, 3, 4),
    ];
    assert.deepEqual(computeDeltas(previous, current), {
      bytesIn: 630,
      bytesOut: 240,
      packetsIn: 7,
      packetsOut: 4,
    });
  });

  it('counts a reset counter from zero', () => {
    const previous = [counters('eth0', 1000, 500, 10, 5)];
    const current = [counters('eth0', 300, 600, 3, 6)];
    assert.deepEqual(computeDeltas(previous, current), {
      bytesIn: 300,
      bytesOut: 100,
      packetsIn: 3,
      packetsOut: 1,
    });
  });

  it('counts a new interface in full and drops a vanished one', () => {
    const previous = [counters('eth0', 1000, 500, 10, 5), counters('usb0', 99999, 99999, 999, 999)];
    const current = [counters('eth0', 1000, 500, 10, 5), counters('wwan0', 400, 200, 4, 2)];
    assert.deepEqual(computeDeltas(previous, current), {
      bytesIn: 400,
      bytesOut: 200,
      packetsIn: 4,
      packetsOut: 2,
    });
  });
});

describe('nextReportId', () => {
  it('uses epoch seconds and stays strictly increasing', () => {
    assert.equal(nextReportId(undefined, 1_700_000_000_999), 1_700_000_000);
    assert.equal(nextReportId(1_699_999_999, 1_700_000_000_000), 1_700_000_000);
    assert.equal(nextReportId(1_700_000_000, 1_700_000_000_500), 1_700_000_001);
    // A clock set back must not reuse an id either.
    assert.equal(nextReportId(1_700_000_005, 1_700_000_000_000), 1_700_000_006);
  });
});

const DEV_HEADER = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed`;

function devText(eth0: [number, number, number, number]): string {
  const [bytesIn, packetsIn, bytesOut, packetsOut] = eth0;
  return `${DEV_HEADER}
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: ${bytesIn} ${packetsIn}    0    0    0     0          0         0   ${bytesOut} ${packetsOut}    0    0    0     0       0          0
`;
}

describe('MetricsCollector with captured files', () => {
  let root = '';

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'warden-collector-'));
    await mkdir(join(root, 'net'));
    const tcpHeader =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    await writeFile(
      join(root, 'net', 'tcp'),
      `${tcpHeader}   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21345 1 0000000000000000 100 0 0 10 0\n`,
    );
    await writeFile(join(root, 'net', 'udp'), tcpHeader);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('sends no network_stats first, then deltas, then the value after a reset', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0, 200));
    const collector = new MetricsCollector({
      shortKeys: false,
      procRoot: root,
      clock,
      networkInterfaces: () => ({}),
    });
    const seconds = Math.floor(clock.now() / 1000);

    await writeFile(join(root, 'net', 'dev'), devText([1000, 10, 500, 5]));
    const first = await collector.collect();
    assert.equal(first.reportId, seconds);
    assert.deepEqual(first.report, {
      header: { report_id: seconds, version: '1.0' },
      metrics: {
        listening_tcp_ports: { ports: [{ port: 22 }], total: 1 },
        listening_udp_ports: { ports: [], total: 0 },
        tcp_connections: { established_connections: { connections: [], total: 0 } },
      },
    });

    await writeFile(join(root, 'net', 'dev'), devText([1800, 18, 900, 9]));
    const second = await collector.collect();
    assert.equal(second.reportId, seconds + 1);
    assert.deepEqual((second.report['metrics'] as Record<string, unknown>)['network_stats'], {
      bytes_in: 800,
      bytes_out: 400,
      packets_in: 8,
      packets_out: 4,
    });

    clock.advance(300_000);
    await writeFile(join(root, 'net', 'dev'), devText([120, 2, 60, 1]));
    const third = await collector.collect();
    assert.equal(third.reportId, seconds + 300);
    assert.deepEqual((third.report['metrics'] as Record<string, unknown>)['network_stats'], {
      bytes_in: 120,
      bytes_out: 60,
      packets_in: 2,
      packets_out: 1,
    });
  });

  it('keeps the previous sample when a read fails', async () => {
    const collector = new MetricsCollector({
      shortKeys: true,
      procRoot: root,
      networkInterfaces: () => ({}),
    });
    await writeFile(join(root, 'net', 'dev'), devText([1000, 10, 500, 5]));
    await collector.collect();

    await writeFile(join(root, 'net', 'dev'), `${DEV_HEADER}\n  eth0: 1 2 3\n`);
    await assert.rejects(collector.collect(), {
      message: 'Malformed line 3 in /proc/net/dev: "eth0: 1 2 3"',
    });

    await writeFile(join(root, 'net', 'dev'), devText([1500, 15, 700, 7]));
    const next = await collector.collect();
    assert.deepEqual((next.report['met'] as Record<string, unknown>)['ns'], {
      bi: 500,
      bo: 200,
      pi: 5,
      po: 2,
    });
  });
});

describe('MetricsCollector on this machine', () => {
  const isLinux = process.platform === 'linux';

  it(
    'builds a JSON report of the documented shape from /proc/net',
    { skip: !isLinux && 'needs Linux /proc' },
    async () => {
      const collector = new MetricsCollector({ shortKeys: false });
      await collector.collect();
      const { reportId, report } = await collector.collect();
      const parsed = JSON.parse(JSON.stringify(report)) as Record<string, any>;

      assert.deepEqual(Object.keys(parsed).sort(), ['header', 'metrics']);
      assert.deepEqual(parsed['header'], { report_id: reportId, version: '1.0' });
      assert.ok(Number.isSafeInteger(reportId));
      assert.ok(reportId > 1_600_000_000, `report id ${reportId}`);

      const metrics = parsed['metrics'];
      assert.deepEqual(Object.keys(metrics).sort(), [
        'listening_tcp_ports',
        'listening_udp_ports',
        'network_stats',
        'tcp_connections',
      ]);
      for (const value of Object.values(metrics.network_stats)) {
        assert.ok(
          Number.isSafeInteger(value) && (value as number) >= 0,
          `counter ${String(value)}`,
        );
      }
      for (const list of [metrics.listening_tcp_ports, metrics.listening_udp_ports]) {
        assert.ok(Array.isArray(list.ports));
        assert.ok(list.total >= list.ports.length);
        for (const entry of list.ports) {
          assert.ok(Number.isInteger(entry.port), `port ${entry.port}`);
          assert.ok(entry.port > 0, `port ${entry.port}`);
          assert.ok(entry.port <= 65535, `port ${entry.port}`);
          if ('interface' in entry) assert.equal(typeof entry.interface, 'string');
        }
      }
      const established = metrics.tcp_connections.established_connections;
      assert.ok(established.total >= established.connections.length);
      for (const connection of established.connections) {
        assert.match(connection.remote_addr, /^(\[[0-9a-f:]+\]|[0-9.]+):[0-9]{1,5}$/);
        assert.ok(Number.isInteger(connection.local_port));
      }
    },
  );

  it(
    'reports sockets the test opens on loopback',
    { skip: !isLinux && 'needs Linux /proc' },
    async () => {
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const tcpPort = (server.address() as AddressInfo).port;
      const client = createConnection(tcpPort, '127.0.0.1');
      await once(client, 'connect');
      const clientPort = client.address() as AddressInfo;
      const udp = createSocket('udp4');
      udp.bind(0, '127.0.0.1');
      await once(udp, 'listening');
      const udpPort = udp.address().port;

      try {
        const { report } = await new MetricsCollector({
          shortKeys: true,
          maxListSize: 100_000,
        }).collect();
        const met = report['met'] as Record<string, any>;

        assert.ok(met.tp.pts.some((entry: any) => entry.pt === tcpPort && entry.if === 'lo'));
        assert.ok(met.up.pts.some((entry: any) => entry.pt === udpPort && entry.if === 'lo'));
        const toServer = met.tc.ec.cs.find((entry: any) => entry.rad === `127.0.0.1:${tcpPort}`);
        assert.deepEqual(toServer, { lp: clientPort.port, li: 'lo', rad: `127.0.0.1:${tcpPort}` });
      } finally {
        client.destroy();
        udp.close();
        server.close();
      }
    },
  );

  it(
    'builds reports that Warden accepts in every encoding',
    { skip: !isLinux && 'needs Linux /proc' },
    async () => {
      for (const shortKeys of [false, true]) {
        const collector = new MetricsCollector({ shortKeys });
        for (const round of ['first', 'second']) {
          const { reportId, report } = await collector.collect();
          const json = parseReport(Buffer.from(JSON.stringify(report)), 'json');
          const cbor = parseReport(encode(report), 'cbor');

          assert.ok(
            json.ok,
            `${round} JSON report, short keys ${shortKeys}: ${JSON.stringify(json)}`,
          );
          assert.ok(
            cbor.ok,
            `${round} CBOR report, short keys ${shortKeys}: ${JSON.stringify(cbor)}`,
          );
          assert.equal(json.report.reportId, reportId);
          assert.equal(json.report.keyStyle, shortKeys ? 'short' : 'long');
        }
      }
    },
  );
});
