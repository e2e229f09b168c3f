/**
 * The root key pair: from `WARDEN_ROOT_ACCESS_KEY_ID` and `WARDEN_ROOT_SECRET_ACCESS_KEY`, or from
 * `DATA_DIR/credentials`, which the first start writes (mode 0600) in the AWS shared credentials
 * format under the profile `warden`, so the AWS CLI and SDKs can use it as it is.
 */

import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, keyPairProblems } from './api-key.ts';

export const CREDENTIALS_FILE = 'credentials';
export const ROOT_PROFILE = 'warden';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RootCredentials extends KeyPair {
  source: 'environment' | 'file' | 'generated';
  /** The credentials file, when the pair came from one or was written to one. */
  file?: string;
}

/** Profiles of an AWS shared credentials file: `[name]` sections of `key = value` lines. */
export function parseCredentialsFile(text: string): Map<string, Record<string, string>> {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section !== null) {
      current = {};
      profiles.set(section[1]!, current);
      continue;
    }
    const equals = line.indexOf('=');
    if (current === undefined || equals === -1) continue;
    current[line.slice(0, equals).trim().toLowerCase()] = line.slice(equals + 1).trim();
  }
  return profiles;
}

export function formatCredentialsProfile(profile: string, pair: KeyPair): string {
  return [
    `[${profile}]`,
    `aws_access_key_id = ${pair.accessKeyId}`,
    `aws_secret_access_key = ${pair.secretAccessKey}`,
    '',
  ].join('\n');
}

/**
 * Reads one profile of a credentials file.
 * @throws Error naming the file and what is missing; when the file is readable by other users.
 */
export async function readCredentialsProfile(file: string, profile: string): Promise<KeyPair> {
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `Credentials file "${file}" is readable by other users (mode ${mode}): run chmod 600 "${file}"`,
    );
  }
  const values = parseCredentialsFile(await readFile(file, 'utf8')).get(profile);
  if (values === undefined)
    throw new Error(`Credentials file "${file}" has no profile "${profile}"`);
  const accessKeyId = values['aws_access_key_id'];
  const secretAccessKey = values['aws_secret_access_key'];
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `Profile "${profile}" in "${file}" needs aws_access_key_id and aws_secret_access_key`,
    );
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * Finds the root pair: the environment first, then the data directory's credentials file, and
 * otherwise generates one and writes that file.
 * @throws Error when only one of the two variables is set or the pair is unusable.
 */
export async function resolveRootCredentials(
  dataDir: string,
  fromEnv: { accessKeyId?: string; secretAccessKey?: string },
): Promise<RootCredentials> {
  const { accessKeyId, secretAccessKey } = fromEnv;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error(
      'Set both WARDEN_ROOT_ACCESS_KEY_ID and WARDEN_ROOT_SECRET_ACCESS_KEY, or neither',
    );
  }
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const problems = keyPairProblems(accessKeyId, secretAccessKey);
    if (problems.length > 0) throw new Error(`Root credentials: ${problems.join('; ')}`);
    return { accessKeyId, secretAccessKey, source: 'environment' };
  }

  const file = path.join(dataDir, CREDENTIALS_FILE);
  const existing = await readIfPresent(file);
  if (existing !== undefined) return { ...existing, source: 'file', file };
  const pair = generateKeyPair();
  await writeNew(file, formatCredentialsProfile(ROOT_PROFILE, pair));
  return { ...pair, source: 'generated', file };
}

async function readIfPresent(file: string): Promise<KeyPair | undefined> {
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pair = await readCredentialsProfile(file, ROOT_PROFILE);
  const problems = keyPairProblems(pair.accessKeyId, pair.secretAccessKey);
  if (problems.length > 0) throw new Error(`Credentials file "${file}": ${problems.join('; ')}`);
  return pair;
}

/** Creates the file with mode 0600 from the start, so the secret is never readable by others. */
async function writeNew(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
