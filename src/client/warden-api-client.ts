/**
 * A small signed JSON client of Warden's REST API for CLI commands that call many operations
 * (apply, export, simulate, attack). Errors keep the AWS error type and message Warden sent.
 */

import type { WardenConnection } from './warden-connection.ts';
import { signedFetch } from './signed-fetch.ts';

/** Milliseconds one request may take. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Tries of a throttled request, waiting 250 ms, then twice as long each time, at most 4 s. */
const THROTTLED_ATTEMPTS = 8;

/** A request Warden rejected, or one that got no response (status 0). */
export class WardenApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'WardenApiError';
  }
}

/** The retry schedule of throttled requests; tests shorten the wait. */
export interface RetryOptions {
  attempts: number;
  firstDelayMs: number;
}

export class WardenApiClient {
  constructor(
    readonly connection: WardenConnection,
    private readonly retry: RetryOptions = { attempts: THROTTLED_ATTEMPTS, firstDelayMs: 250 },
  ) {}

  /**
   * Sends one operation and returns its parsed JSON body ({} when empty).
   * @param operation the operation's name, used in error messages
   * @throws WardenApiError with Warden's error type and message, or status 0 when unreachable
   */
  async call(
    operation: string,
    method: string,
    pathAndQuery: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<any> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.callOnce(operation, method, pathAndQuery, body, headers);
      } catch (error) {
        const throttled =
          error instanceof WardenApiError && error.errorType === 'ThrottlingException';
        if (!throttled || attempt >= this.retry.attempts) throw error;
        const delay = Math.min(
          16 * this.retry.firstDelayMs,
          this.retry.firstDelayMs * 2 ** (attempt - 1),
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async callOnce(
    operation: string,
    method: string,
    pathAndQuery: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<any> {
    const { endpoint, credentials } = this.connection;
    const init = {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    let response: Response;
    try {
      response = await signedFetch(`${endpoint}${pathAndQuery}`, init, credentials, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const reason =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new WardenApiError(
        operation,
        0,
        'Unreachable',
        `Cannot reach Warden at ${endpoint}: ${reason}`,
      );
    }
    const text = await response.text();
    const json = parseJson(text);
    if (response.ok) return json ?? {};
    const errorType = response.headers.get('x-amzn-errortype') ?? `HTTP ${response.status}`;
    const message = (json as { message?: unknown } | undefined)?.message;
    throw new WardenApiError(
      operation,
      response.status,
      errorType,
      `${operation} failed: ${errorType}: ${typeof message === 'string' ? message : text.slice(0, 200)}`,
    );
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
