import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditArgsError, parseAuditArgs } from './audit-args.ts';

describe('warden audit options', () => {
  test('defaults to a table report of the local Warden', () => {
    assert.deepEqual(parseAuditArgs([]), {
      target: { kind: 'endpoint', endpoint: 'http://127.0.0.1:8080' },
      enableDefaults: false,
      format: 'table',
      failOn: 'LOW',
      progress: 'auto',
      timeoutSeconds: 600,
      help: false,
    });
  });

  test('reads every option, with values after a space or "="', () => {
    const args = parseAuditArgs([
      '--endpoint=https://warden.local:8443/',
      '--checks',
      'LOGGING_DISABLED_CHECK, IOT_POLICY_OVERLY_PERMISSIVE_CHECK,LOGGING_DISABLED_CHECK',
      '--format=sarif',
      '--output',
      'audit.sarif',
      '--fail-on',
      'high',
      '--no-progress',
      '--enable-defaults',
      '--timeout=30',
    ]);

    assert.deepEqual(args, {
      target: { kind: 'endpoint', endpoint: 'https://warden.local:8443' },
      checks: ['LOGGING_DISABLED_CHECK', 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK'],
      enableDefaults: true,
      format: 'sarif',
      output: 'audit.sarif',
      failOn: 'HIGH',
      progress: 'never',
      timeoutSeconds: 30,
      help: false,
    });
  });

  test('takes a data directory or an offline folder as the target', () => {
    assert.deepEqual(parseAuditArgs(['--data-dir', './warden-data']).target, {
      kind: 'data-dir',
      dataDir: './warden-data',
    });
    assert.deepEqual(parseAuditArgs(['--offline', 'export', '--progress']).target, {
      kind: 'offline',
      folder: 'export',
    });
    assert.equal(parseAuditArgs(['--offline', 'export', '--progress']).progress, 'always');
    assert.equal(parseAuditArgs(['-h']).help, true);
  });

  test('rejects bad options with the option and value named', () => {
    const cases: [string[], string][] = [
      [['--bogus'], 'Unknown option "--bogus"'],
      [['extra'], 'Unexpected argument "extra"'],
      [['--format'], 'Missing value for "--format"'],
      [['--output', '--format', 'json'], 'Missing value for "--output"'],
      [
        ['--format', 'xml'],
        'Invalid value "xml" for "--format": must be one of table, json, sarif',
      ],
      [
        ['--fail-on', 'severe'],
        'Invalid value "severe" for "--fail-on": must be one of LOW, MEDIUM, HIGH, CRITICAL',
      ],
      [['--format', 'json', '--format', 'table'], 'Option "--format" is given more than once'],
      [['--progress=yes'], 'Option "--progress" takes no value'],
      [['--progress', '--no-progress'], 'Give at most one of "--progress" and "--no-progress"'],
      [
        ['--endpoint', 'http://a:1', '--offline', 'dir'],
        'Give only one of "--endpoint" and "--offline"',
      ],
      [
        ['--endpoint', 'mqtts://127.0.0.1:8883'],
        'Invalid value "mqtts://127.0.0.1:8883" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        ['--endpoint', 'http://127.0.0.1:8080/audit'],
        'Invalid value "http://127.0.0.1:8080/audit" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        ['--endpoint', 'http://user:secret@127.0.0.1:8080'],
        'Invalid value "http://user:secret@127.0.0.1:8080" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        ['--checks', 'LOGGING_DISABLED_CHECK,,X'],
        'Invalid check name "" in "--checks": must be 1-128 letters, digits, "_" or "-", separated by commas',
      ],
      [
        ['--timeout', '0'],
        'Invalid value "0" for "--timeout": must be a whole number of seconds from 1 to 86400',
      ],
      [
        ['--timeout', '1.5'],
        'Invalid value "1.5" for "--timeout": must be a whole number of seconds from 1 to 86400',
      ],
      [
        ['--offline', 'dir', '--enable-defaults'],
        'Option "--enable-defaults" applies only to an online audit',
      ],
      [
        ['--offline', 'dir', '--timeout', '5'],
        'Option "--timeout" applies only to an online audit',
      ],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseAuditArgs(argv),
        (error: unknown) => error instanceof AuditArgsError && error.message === message,
        `${argv.join(' ')} should fail with: ${message}`,
      );
    }
  });
});
