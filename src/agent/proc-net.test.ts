import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  buildNetworkSample,
  readProcNet,
  type InterfaceTable,
  type ProcNetTexts,
} from './proc-net.ts';

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const UDP_HEADER =
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

/** A sample in the kernel's format: sshd on both stacks, a local-only service, an MQTT session, DHCP. */
const SAMPLE: ProcNetTexts = {
  dev: `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 92793735    3832    0    0    0     0          0         0   338593    2721    0    0    0     0       0          0
`,
  tcp: `${TCP_HEADER}
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 22100 1 0000000000000000 100 0 0 10 0
   2: 020200C0:0016 0100000A:D431 01 00000000:00000000 02:000A7B2C 00000000     0        0 30011 4 0000000000000000 20 4 30 10 -1
   3: 020200C0:A3F2 22D8B85D:01BB 06 00000000:00000000 03:00000F9A 00000000     0        0 0 3 0000000000000000
`,
  tcp6: `${TCP6_HEADER}
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21350 1 0000000000000000 100 0 0 10 0
   1: 000000FD000000000000000002000000:0016 000000FD000000000000000001000000:C350 01 00000000:00000000 02:00001F40 00000000     0        0 40123 2 0000000000000000 20 4 29 10 -1
   2: 0000000000000000FFFF0000020200C0:22B3 0000000000000000FFFF0000076433C6:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 40555 1 0000000000000000 20 4 30 10 -1
`,
  udp: `${UDP_HEADER}
  68: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 18201 2 0000000000000000 0
  83: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 17102 2 0000000000000000 0
 4370: 020200C0:A112 3500000A:0035 01 00000000:00000000 00:00000000 00000000  1000        0 55120 2 0000000000000000 0
`,
  udp6: `${TCP6_HEADER} ref pointer drops
 1385: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   107        0 19880 2 0000000000000000 0
 2020: 000080FE00000000FF00FC00010000FE:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 20011 2 0000000000000000 0
`,
};

function address(address: string, family: 'IPv4' | 'IPv6') {
  const base = { netmask: '', mac: '02:fc:00:00:00:01', internal: false, cidr: null };
  return family === 'IPv4'
    ? { ...base, address, family }
    : { ...base, address, family, scopeid: 0 };
}

const INTERFACES: InterfaceTable = {
  lo: [address('127.0.0.1', 'IPv4'), address('::1', 'IPv6')],
  eth0: [
    address('192.0.2.2', 'IPv4'),
    address('fd00::2', 'IPv6'),
    address('fe80::fc:ff:fe00:1', 'IPv6'),
  ],
};

describe('buildNetworkSample', () => {
  const sample = buildNetworkSample(SAMPLE, 'LE', INTERFACES);

  it('keeps the counters of every interface', () => {
    assert.deepEqual(
      sample.interfaces.map((counters) => counters.name),
      ['lo', 'eth0'],
    );
  });

  it('lists TCP listeners once per port and interface', () => {
    // 0.0.0.0:22 and [::]:22 are one wildcard listener, and 127.0.0.1:3306 belongs to lo.
    assert.deepEqual(sample.listeningTcpPorts, [{ port: 22 }, { port: 3306, interface: 'lo' }]);
  });

  it('lists established TCP connections of both stacks', () => {
    assert.deepEqual(sample.establishedConnections, [
      { localPort: 22, localInterface: 'eth0', remoteAddr: '10.0.0.1:54321' },
      { localPort: 22, localInterface: 'eth0', remoteAddr: '[fd00::1]:50000' },
      { localPort: 8883, localInterface: 'eth0', remoteAddr: '198.51.100.7:40000' },
    ]);
  });

  it('lists unconnected bound UDP sockets as listening ports', () => {
    // 127.0.0.53 is no interface's own address, so that port has no interface name; the
    // connected socket to 10.0.0.53:53 is a client and is left out.
    assert.deepEqual(sample.listeningUdpPorts, [
      { port: 68 },
      { port: 53 },
      { port: 5353 },
      { port: 546, interface: 'eth0' },
    ]);
  });
});

describe('readProcNet', () => {
  it('reads a missing IPv6 table as empty', async () => {
    const root = await mkdtemp(join(tmpdir(), 'warden-proc-'));
    try {
      await mkdir(join(root, 'net'));
      await writeFile(join(root, 'net', 'dev'), SAMPLE.dev);
      await writeFile(join(root, 'net', 'tcp'), SAMPLE.tcp);
      await writeFile(join(root, 'net', 'udp'), SAMPLE.udp);

      const texts = await readProcNet(root);
      assert.equal(texts.tcp, SAMPLE.tcp);
      assert.equal(texts.tcp6, '');
      assert.equal(texts.udp6, '');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails when the IPv4 tables are missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'warden-proc-'));
    try {
      await assert.rejects(readProcNet(root), { code: 'ENOENT' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
