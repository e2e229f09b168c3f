/**
 * API access keys: an access key id with its secret, a name and a policy that limits what the key
 * may call. The root key comes from the environment or `DATA_DIR/credentials`; further keys live
 * in the store.
 */

import { randomBytes } from 'node:crypto';

export const KEY_POLICIES = ['read-only', 'operator', 'admin'] as const;

/** The permission level of a key: read only, also run the fleet, or also change its security setup. */
export type KeyPolicy = (typeof KEY_POLICIES)[number];

export interface ApiKey {
  accessKeyId: string;
  secretAccessKey: string;
  name: string;
  policy: KeyPolicy;
  /** Epoch milliseconds. */
  createdAt: number;
  revokedAt?: number;
}

/** A key as listings show it: never the secret. */
export type ApiKeySummary = Omit<ApiKey, 'secretAccessKey'>;

/** The caller of a request once its signature has been verified. */
export interface Principal {
  accessKeyId: string;
  name: string;
  policy: KeyPolicy;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Generates a pair in the AWS shape: `AKIA` and 16 base32 characters, and a 40-character secret. */
export function generateKeyPair(): { accessKeyId: string; secretAccessKey: string } {
  const idBytes = randomBytes(16);
  const id = [...idBytes].map((byte) => BASE32[byte % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

export function isKeyPolicy(value: string): value is KeyPolicy {
  return (KEY_POLICIES as readonly string[]).includes(value);
}

const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const MIN_SECRET_LENGTH = 16;

/** Problems with a configured pair, as sentences; empty when the pair is usable. */
export function keyPairProblems(accessKeyId: string, secretAccessKey: string): string[] {
  const problems: string[] = [];
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    problems.push(
      `Access key id "${accessKeyId}" is invalid: use 16-128 upper-case letters and digits`,
    );
  }
  if (secretAccessKey.length < MIN_SECRET_LENGTH || /\s/.test(secretAccessKey)) {
    problems.push(
      `Secret access key is invalid: use at least ${MIN_SECRET_LENGTH} characters without spaces`,
    );
  }
  return problems;
}
