import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  formatCredentialsProfile,
  parseCredentialsFile,
  readCredentialsProfile,
  resolveRootCredentials,
} from './credentials-file.ts';

const PAIR = { accessKeyId: 'AKIAROOTEXAMPLE00001', secretAccessKey: 'root-secret-0123456789' };

describe('root credentials', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-credentials-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('parses the AWS shared credentials format it writes, beside other profiles', () => {
    const text = `# comment\n[default]\naws_access_key_id=OTHER\n\n${formatCredentialsProfile('warden', PAIR)}`;
    const profiles = parseCredentialsFile(text);
    assert.deepEqual(profiles.get('warden'), {
      aws_access_key_id: PAIR.accessKeyId,
      aws_secret_access_key: PAIR.secretAccessKey,
    });
    assert.deepEqual(profiles.get('default'), { aws_access_key_id: 'OTHER' });
  });

  test('takes the environment pair without writing a file', async () => {
    const fromEnv = await resolveRootCredentials(path.join(dir, 'env'), PAIR);
    assert.deepEqual(fromEnv, { ...PAIR, source: 'environment' });
  });

  test('refuses half a pair or an unusable pair from the environment', async () => {
    await assert.rejects(resolveRootCredentials(dir, { accessKeyId: PAIR.accessKeyId }), {
      message: 'Set both WARDEN_ROOT_ACCESS_KEY_ID and WARDEN_ROOT_SECRET_ACCESS_KEY, or neither',
    });
    await assert.rejects(resolveRootCredentials(dir, { accessKeyId: 'x', secretAccessKey: 'y' }), {
      message:
        'Root credentials: Access key id "x" is invalid: use 16-128 upper-case letters and digits; Secret access key is invalid: use at least 16 characters without spaces',
    });
  });

  test('generates a pair into a 0600 file once and reads it back afterwards', async () => {
    const dataDir = path.join(dir, 'generated');
    await import('node:fs/promises').then((fs) => fs.mkdir(dataDir));
    const first = await resolveRootCredentials(dataDir, {});
    assert.equal(first.source, 'generated');
    assert.equal((await stat(first.file!)).mode & 0o777, 0o600);
    const second = await resolveRootCredentials(dataDir, {});
    assert.deepEqual(second, { ...first, source: 'file' });
  });

  test('names the file and the missing part of a broken profile', async () => {
    const file = path.join(dir, 'broken');
    await writeFile(file, '[warden]\naws_access_key_id = AKIAROOTEXAMPLE00001\n', { mode: 0o600 });
    await assert.rejects(readCredentialsProfile(file, 'warden'), {
      message: `Profile "warden" in "${file}" needs aws_access_key_id and aws_secret_access_key`,
    });
    await assert.rejects(readCredentialsProfile(file, 'other'), {
      message: `Credentials file "${file}" has no profile "other"`,
    });
  });
});
