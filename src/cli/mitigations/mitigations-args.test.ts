import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MitigationsArgsError, parseMitigationsArgs } from './mitigations-args.ts';

const ID = '0b6c3e2a-5f0e-4a43-9d7e-1c2b3a4d5e6f';

describe('warden mitigations arguments', () => {
  test('parses each command with its options', () => {
    assert.deepEqual(parseMitigationsArgs(['list']), {
      command: 'list',
      location: { kind: 'endpoint', endpoint: 'http://127.0.0.1:8080' },
    });
    assert.deepEqual(parseMitigationsArgs(['list', '--thing=sensor-1', '--data-dir', './data']), {
      command: 'list',
      location: { kind: 'data-dir', dataDir: './data' },
      thingName: 'sensor-1',
    });
    assert.deepEqual(parseMitigationsArgs(['show', ID, '--endpoint', 'http://127.0.0.1:9000/']), {
      command: 'show',
      location: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9000' },
      executionId: ID,
    });
    assert.deepEqual(
      parseMitigationsArgs(['--endpoint=https://warden.local:8443', 'rollback', ID]),
      {
        command: 'rollback',
        location: { kind: 'endpoint', endpoint: 'https://warden.local:8443' },
        executionId: ID,
      },
    );
    assert.deepEqual(parseMitigationsArgs(['rollback', '--help']), { command: 'help' });
  });

  test('rejects bad arguments with the argument named', () => {
    const cases: [string[], string][] = [
      [[], 'Missing command: give one of list, show, rollback'],
      [['undo', ID], 'Unknown command "undo": give one of list, show, rollback'],
      [['show'], 'Missing EXECUTION_ID: "warden mitigations show ID"'],
      [['rollback', ID, 'extra'], 'Unexpected argument "extra"'],
      [['list', 'extra'], 'Unexpected argument "extra"'],
      [['show', ID, '--thing', 'a'], 'Option "--thing" applies only to "list"'],
      [['list', '--thing'], 'Missing value for "--thing"'],
      [['list', '--thing', '--endpoint', 'http://x:1'], 'Missing value for "--thing"'],
      [['list', '--thing', 'a', '--thing', 'b'], 'Option "--thing" is given more than once'],
      [['list', '--force'], 'Unknown option "--force"'],
      [
        ['list', '--thing', 'bad name'],
        'Invalid thing name "bad name" for "--thing": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"',
      ],
      [
        ['show', 'a/b'],
        'Invalid EXECUTION_ID "a/b": must be 1-128 characters of a-z, A-Z, 0-9, ".", ":", "_" and "-"',
      ],
      [
        ['list', '--endpoint', 'http://127.0.0.1:8080/api'],
        'Invalid value "http://127.0.0.1:8080/api" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        ['list', '--endpoint', 'ftp://127.0.0.1'],
        'Invalid value "ftp://127.0.0.1" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        ['list', '--endpoint', 'http://127.0.0.1:1', '--data-dir', 'd'],
        'Give only one of "--endpoint" and "--data-dir"',
      ],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseMitigationsArgs(argv),
        (error: unknown) => {
          assert.ok(error instanceof MitigationsArgsError, argv.join(' '));
          assert.equal(error.message, message);
          return true;
        },
      );
    }
  });
});
