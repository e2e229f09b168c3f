import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCredentialsFile } from '../../keys/credentials-file.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { CapturedStream } from '../audit/test-streams.ts';
import { runKeysCommand } from './keys-command.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);

describe('warden keys', () => {
  let dataDir: string;

  async function keys(...argv: string[]) {
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const code = await runKeysCommand([...argv, '--data-dir', dataDir], {
      stdout,
      stderr,
      env: {},
      now: () => NOW,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'warden-keys-'));
    openSqlite(path.join(dataDir, 'warden.db'), MIGRATIONS).close();
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('creates a key and prints it once as a credentials profile', async () => {
    const created = await keys('create', '--name', 'ci', '--policy', 'read-only');
    assert.equal(created.code, 0, created.stderr);
    assert.ok(created.stdout.startsWith('Created key "ci" (read-only). The secret is shown only'));
    const profile = parseCredentialsFile(created.stdout).get('ci');
    assert.match(profile?.['aws_access_key_id'] ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(profile?.['aws_secret_access_key']?.length, 40);

    const listed = await keys('list', '--format', 'json');
    assert.deepEqual(JSON.parse(listed.stdout), [
      {
        name: 'ci',
        accessKeyId: profile?.['aws_access_key_id'],
        policy: 'read-only',
        createdAt: '2026-12-04T12:00:00Z',
        status: 'active',
      },
    ]);
    assert.ok(!listed.stdout.includes(profile?.['aws_secret_access_key'] ?? '-'));
    const table = await keys('list');
    assert.match(table.stdout, /^NAME +ACCESS KEY ID +POLICY +CREATED +STATUS\n/);
    assert.match(table.stdout, /\nci +AKIA[A-Z2-7]{16} +read-only +2026-12-04T12:00:00Z +active\n/);
  });

  test('revokes by name and refuses an unknown key with exit 1', async () => {
    await keys('create', '--name', 'temp', '--policy', 'admin');
    const revoked = await keys('revoke', 'temp');
    assert.equal(revoked.code, 0);
    assert.match(revoked.stdout, /^Revoked key "temp" \(AKIA[A-Z2-7]{16}\)\n$/);
    assert.deepEqual(await keys('revoke', 'temp'), {
      code: 1,
      stdout: '',
      stderr: 'No active key is named "temp" or has that access key id\n',
    });
  });

  test('exits 2 with the problem on usage errors', async () => {
    const cases: Array<[string[], string]> = [
      [['create', '--name', 'x'], 'Missing "--policy POLICY"'],
      [
        ['create', '--name', 'x', '--policy', 'root'],
        'Invalid value "root" for "--policy": must be read-only, operator, admin',
      ],
      [['revoke'], 'Give exactly one key name or access key id to revoke'],
      [['rotate'], 'Unknown command "rotate": use create, list or revoke'],
      [['list', '--format', 'xml'], 'Invalid value "xml" for "--format": must be table or json'],
    ];
    for (const [argv, message] of cases) {
      const result = await keys(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.stderr, `${message}\n\nRun "warden keys --help" for usage.\n`);
    }
  });

  test('refuses a data directory without a Warden database', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'warden-keys-empty-'));
    try {
      const stderr = new CapturedStream();
      const argv = ['list', '--data-dir', empty];
      const io = { stdout: new CapturedStream(), stderr, env: {} };
      assert.equal(await runKeysCommand(argv, io), 2);
      assert.equal(
        stderr.text,
        `No Warden database at "${path.join(empty, 'warden.db')}": start "warden serve --data-dir ${empty}" once first\n`,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
