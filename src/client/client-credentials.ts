/**
 * The lookup of the key Warden's CLI commands sign with. The order is `AWS_ACCESS_KEY_ID` with
 * `AWS_SECRET_ACCESS_KEY`, then the root pair's variables, then `AWS_PROFILE` in the AWS shared
 * credentials file, then the `warden` profile (or `WARDEN_PROFILE`) of the data directory's
 * credentials file. Half a pair is an error, never a reason to fall back to a stronger key.
 */

import { homedir } from 'node:os';
import path from 'node:path';
import {
  CREDENTIALS_FILE,
  readCredentialsProfile,
  ROOT_PROFILE,
  type KeyPair,
} from '../keys/credentials-file.ts';

/**
 * @throws Error naming the variable that lacks its partner, or where it looked when no key is
 *   found.
 */
export async function resolveClientCredentials(
  env: NodeJS.ProcessEnv,
  dataDir?: string,
): Promise<KeyPair> {
  const fromEnv =
    pairFrom(env, 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY') ??
    pairFrom(env, 'WARDEN_ROOT_ACCESS_KEY_ID', 'WARDEN_ROOT_SECRET_ACCESS_KEY');
  if (fromEnv !== undefined) return fromEnv;

  const awsProfile = env['AWS_PROFILE'];
  if (awsProfile) {
    const file =
      env['AWS_SHARED_CREDENTIALS_FILE'] ??
      path.join(env['HOME'] ?? homedir(), '.aws', 'credentials');
    return readCredentialsProfile(file, awsProfile);
  }

  const directory = path.resolve(dataDir ?? env['WARDEN_DATA_DIR'] ?? './warden-data');
  const file = path.join(directory, CREDENTIALS_FILE);
  const profile = env['WARDEN_PROFILE'] ?? ROOT_PROFILE;
  try {
    return await readCredentialsProfile(file, profile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `No API key found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE, or point --data-dir at the data directory whose "${CREDENTIALS_FILE}" file contains the "${profile}" profile (looked for "${file}")`,
    );
  }
}

function pairFrom(env: NodeJS.ProcessEnv, idName: string, secretName: string) {
  const accessKeyId = env[idName];
  const secretAccessKey = env[secretName];
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    const [set, missing] = accessKeyId ? [idName, secretName] : [secretName, idName];
    throw new Error(`${set} is set but ${missing} is not: set both, or neither`);
  }
  return { accessKeyId, secretAccessKey };
}
