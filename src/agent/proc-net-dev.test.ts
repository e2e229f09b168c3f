import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isReportedInterface, parseNetDev } from './proc-net-dev.ts';

const HEADER = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed`;

const NET_DEV = `${HEADER}
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 92793735    3832    0    0    0     0          0         0   338593    2721    0    0    0     0       0          0
wlan0:29358693495 10013573555    4    1    0     0          0       120 26485035 11382615    0    0    0     0       0          0
`;

describe('parseNetDev', () => {
  it('reads bytes and packets per interface, including lo', () => {
    assert.deepEqual(parseNetDev(NET_DEV), [
      { name: 'lo', bytesIn: 3193, packetsIn: 29, bytesOut: 3193, packetsOut: 29 },
      { name: 'eth0', bytesIn: 92793735, packetsIn: 3832, bytesOut: 338593, packetsOut: 2721 },
      {
        name: 'wlan0',
        bytesIn: 29358693495,
        packetsIn: 10013573555,
        bytesOut: 26485035,
        packetsOut: 11382615,
      },
    ]);
  });

  it('returns no interfaces for the headers alone', () => {
    assert.deepEqual(parseNetDev(`${HEADER}\n`), []);
  });

  it('rejects data lines it cannot read', () => {
    const lines = [
      'eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16',
      ': 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16',
      'eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15',
      'eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -16',
      'eth0: 1 2 3 4 5 6 7 8 x 10 11 12 13 14 15 16',
    ];
    for (const line of lines) {
      assert.throws(() => parseNetDev(`${HEADER}\n${line}\n`), {
        message: `Malformed line 3 in /proc/net/dev: "${line}"`,
      });
    }
  });
});

describe('isReportedInterface', () => {
  it('leaves out only the loopback interface', () => {
    assert.equal(isReportedInterface('lo'), false);
    assert.equal(isReportedInterface('eth0'), true);
    assert.equal(isReportedInterface('lo0'), true);
  });
});
