import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readAlertTargets } from './alert-targets-file.ts';
import { readServeConfig } from './config.ts';

test('serve config takes flags over environment over defaults', () => {
  const config = readServeConfig(['--mqtt-port', '0'], {
    WARDEN_MQTT_PORT: '1883',
    WARDEN_HTTP_PORT: '9090',
    WARDEN_ROOT_ACCESS_KEY_ID: 'AKIDROOT',
  });
  assert.equal(config.mqttPort, 0);
  assert.equal(config.httpPort, 9090);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.dataDir, path.resolve('warden-data'));
  assert.equal(config.minReportIntervalMs, 300_000);
  assert.equal(config.rootAccessKeyId, 'AKIDROOT');
  assert.equal(config.rateLimitPerKey, 100);
  assert.equal(config.apiTls, false);
  assert.equal(config.authFailureLimit, 100);
  assert.equal(config.allowedRegions, undefined);

  const secured = readServeConfig(['--allowed-regions', 'eu-west-1, us-east-1'], {
    WARDEN_API_TLS: 'true',
    WARDEN_RATE_LIMIT: '20',
  });
  assert.deepEqual(secured.allowedRegions, ['eu-west-1', 'us-east-1']);
  assert.equal(secured.apiTls, true);
  assert.equal(secured.rateLimitPerKey, 20);
});

test('serve config rejects bad values naming the option', () => {
  const cases: [string[], NodeJS.ProcessEnv, string][] = [
    [
      ['--mqtt-port', '70000'],
      {},
      'Invalid value "70000" for "--mqtt-port": must be a port number 0-65535',
    ],
    [
      [],
      { WARDEN_HTTP_PORT: 'http' },
      'Invalid value "http" for "--http-port": must be a port number 0-65535',
    ],
    [
      ['--report-interval=-1'],
      {},
      'Invalid value "-1" for "--report-interval": must be a number of seconds, 0 or more',
    ],
    [['--account-id', '42'], {}, 'Invalid value "42" for "--account-id": must be 12 digits'],
    [
      ['--log-level', 'loud'],
      {},
      'Invalid value "loud" for "--log-level": must be trace, debug, info, warn, error or silent',
    ],
    [
      ['--rate-limit', 'fast'],
      {},
      'Invalid value "fast" for "--rate-limit": must be a number of requests per second, 0 or more',
    ],
    [
      ['--allowed-regions', 'us-east-1,mars'],
      {},
      'Invalid value "mars" for "--allowed-regions": must look like us-east-1',
    ],
    [
      [],
      { WARDEN_API_TLS: 'yes' },
      'Invalid value "yes" for "WARDEN_API_TLS": must be true, false, 1 or 0',
    ],
  ];
  for (const [argv, env, message] of cases)
    assert.throws(() => readServeConfig(argv, env), { message });
  assert.throws(() => readServeConfig(['--bogus'], {}), /Unknown option '--bogus'/);
});

test('alert targets file rejects invalid entries with their path', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'warden-alerts-'));
  const file = path.join(dir, 'targets.json');
  const cases: [unknown, string][] = [
    [
      { alertTargets: [{ name: 'a', type: 'webhook', url: 'ftp://x' }] },
      `Invalid alert targets file "${file}" at "alertTargets.0.url": must be an http:// or https:// URL`,
    ],
    [
      { alertTargets: [{ name: 'a', type: 'webhook', url: 'https://x', secret: 'short' }] },
      `Invalid alert targets file "${file}" at "alertTargets.0.secret": must be at least 16 characters`,
    ],
    [
      { alertTargets: [{ name: 'a', type: 'mqtt', topic: 'alerts/#' }] },
      `Invalid alert targets file "${file}" at "alertTargets.0.topic": must be a topic name without wildcards`,
    ],
    [
      {
        alertTargets: [
          { name: 'a', type: 'mqtt', topic: 't' },
          { name: 'a', type: 'mqtt', topic: 'u' },
        ],
      },
      `Invalid alert targets file "${file}": the name "a" is used twice`,
    ],
  ];
  for (const [content, message] of cases) {
    await writeFile(file, JSON.stringify(content));
    await assert.rejects(readAlertTargets(file), { message });
  }
  await writeFile(
    file,
    JSON.stringify({ alertTargets: [{ name: 'soc', type: 'mqtt', topic: 'warden/alerts' }] }),
  );
  assert.deepEqual(await readAlertTargets(file), [
    { name: 'soc', type: 'mqtt', topic: 'warden/alerts' },
  ]);
});
