import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplyArgsError, parseApplyArgs, parseExportArgs } from './apply-args.ts';

test('apply arguments parse files, switches and location', () => {
  assert.deepEqual(parseApplyArgs(['-f', 'a.yaml', '--file=dir', '--prune', '--yes']), {
    command: 'apply',
    files: ['a.yaml', 'dir'],
    prune: true,
    yes: true,
    location: { endpoint: 'http://127.0.0.1:8080' },
  });
  assert.deepEqual(parseApplyArgs(['-f', 'a.yaml', '--data-dir', '/var/warden']), {
    command: 'apply',
    files: ['a.yaml'],
    prune: false,
    yes: false,
    location: { dataDir: '/var/warden' },
  });
  assert.deepEqual(parseApplyArgs(['-f', 'x', '--help']), { command: 'help' });
});

test('export arguments take the format from the output file', () => {
  assert.deepEqual(parseExportArgs(['-o', 'fleet.json', '--endpoint', 'http://127.0.0.1:9000/']), {
    command: 'export',
    format: 'json',
    output: 'fleet.json',
    location: { endpoint: 'http://127.0.0.1:9000' },
  });
  assert.deepEqual(parseExportArgs(['--format', 'yaml', '-o', 'fleet.json']), {
    command: 'export',
    format: 'yaml',
    output: 'fleet.json',
    location: { endpoint: 'http://127.0.0.1:8080' },
  });
  assert.deepEqual(parseExportArgs([]), {
    command: 'export',
    format: 'yaml',
    location: { endpoint: 'http://127.0.0.1:8080' },
  });
});

test('arguments reject mistakes with the option named', () => {
  const cases: { parse: () => unknown; message: string }[] = [
    { parse: () => parseApplyArgs([]), message: 'Missing fleet file: give -f FILE_OR_DIR' },
    { parse: () => parseApplyArgs(['-f']), message: 'Missing value for "-f"' },
    { parse: () => parseApplyArgs(['-f', '--yes']), message: 'Missing value for "-f"' },
    { parse: () => parseApplyArgs(['fleet.yaml']), message: 'Unexpected argument "fleet.yaml"' },
    { parse: () => parseApplyArgs(['-f', 'a', '--force']), message: 'Unknown option "--force"' },
    {
      parse: () => parseApplyArgs(['-f', 'a', '--yes', '--yes']),
      message: 'Option "--yes" is given more than once',
    },
    {
      parse: () => parseApplyArgs(['-f', 'a', '--endpoint', 'http://a:1', '--data-dir', 'd']),
      message: 'Give only one of "--endpoint" and "--data-dir"',
    },
    {
      parse: () => parseApplyArgs(['-f', 'a', '--endpoint', 'ftp://127.0.0.1:21']),
      message:
        'Invalid value "ftp://127.0.0.1:21" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
    },
    {
      parse: () => parseExportArgs(['--format', 'toml']),
      message: 'Invalid value "toml" for "--format": must be yaml or json',
    },
    {
      parse: () => parseExportArgs(['-o', 'a.yaml', '--output', 'b.yaml']),
      message: 'Option "--output" is given more than once',
    },
    { parse: () => parseExportArgs(['--prune']), message: 'Unknown option "--prune"' },
  ];
  for (const { parse, message } of cases) {
    assert.throws(parse, (error: unknown) => {
      assert.ok(error instanceof ApplyArgsError, message);
      assert.equal(error.message, message);
      return true;
    });
  }
});
