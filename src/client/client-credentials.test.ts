import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveClientCredentials } from './client-credentials.ts';

const ROOT = { accessKeyId: 'AKIAROOTROOTROOT0001', secretAccessKey: 'root-secret-0123456789' };
const READER = { accessKeyId: 'AKIAREADERREADER0001', secretAccessKey: 'reader-secret-012345' };

describe('resolveClientCredentials', () => {
  let dataDir: string;
  let awsFile: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'warden-client-credentials-'));
    const profile = (name: string, pair: typeof ROOT) =>
      `[${name}]\naws_access_key_id = ${pair.accessKeyId}\naws_secret_access_key = ${pair.secretAccessKey}\n`;
    await writeFile(path.join(dataDir, 'credentials'), profile('warden', ROOT), { mode: 0o600 });
    awsFile = path.join(dataDir, 'aws-credentials');
    await writeFile(awsFile, profile('reader', READER), { mode: 0o600 });
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('prefers the AWS variables, then AWS_PROFILE, then the data directory', async () => {
    const aws = { AWS_ACCESS_KEY_ID: READER.accessKeyId, AWS_SECRET_ACCESS_KEY: 'x'.repeat(20) };
    assert.deepEqual(await resolveClientCredentials(aws, dataDir), {
      accessKeyId: READER.accessKeyId,
      secretAccessKey: 'x'.repeat(20),
    });
    const profile = { AWS_PROFILE: 'reader', AWS_SHARED_CREDENTIALS_FILE: awsFile };
    assert.deepEqual(await resolveClientCredentials(profile, dataDir), READER);
    assert.deepEqual(await resolveClientCredentials({}, dataDir), ROOT);
  });

  test('half a pair is an error, not a fallback to the root key', async () => {
    await assert.rejects(
      resolveClientCredentials({ AWS_ACCESS_KEY_ID: READER.accessKeyId }, dataDir),
      {
        message: 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither',
      },
    );
    await assert.rejects(
      resolveClientCredentials({ WARDEN_ROOT_SECRET_ACCESS_KEY: 'secret' }, dataDir),
      {
        message:
          'WARDEN_ROOT_SECRET_ACCESS_KEY is set but WARDEN_ROOT_ACCESS_KEY_ID is not: set both, or neither',
      },
    );
  });

  test('names the profile that a credentials file lacks', async () => {
    const env = { AWS_PROFILE: 'missing', AWS_SHARED_CREDENTIALS_FILE: awsFile };
    await assert.rejects(resolveClientCredentials(env, dataDir), {
      message: `Credentials file "${awsFile}" has no profile "missing"`,
    });
  });
});
