/**
 * The connection of a CLI command to a running Warden: the API address from `--endpoint` or from the
 * `endpoints.json` Warden writes into its data directory, and the key to sign with.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyPair } from '../keys/credentials-file.ts';
import { resolveClientCredentials } from './client-credentials.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';

export interface WardenConnection {
  endpoint: string;
  credentials: KeyPair;
}

/** A connection that cannot be set up. The message names what to fix. */
export class ConnectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

/**
 * Checks that an endpoint is `http://HOST:PORT` or `https://HOST:PORT`, without a path.
 * @throws ConnectionError naming the source of the value.
 */
export function checkEndpoint(endpoint: string, source = '--endpoint'): string {
  const problem = `Invalid value "${endpoint}" for "${source}": must be http://HOST:PORT or https://HOST:PORT`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConnectionError(problem);
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '';
  const userInfo = url.username !== '' || url.password !== '';
  if (!['http:', 'https:'].includes(url.protocol) || url.hostname === '' || !bare || userInfo) {
    throw new ConnectionError(problem);
  }
  return `${url.protocol}//${url.host}`;
}

/**
 * Reads the API address a running Warden wrote to `DIR/endpoints.json`.
 * @throws ConnectionError when the file is missing or has no address.
 */
export async function readEndpointsFile(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'endpoints.json');
  let endpoints: unknown;
  try {
    endpoints = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConnectionError(
      `Cannot read "${file}": ${reason}; Warden writes it on start, so check that "warden serve --data-dir ${dataDir}" is running`,
    );
  }
  const http = (endpoints as { http?: unknown } | null)?.http;
  if (typeof http !== 'string') {
    throw new ConnectionError(`Invalid "${file}": it has no "http" member with the API address`);
  }
  return checkEndpoint(http, file);
}

/**
 * Resolves the endpoint and key for `--endpoint URL` or `--data-dir DIR` (at most one is given).
 * @throws ConnectionError when the address or the key cannot be found.
 */
export async function connectToWarden(
  location: { endpoint?: string; dataDir?: string },
  env: NodeJS.ProcessEnv,
): Promise<WardenConnection> {
  const endpoint =
    location.dataDir === undefined
      ? checkEndpoint(location.endpoint ?? DEFAULT_ENDPOINT)
      : await readEndpointsFile(location.dataDir);
  try {
    return { endpoint, credentials: await resolveClientCredentials(env, location.dataDir) };
  } catch (error) {
    throw new ConnectionError((error as Error).message, { cause: error });
  }
}
