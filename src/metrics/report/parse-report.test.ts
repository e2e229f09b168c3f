import { sharedPath } from '../../testing/shared-reference.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encode } from 'cbor-x';
import type { Datapoint } from '../../detect/metric-value.ts';
import { parseReport, type ParseReportResult } from './parse-report.ts';
import type { ProblemCode } from './problem.ts';
import type { ReportFormat } from './topic.ts';

const FIXTURES = sharedPath('fixtures', 'metrics-reports');

function fixture(name: string): Buffer {
  return readFileSync(`${FIXTURES}/${name}`);
}

function asCbor(json: Buffer): Buffer {
  return encode(JSON.parse(json.toString('utf8')));
}

function expectReport(result: ParseReportResult) {
  if (!result.ok) assert.fail(`Expected an accepted report, got ${result.problem.message}`);
  return result.report;
}

const CUSTOM_DATAPOINTS: Datapoint[] = [
  { metric: 'MyMetricOfType_Number', value: { number: 1 } },
  { metric: 'MyMetricOfType_NumberList', value: { numbers: [1, 2, 3] } },
  { metric: 'MyMetricOfType_StringList', value: { strings: ['value_1', 'value_2'] } },
  { metric: 'MyMetricOfType_IpList', value: { cidrs: ['172.0.0.0', '172.0.0.10'] } },
];

const PORT_AND_CONNECTION_DATAPOINTS: Datapoint[] = [
  { metric: 'aws:listening-tcp-ports', value: { ports: [22, 53, 24800] } },
  { metric: 'aws:num-listening-tcp-ports', value: { count: 3 } },
  { metric: 'aws:listening-udp-ports', value: { ports: [67, 5353] } },
  { metric: 'aws:num-listening-udp-ports', value: { count: 2 } },
  { metric: 'aws:num-established-tcp-connections', value: { count: 2 } },
  { metric: 'aws:destination-ip-addresses', value: { cidrs: ['192.168.0.1'] } },
];

const LONG_DATAPOINTS: Datapoint[] = [
  { metric: 'aws:all-bytes-in', value: { count: 29358693495 } },
  { metric: 'aws:all-bytes-out', value: { count: 26485035 } },
  { metric: 'aws:all-packets-in', value: { count: 10013573555 } },
  { metric: 'aws:all-packets-out', value: { count: 11382615 } },
  ...PORT_AND_CONNECTION_DATAPOINTS,
  ...CUSTOM_DATAPOINTS,
];

const SHORT_DATAPOINTS: Datapoint[] = [
  { metric: 'aws:all-bytes-in', value: { count: 29359307173 } },
  { metric: 'aws:all-bytes-out', value: { count: 26490711 } },
  { metric: 'aws:all-packets-in', value: { count: 10014614051 } },
  { metric: 'aws:all-packets-out', value: { count: 11387620 } },
  ...PORT_AND_CONNECTION_DATAPOINTS,
  ...CUSTOM_DATAPOINTS,
];

const CUSTOM_TYPES = {
  MyMetricOfType_Number: 'number',
  MyMetricOfType_NumberList: 'number-list',
  MyMetricOfType_StringList: 'string-list',
  MyMetricOfType_IpList: 'ip-address-list',
};

describe('parseReport with the documented reports', () => {
  const cases = [
    { file: 'documented-long-names.json', id: 1530304554, style: 'long', points: LONG_DATAPOINTS },
    {
      file: 'documented-short-names.json',
      id: 1530305228,
      style: 'short',
      points: SHORT_DATAPOINTS,
    },
  ] as const;

  for (const { file, id, style, points } of cases) {
    for (const format of ['json', 'cbor'] as const) {
      it(`accepts ${file} as ${format}`, () => {
        const json = fixture(file);
        const payload = format === 'json' ? json : asCbor(json);
        const report = expectReport(parseReport(payload, format));

        assert.equal(report.reportId, id);
        assert.equal(report.version, '1.0');
        assert.equal(report.keyStyle, style);
        assert.deepEqual(report.datapoints, points);
        assert.deepEqual({ ...report.customMetricTypes }, CUSTOM_TYPES);
        assert.deepEqual(report.notes, []);
      });
    }
  }
});

// Minimal CBOR writer for hand-built payloads: definite heads and indefinite containers.
function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const bytes = Buffer.alloc(5);
  bytes[0] = (major << 5) | 26;
  bytes.writeUInt32BE(value, 1);
  return bytes;
}

function text(value: string): Buffer {
  const utf8 = Buffer.from(value, 'utf8');
  return Buffer.concat([head(3, utf8.length), utf8]);
}

function uint(value: number): Buffer {
  return head(0, value);
}

function indefiniteMap(...entries: [string, Buffer][]): Buffer {
  const parts = entries.flatMap(([key, value]) => [text(key), value]);
  return Buffer.concat([Buffer.from([0xbf]), ...parts, Buffer.from([0xff])]);
}

function indefiniteArray(...items: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0x9f]), ...items, Buffer.from([0xff])]);
}

describe('parseReport with CBOR as the C agent writes it', () => {
  it('accepts indefinite-length maps and arrays with local_port as text', () => {
    const connection = (port: string, remote: string) =>
      indefiniteMap(['li', text('eth0')], ['lp', text(port)], ['rad', text(remote)]);
    const payload = indefiniteMap(
      ['hed', indefiniteMap(['rid', uint(1_700_000_000)], ['v', text('1.0')])],
      [
        'met',
        indefiniteMap(
          [
            'tp',
            indefiniteMap(
              ['pts', indefiniteArray(indefiniteMap(['pt', uint(22)]))],
              ['t', uint(1)],
            ),
          ],
          ['ns', indefiniteMap(['bi', uint(1200)], ['po', uint(7)])],
          [
            'tc',
            indefiniteMap([
              'ec',
              indefiniteMap(
                [
                  'cs',
                  indefiniteArray(
                    connection('22', '10.0.0.9:51000'),
                    connection('8080', '10.0.0.7:443'),
                  ),
                ],
                ['t', uint(2)],
              ),
            ]),
          ],
        ),
      ],
    );

    const report = expectReport(parseReport(payload, 'cbor'));

    assert.equal(report.reportId, 1_700_000_000);
    assert.equal(report.keyStyle, 'short');
    assert.deepEqual(report.datapoints, [
      { metric: 'aws:all-bytes-in', value: { count: 1200 } },
      { metric: 'aws:all-bytes-out', value: { count: 0 } },
      { metric: 'aws:all-packets-in', value: { count: 0 } },
      { metric: 'aws:all-packets-out', value: { count: 7 } },
      { metric: 'aws:listening-tcp-ports', value: { ports: [22] } },
      { metric: 'aws:num-listening-tcp-ports', value: { count: 1 } },
      { metric: 'aws:num-established-tcp-connections', value: { count: 2 } },
      { metric: 'aws:destination-ip-addresses', value: { cidrs: ['10.0.0.9', '10.0.0.7'] } },
    ]);
    assert.deepEqual(report.notes, ['Read lp values sent as text as numbers']);
  });

  it('reads a 64-bit CBOR counter that fits in a safe integer', () => {
    const payload = Buffer.concat([
      indefiniteMap(
        ['header', indefiniteMap(['report_id', uint(5)], ['version', text('1.0')])],
        [
          'metrics',
          indefiniteMap([
            'network_stats',
            indefiniteMap(['bytes_in', Buffer.from('1b0000000000000010', 'hex')]),
          ]),
        ],
      ),
    ]);

    const report = expectReport(parseReport(payload, 'cbor'));

    assert.deepEqual(report.datapoints[0], { metric: 'aws:all-bytes-in', value: { count: 16 } });
  });
});

function json(document: unknown): Buffer {
  return Buffer.from(JSON.stringify(document), 'utf8');
}

function longReport(metrics: unknown, extra: Record<string, unknown> = {}): Buffer {
  return json({ header: { report_id: 7, version: '1.0' }, metrics, ...extra });
}

function withCustom(customMetrics: unknown): Buffer {
  return json({ header: { report_id: 7, version: '1.0' }, custom_metrics: customMetrics });
}

const CONNECTIONS_PATH = 'metrics.tcp_connections.established_connections.connections';

function withRemote(remoteAddr: unknown): Buffer {
  return longReport({
    tcp_connections: { established_connections: { connections: [{ remote_addr: remoteAddr }] } },
  });
}

function tcpPorts(ports: unknown): Buffer {
  return longReport({ listening_tcp_ports: { ports } });
}

const truncatedCbor = asCbor(fixture('documented-long-names.json')).subarray(0, 200);

// A string shared by CBOR value sharing (tag 28) and referenced 600 times (tag 29): 3 bytes
// per reference, 200 characters each once decoded.
const sharedString = Buffer.concat([
  Buffer.from([0xd8, 0x1c]),
  text('a'.repeat(200)),
  ...Array.from({ length: 600 }, () => Buffer.from([0xd8, 0x1d, 0x00])),
]);
const amplifiedCbor = indefiniteMap(
  ['header', indefiniteMap(['report_id', uint(1)], ['version', text('1.0')])],
  [
    'custom_metrics',
    indefiniteMap([
      'names',
      indefiniteArray(indefiniteMap(['string_list', Buffer.concat([head(4, 601), sharedString])])),
    ]),
  ],
);

interface BadInput {
  name: string;
  payload: Buffer;
  format?: ReportFormat;
  code?: ProblemCode;
  path: string;
  message: string;
  reportId?: number;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'truncated JSON',
    payload: Buffer.from('{"header":{"report_id":1,"version":'),
    path: '',
    message: 'Malformed metrics report: Unexpected end of JSON input',
  },
  {
    name: 'truncated CBOR',
    payload: truncatedCbor,
    format: 'cbor',
    path: '',
    message: 'Malformed metrics report: Unexpected end of CBOR data',
  },
  {
    name: 'JSON that is not UTF-8',
    payload: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    path: '',
    message: 'Malformed metrics report: payload is not valid UTF-8',
  },
  {
    name: 'payload over 128 KiB',
    payload: Buffer.alloc(131_073, 0x20),
    code: 'PayloadTooLarge',
    path: '',
    message: 'Metrics report too large: 131073 bytes, the maximum is 131072 bytes',
  },
  {
    name: 'root that is an array',
    payload: json([]),
    path: '',
    message: 'Invalid report: must be an object, received an array',
  },
  {
    name: 'missing header',
    payload: json({ metrics: {} }),
    path: 'header',
    message: 'Missing header at "header"',
  },
  {
    name: 'missing header in a short-key report',
    payload: json({ met: {} }),
    path: 'hed',
    message: 'Missing header at "hed"',
  },
  {
    name: 'missing report_id',
    payload: json({ header: { version: '1.0' }, metrics: {} }),
    path: 'header.report_id',
    message: 'Missing report id at "header.report_id"',
  },
  {
    name: 'report_id 0',
    payload: json({ header: { report_id: 0, version: '1.0' }, metrics: {} }),
    path: 'header.report_id',
    message: 'Invalid report id "0" at "header.report_id": must be a positive integer',
  },
  {
    name: 'report_id as a string',
    payload: json({ header: { report_id: '12', version: '1.0' }, metrics: {} }),
    path: 'header.report_id',
    message:
      'Invalid report id "12" at "header.report_id": must be a positive integer, received a string',
  },
  {
    name: 'version without a minor part',
    payload: json({ header: { report_id: 7, version: '1' }, metrics: {} }),
    path: 'header.version',
    message: 'Invalid version "1" at "header.version": must be "Major.Minor", such as "1.0"',
    reportId: 7,
  },
  {
    name: 'version 2.0',
    payload: json({ header: { report_id: 7, version: '2.0' }, metrics: {} }),
    path: 'header.version',
    message: 'Unsupported version "2.0" at "header.version": Warden accepts only major version 1',
    reportId: 7,
  },
  {
    name: 'neither metrics nor custom_metrics',
    payload: json({ header: { report_id: 7, version: '1.0' } }),
    path: '',
    message: 'Missing metrics: a report must contain "metrics" or "custom_metrics"',
    reportId: 7,
  },
  {
    name: 'string counter',
    payload: longReport({ network_stats: { bytes_in: '12' } }),
    path: 'metrics.network_stats.bytes_in',
    message:
      'Invalid counter "12" at "metrics.network_stats.bytes_in": must be a non-negative integer, received a string',
    reportId: 7,
  },
  {
    name: 'negative counter',
    payload: longReport({ network_stats: { bytes_out: -1 } }),
    path: 'metrics.network_stats.bytes_out',
    message:
      'Invalid counter "-1" at "metrics.network_stats.bytes_out": must be a non-negative integer',
    reportId: 7,
  },
  {
    name: 'non-integer counter',
    payload: longReport({ network_stats: { packets_in: 1.5 } }),
    path: 'metrics.network_stats.packets_in',
    message:
      'Invalid counter "1.5" at "metrics.network_stats.packets_in": must be a non-negative integer',
    reportId: 7,
  },
  {
    name: 'counter above 2^53 - 1 in JSON',
    payload: Buffer.from(
      '{"header":{"report_id":7,"version":"1.0"},"metrics":{"network_stats":{"bytes_in":9007199254740993}}}',
    ),
    path: 'metrics.network_stats.bytes_in',
    message:
      'Invalid counter at "metrics.network_stats.bytes_in": must be at most 9007199254740991 to be stored exactly, larger integers lose precision',
    reportId: 7,
  },
  {
    name: 'counter above 2^53 - 1 in CBOR',
    payload: indefiniteMap(
      ['header', indefiniteMap(['report_id', uint(7)], ['version', text('1.0')])],
      [
        'metrics',
        indefiniteMap([
          'network_stats',
          indefiniteMap(['bytes_in', Buffer.from('1b0020000000000001', 'hex')]),
        ]),
      ],
    ),
    format: 'cbor',
    path: 'metrics.network_stats.bytes_in',
    message:
      'Invalid counter at "metrics.network_stats.bytes_in": must be at most 9007199254740991 to be stored exactly, larger integers lose precision',
    reportId: 7,
  },
  {
    name: 'total as an object',
    payload: longReport({ listening_udp_ports: { total: {} } }),
    path: 'metrics.listening_udp_ports.total',
    message:
      'Invalid total at "metrics.listening_udp_ports.total": must be a non-negative integer, received an object',
    reportId: 7,
  },
  {
    name: 'object where the ports list belongs',
    payload: tcpPorts({ port: 22 }),
    path: 'metrics.listening_tcp_ports.ports',
    message:
      'Invalid ports list at "metrics.listening_tcp_ports.ports": must be an array, received an object',
    reportId: 7,
  },
  {
    name: 'port -1',
    payload: tcpPorts([{ port: -1 }]),
    path: 'metrics.listening_tcp_ports.ports[0].port',
    message:
      'Invalid port "-1" at "metrics.listening_tcp_ports.ports[0].port": must be an integer 0-65535',
    reportId: 7,
  },
  {
    name: 'port 65536',
    payload: tcpPorts([{ port: 22 }, { port: 65536 }]),
    path: 'metrics.listening_tcp_ports.ports[1].port',
    message:
      'Invalid port "65536" at "metrics.listening_tcp_ports.ports[1].port": must be an integer 0-65535',
    reportId: 7,
  },
  {
    name: 'port 1.5',
    payload: tcpPorts([{ port: 1.5 }]),
    path: 'metrics.listening_tcp_ports.ports[0].port',
    message:
      'Invalid port "1.5" at "metrics.listening_tcp_ports.ports[0].port": must be an integer 0-65535',
    reportId: 7,
  },
  {
    name: 'port as text in a listening ports list',
    payload: tcpPorts([{ port: '22' }]),
    path: 'metrics.listening_tcp_ports.ports[0].port',
    message:
      'Invalid port "22" at "metrics.listening_tcp_ports.ports[0].port": must be an integer 0-65535, received a string',
    reportId: 7,
  },
  {
    name: 'port entry without its port',
    payload: tcpPorts([{ interface: 'eth0' }]),
    path: 'metrics.listening_tcp_ports.ports[0].port',
    message: 'Missing port at "metrics.listening_tcp_ports.ports[0].port"',
    reportId: 7,
  },
  {
    name: 'port entry that is a number',
    payload: tcpPorts([22]),
    path: 'metrics.listening_tcp_ports.ports[0]',
    message:
      'Invalid port entry at "metrics.listening_tcp_ports.ports[0]": must be an object, received a number',
    reportId: 7,
  },
  {
    name: 'interface name that is a number',
    payload: tcpPorts([{ port: 22, interface: 4 }]),
    path: 'metrics.listening_tcp_ports.ports[0].interface',
    message:
      'Invalid interface name "4" at "metrics.listening_tcp_ports.ports[0].interface": must be a string, received a number',
    reportId: 7,
  },
  {
    name: 'port list of 10,000 entries',
    payload: tcpPorts(Array.from({ length: 10_000 }, (_, index) => ({ port: index % 100 }))),
    path: 'metrics.listening_tcp_ports.ports',
    message:
      'Invalid ports list at "metrics.listening_tcp_ports.ports": must have at most 1000 entries, received 10000',
    reportId: 7,
  },
  {
    name: 'remote_addr without port',
    payload: withRemote('192.168.0.1'),
    path: `${CONNECTIONS_PATH}[0].remote_addr`,
    message: `Invalid remote address "192.168.0.1" at "${CONNECTIONS_PATH}[0].remote_addr": must be "ip:port" with an IPv4 address, or "[ipv6]:port"`,
    reportId: 7,
  },
  {
    name: 'remote_addr with port 70000',
    payload: withRemote('192.168.0.1:70000'),
    path: `${CONNECTIONS_PATH}[0].remote_addr`,
    message: `Invalid remote address "192.168.0.1:70000" at "${CONNECTIONS_PATH}[0].remote_addr": must be "ip:port" with an IPv4 address, or "[ipv6]:port"`,
    reportId: 7,
  },
  {
    name: 'ambiguous IPv6 remote_addr without brackets',
    payload: withRemote('2001:db8::1:443'),
    path: `${CONNECTIONS_PATH}[0].remote_addr`,
    message: `Invalid remote address "2001:db8::1:443" at "${CONNECTIONS_PATH}[0].remote_addr": an IPv6 address must be written in brackets with a port, as "[ipv6]:port"`,
    reportId: 7,
  },
  {
    name: 'connection without remote_addr',
    payload: longReport({
      tcp_connections: { established_connections: { connections: [{ local_port: 80 }] } },
    }),
    path: `${CONNECTIONS_PATH}[0].remote_addr`,
    message: `Missing remote address at "${CONNECTIONS_PATH}[0].remote_addr"`,
    reportId: 7,
  },
  {
    name: 'local_port text that is not a number',
    payload: longReport({
      tcp_connections: {
        established_connections: {
          connections: [{ remote_addr: '10.0.0.1:1', local_port: 'http' }],
        },
      },
    }),
    path: `${CONNECTIONS_PATH}[0].local_port`,
    message: `Invalid local port "http" at "${CONNECTIONS_PATH}[0].local_port": must be an integer 0-65535, received a string`,
    reportId: 7,
  },
  {
    name: 'unknown root key',
    payload: longReport({}, { extra: 1 }),
    path: 'extra',
    message:
      'Unknown key "extra" at the root of the report: only "header", "metrics" and "custom_metrics" are allowed',
  },
  {
    name: 'unknown root key in a short-key report',
    payload: json({ hed: { rid: 1, v: '1.0' }, met: {}, extra: 1 }),
    path: 'extra',
    message:
      'Unknown key "extra" at the root of the report: only "hed", "met" and "cmet" are allowed',
  },
  {
    name: 'long and short root keys',
    payload: json({ header: { report_id: 7, version: '1.0' }, met: {} }),
    path: 'met',
    message:
      'Mixed key names at "met": "met" is a short key name but the report uses long key names, use one style per report',
  },
  {
    name: 'short key inside a long-key block',
    payload: longReport({ tp: { pts: [] } }),
    path: 'metrics.tp',
    message:
      'Mixed key names at "metrics.tp": "tp" is a short key name but the report uses long key names, use one style per report',
    reportId: 7,
  },
  {
    name: 'long key inside a short-key port entry',
    payload: json({ hed: { rid: 3, v: '1.0' }, met: { up: { pts: [{ pt: 53 }, { port: 67 }] } } }),
    path: 'met.up.pts[1].port',
    message:
      'Mixed key names at "met.up.pts[1].port": "port" is a long key name but the report uses short key names, use one style per report',
    reportId: 3,
  },
  {
    name: 'custom metric named aws:x',
    payload: withCustom({ 'aws:x': [{ number: 1 }] }),
    path: 'custom_metrics',
    message: 'Invalid custom metric name "aws:x" at "custom_metrics": must not start with "aws:"',
    reportId: 7,
  },
  {
    name: 'custom metric name with a space',
    payload: withCustom({ 'cpu load': [{ number: 1 }] }),
    path: 'custom_metrics',
    message:
      'Invalid custom metric name "cpu load" at "custom_metrics": must match [a-zA-Z0-9:_-]{1,128}',
    reportId: 7,
  },
  {
    name: 'custom value not wrapped in an array',
    payload: withCustom({ temperature: { number: 5 } }),
    path: 'custom_metrics.temperature',
    message:
      'Invalid custom metric value at "custom_metrics.temperature": must be an array holding one object, such as [{"number": 5}], received an object',
    reportId: 7,
  },
  {
    name: 'two-element custom array',
    payload: withCustom({ temperature: [{ number: 5 }, { number: 6 }] }),
    path: 'custom_metrics.temperature',
    message:
      'Invalid custom metric value at "custom_metrics.temperature": must hold exactly one object, received 2',
    reportId: 7,
  },
  {
    name: 'custom item with two value keys',
    payload: withCustom({ temperature: [{ number: 5, string_list: ['a'] }] }),
    path: 'custom_metrics.temperature[0]',
    message:
      'Invalid custom metric value at "custom_metrics.temperature[0]": must have only one of "number", "number_list", "string_list" or "ip_list", received "number" and "string_list"',
    reportId: 7,
  },
  {
    name: 'custom item without a value key',
    payload: withCustom({ temperature: [{ count: 5 }] }),
    path: 'custom_metrics.temperature[0]',
    message:
      'Invalid custom metric value at "custom_metrics.temperature[0]": must have one of "number", "number_list", "string_list" or "ip_list"',
    reportId: 7,
  },
  {
    name: 'custom number as a string',
    payload: withCustom({ temperature: [{ number: '5' }] }),
    path: 'custom_metrics.temperature[0].number',
    message:
      'Invalid number "5" at "custom_metrics.temperature[0].number": must be a finite number, received a string',
    reportId: 7,
  },
  {
    name: 'invalid IP in ip_list',
    payload: withCustom({ peers: [{ ip_list: ['10.0.0.1', '300.1.1.1'] }] }),
    path: 'custom_metrics.peers[0].ip_list[1]',
    message:
      'Invalid IP address "300.1.1.1" at "custom_metrics.peers[0].ip_list[1]": must be an IPv4 or IPv6 address',
    reportId: 7,
  },
  {
    name: 'CBOR value sharing that inflates a string list',
    payload: amplifiedCbor,
    format: 'cbor',
    path: '',
    message:
      'Malformed metrics report: the decoded report is larger than its payload, CBOR value sharing and packed CBOR are not supported',
    reportId: 1,
  },
];

describe('parseReport with bad input', () => {
  it('rejects each bad input with its code, path and message', () => {
    for (const input of BAD_INPUTS) {
      const result = parseReport(input.payload, input.format ?? 'json');
      assert.equal(result.ok, false, input.name);
      if (result.ok) continue;

      const expected = {
        code: input.code ?? 'InvalidPayload',
        path: input.path,
        message: input.message,
      };
      assert.deepEqual(result.problem, expected, input.name);
      assert.equal(result.reportId, input.reportId, `${input.name}: report id`);
    }
  });
});

describe('parseReport options', () => {
  it('applies a smaller maxBytes', () => {
    const result = parseReport(fixture('documented-long-names.json'), 'json', { maxBytes: 100 });

    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.code, 'PayloadTooLarge');
  });

  it('applies a smaller maxListLength', () => {
    const result = parseReport(tcpPorts([{ port: 1 }, { port: 2 }, { port: 3 }]), 'json', {
      maxListLength: 2,
    });

    assert.equal(result.ok, false);
    assert.equal(
      !result.ok && result.problem.message,
      'Invalid ports list at "metrics.listening_tcp_ports.ports": must have at most 2 entries, received 3',
    );
  });

  it('accepts a list of exactly maxListLength entries', () => {
    const ports = Array.from({ length: 1000 }, (_, index) => ({ port: index }));
    const report = expectReport(parseReport(tcpPorts(ports), 'json'));

    assert.equal(report.datapoints[0]?.value.ports?.length, 1000);
  });
});
