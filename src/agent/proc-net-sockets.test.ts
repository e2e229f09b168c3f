import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeAddress, formatIpv6, parseSocketTable } from './proc-net-sockets.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21345 1 0000000000000000 100 0 0 10 0
   1: 020200C0:0016 0100000A:D431 01 00000000:00000000 02:000A7B2C 00000000     0        0 30011 4 0000000000000000 20 4 30 10 -1
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 000000FD000000000000000002000000:0016 000000FD000000000000000001000000:C350 01 00000000:00000000 02:00001F40 00000000     0        0 40123 2 0000000000000000 20 4 29 10 -1
   1: 0000000000000000FFFF0000020200C0:22B3 0000000000000000FFFF0000076433C6:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 40555 1 0000000000000000 20 4 30 10 -1
`;

describe('decodeAddress', () => {
  it('reverses each 32-bit word on little-endian hosts', () => {
    assert.equal(decodeAddress('0100007F', 'LE'), '127.0.0.1');
    assert.equal(decodeAddress('020200C0', 'LE'), '192.0.2.2');
    assert.equal(decodeAddress('000000FD000000000000000002000000', 'LE'), 'fd00::2');
    assert.equal(
      decodeAddress('B80D0120000000002E8A000034737003', 'LE'),
      '2001:db8::8a2e:370:7334',
    );
    assert.equal(decodeAddress('000080FE00000000FF00FC00010000FE', 'LE'), 'fe80::fc:ff:fe00:1');
  });

  it('keeps word order on big-endian hosts', () => {
    assert.equal(decodeAddress('7F000001', 'BE'), '127.0.0.1');
    assert.equal(decodeAddress('20010DB8000000000000000000000001', 'BE'), '2001:db8::1');
  });

  it('maps IPv4-mapped IPv6 addresses to dotted IPv4', () => {
    assert.equal(decodeAddress('0000000000000000FFFF0000020200C0', 'LE'), '192.0.2.2');
    assert.equal(decodeAddress('0000000000000000FFFF000000000000', 'LE'), '0.0.0.0');
  });
});

describe('formatIpv6', () => {
  it('writes RFC 5952 text', () => {
    const cases: [number[], string][] = [
      [new Array<number>(16).fill(0), '::'],
      [[...new Array<number>(15).fill(0), 1], '::1'],
      [[0xfd, 0, ...new Array<number>(14).fill(0)], 'fd00::'],
      // A single zero group is not shortened.
      [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], '2001:db8:0:1:1:1:1:1'],
      // The longer run wins; on a tie the first run wins.
      [[0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:0:0:1::1'],
      [[0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1], '2001::1:1:0:0:1'],
      // ::ffff:0:0/96 only; the IPv4-compatible form ::a.b.c.d stays hex.
      [[...new Array<number>(12).fill(0), 192, 0, 2, 2], '::c000:202'],
    ];
    for (const [bytes, text] of cases) assert.equal(formatIpv6(bytes), text, text);
  });
});

describe('parseSocketTable', () => {
  it('decodes IPv4 rows with ports and states', () => {
    assert.deepEqual(parseSocketTable(TCP, 'LE'), [
      {
        localAddress: '0.0.0.0',
        localPort: 22,
        remoteAddress: '0.0.0.0',
        remotePort: 0,
        state: '0A',
      },
      {
        localAddress: '192.0.2.2',
        localPort: 22,
        remoteAddress: '10.0.0.1',
        remotePort: 54321,
        state: '01',
      },
    ]);
  });

  it('decodes IPv6 and IPv4-mapped rows', () => {
    assert.deepEqual(parseSocketTable(TCP6, 'LE'), [
      {
        localAddress: 'fd00::2',
        localPort: 22,
        remoteAddress: 'fd00::1',
        remotePort: 50000,
        state: '01',
      },
      {
        localAddress: '192.0.2.2',
        localPort: 8883,
        remoteAddress: '198.51.100.7',
        remotePort: 40000,
        state: '01',
      },
    ]);
  });

  it('returns no rows for a header-only or empty table', () => {
    assert.deepEqual(parseSocketTable(TCP.split('\n')[0] ?? '', 'LE'), []);
    assert.deepEqual(parseSocketTable('', 'LE'), []);
  });

  it('rejects malformed rows with the line number and text', () => {
    const header = TCP.split('\n')[0];
    const rows = [
      '   0: 00000000:0016 00000000:0000',
      '   0: 0000000:0016 00000000:0000 0A 00000000:00000000',
      '   0: 00000000:16 00000000:0000 0A 00000000:00000000',
      '   0: 000000000000000000000000000000:0016 00000000:0000 0A',
      '   0: 00000000:0016 00000000:0000 0Z 00000000:00000000',
      '   x 00000000:0016 00000000:0000 0A 00000000:00000000',
    ];
    for (const row of rows) {
      assert.throws(() => parseSocketTable(`${header}\n${row}\n`, 'LE'), {
        message: `Malformed socket line 2: "${row.trim()}"`,
      });
    }
  });
});
