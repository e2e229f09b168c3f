/**
 * The lookup of the key Warden's CLI commands sign with: `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY`, then the root pair's variables, then the `warden` profile (or
 * `WARDEN_PROFILE`) of the data directory's credentials file.
 */

import path from 'node:path';
import {
  CREDENTIALS_FILE,
  readCredentialsProfile,
  ROOT_PROFILE,
  type KeyPair,
} from '../keys/credentials-file.ts';

/**
 * @throws Error naming where it looked when no key is found.
 */
export async function resolveClientCredentials(
  env: NodeJS.ProcessEnv,
  dataDir?: string,
): Promise<KeyPair> {
  const fromPair = (id: string, secret: string) =>
    env[id] && env[secret] ? { accessKeyId: env[id], secretAccessKey: env[secret] } : undefined;
  const fromEnv =
    fromPair('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY') ??
    fromPair('WARDEN_ROOT_ACCESS_KEY_ID', 'WARDEN_ROOT_SECRET_ACCESS_KEY');
  if (fromEnv !== undefined) return fromEnv;

  const directory = path.resolve(dataDir ?? env['WARDEN_DATA_DIR'] ?? './warden-data');
  const file = path.join(directory, CREDENTIALS_FILE);
  const profile = env['WARDEN_PROFILE'] ?? ROOT_PROFILE;
  try {
    return await readCredentialsProfile(file, profile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `No API key found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or point --data-dir at the data directory whose "${CREDENTIALS_FILE}" file contains the "${profile}" profile (looked for "${file}")`,
    );
  }
}
