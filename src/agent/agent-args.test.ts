import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AgentArgsError, parseAgentArgs } from './agent-args.ts';

const REQUIRED = [
  '--endpoint',
  'mqtts://127.0.0.1:8883',
  '--thing',
  'sensor-1',
  '--cert',
  'device.pem',
  '--key',
  'device.key',
  '--ca',
  'ca.pem',
];

describe('parseAgentArgs', () => {
  it('applies defaults to the required flags', () => {
    assert.deepEqual(parseAgentArgs(REQUIRED), {
      endpoint: 'mqtts://127.0.0.1:8883',
      thingName: 'sensor-1',
      certFile: 'device.pem',
      keyFile: 'device.key',
      caFile: 'ca.pem',
      format: 'json',
      shortKeys: false,
    });
  });

  it('reads every optional flag, with or without "="', () => {
    const args = parseAgentArgs([
      ...REQUIRED,
      '--interval=600',
      '--format',
      'cbor',
      '--short-keys',
      '--client-id',
      'gateway-7',
      '--count',
      '3',
    ]);
    assert.equal(args.intervalSeconds, 600);
    assert.equal(args.format, 'cbor');
    assert.equal(args.shortKeys, true);
    assert.equal(args.clientId, 'gateway-7');
    assert.equal(args.reports, 3);
  });

  it('rejects missing and bad flags with the flag and value named', () => {
    const without = (flag: string) => {
      const index = REQUIRED.indexOf(flag);
      return [...REQUIRED.slice(0, index), ...REQUIRED.slice(index + 2)];
    };
    const cases: [string[], string][] = [
      [without('--thing'), 'Missing required option "--thing"'],
      [without('--endpoint'), 'Missing required option "--endpoint"'],
      [without('--ca'), 'Missing required option "--ca"'],
      [
        [...REQUIRED, '--interval', 'abc'],
        'Invalid value "abc" for "--interval": must be a positive integer',
      ],
      [
        [...REQUIRED, '--interval', '0'],
        'Invalid value "0" for "--interval": must be a positive integer',
      ],
      [
        [...REQUIRED, '--interval', '-5'],
        'Invalid value "-5" for "--interval": must be a positive integer',
      ],
      [
        [...REQUIRED, '--interval=1.5'],
        'Invalid value "1.5" for "--interval": must be a positive integer',
      ],
      [
        [...REQUIRED, '--interval', '9999999'],
        'Invalid value "9999999" for "--interval": must be at most 2147483 seconds',
      ],
      [
        [...REQUIRED, '--count', '1e3'],
        'Invalid value "1e3" for "--count": must be a positive integer',
      ],
      [
        [...REQUIRED, '--format', 'JSON'],
        'Invalid value "JSON" for "--format": must be json or cbor',
      ],
      [[...REQUIRED, '--interval'], 'Missing value for "--interval"'],
      [[...REQUIRED, '--client-id='], 'Missing value for "--client-id"'],
      [['--thing', '--cert', 'x'], 'Missing value for "--thing"'],
      [[...REQUIRED, '--thing', 'other'], 'Option "--thing" is given more than once'],
      [[...REQUIRED, '--verbose'], 'Unknown option "--verbose"'],
      [[...REQUIRED, 'extra'], 'Unexpected argument "extra"'],
      [[...REQUIRED, '--short-keys=yes'], 'Option "--short-keys" takes no value'],
      [
        ['--endpoint', 'mqtt://127.0.0.1:1883', ...REQUIRED.slice(2)],
        'Invalid value "mqtt://127.0.0.1:1883" for "--endpoint": must be mqtts://HOST:PORT',
      ],
      [
        ['--endpoint', 'mqtts://broker.local', ...REQUIRED.slice(2)],
        'Invalid value "mqtts://broker.local" for "--endpoint": must be mqtts://HOST:PORT',
      ],
      [
        ['--endpoint', 'mqtts://127.0.0.1:8883/path', ...REQUIRED.slice(2)],
        'Invalid value "mqtts://127.0.0.1:8883/path" for "--endpoint": must be mqtts://HOST:PORT',
      ],
      [
        ['--endpoint', 'broker:8883', ...REQUIRED.slice(2)],
        'Invalid value "broker:8883" for "--endpoint": must be mqtts://HOST:PORT',
      ],
      [
        ['--endpoint', 'mqtts://127.0.0.1:70000', ...REQUIRED.slice(2)],
        'Invalid value "mqtts://127.0.0.1:70000" for "--endpoint": must be mqtts://HOST:PORT',
      ],
      [
        [...REQUIRED.slice(0, 2), '--thing', 'bad\nname', ...REQUIRED.slice(4)],
        'Invalid value "bad\\nname" for "--thing": must be 1-128 bytes of UTF-8 without control characters',
      ],
      [
        [...REQUIRED.slice(0, 2), '--thing', 'é'.repeat(65), ...REQUIRED.slice(4)],
        `Invalid value "${'é'.repeat(65)}" for "--thing": must be 1-128 bytes of UTF-8 without control characters`,
      ],
      [
        [...REQUIRED.slice(0, 2), '--thing', 'site/+', ...REQUIRED.slice(4)],
        'Invalid value "site/+" for "--thing": must not contain "/", "+" or "#", which would change the report topic',
      ],
    ];

    for (const [argv, message] of cases) {
      assert.throws(() => parseAgentArgs(argv), { name: 'AgentArgsError', message }, message);
      assert.throws(() => parseAgentArgs(argv), AgentArgsError);
    }
  });

  it('accepts a thing name of exactly 128 bytes', () => {
    const name = 'é'.repeat(64);
    const args = parseAgentArgs([...REQUIRED.slice(0, 2), '--thing', name, ...REQUIRED.slice(4)]);
    assert.equal(args.thingName, name);
  });
});
