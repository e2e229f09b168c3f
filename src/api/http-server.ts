import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WardenError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { accessLevel } from './auth/access-policy.ts';
import { wireHeaders, type ApiAuth } from './auth/api-auth.ts';
import type { HttpMethod, Route } from './route.ts';
import { Router } from './router.ts';

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiServerOptions {
  host: string;
  port: number;
  routes: Route[];
  /** Verifies, rate-limits and authorizes every request before its operation runs. */
  auth: ApiAuth;
  logger: Logger;
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
  /** Serves HTTPS with this identity instead of plain HTTP. */
  tls?: { certPem: string; keyPem: string };
}

/**
 * The REST endpoint: AWS IoT operations in the rest-json protocol plus Warden's own routes.
 * Errors carry the AWS error type in `x-amzn-ErrorType` and a JSON body with `message`. A request
 * reaches no route, not even the unknown-path error, before its signature verifies.
 */
export class ApiServer {
  readonly router = new Router();
  private readonly server: http.Server | https.Server;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: ApiServerOptions) {
    this.router.add(options.routes);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      void this.handle(request, response);
    };
    const { tls } = options;
    this.server =
      tls === undefined
        ? http.createServer(listener)
        : https.createServer(
            { cert: tls.certPem, key: tls.keyPem, minVersion: 'TLSv1.2' },
            listener,
          );
    this.server.keepAliveTimeout = 5000;
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    response.setHeader('x-amzn-RequestId', requestId);
    const sourceIp = request.socket.remoteAddress ?? '';
    try {
      const { result, operation, principal } = await this.dispatch(request, sourceIp);
      const status = result.status ?? 200;
      send(response, status, result.body ?? {});
      const fields = { requestId, operation, status, key: principal.name, sourceIp };
      if (accessLevel(operation) === 'read') this.options.logger.debug(fields, 'api request');
      else this.options.logger.info(fields, 'api change');
    } catch (error) {
      this.sendError(response, error, { requestId, sourceIp, accessKeyId: claimedKey(request) });
    }
  }

  private async dispatch(request: IncomingMessage, sourceIp: string) {
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase() as HttpMethod;
    const raw = await readBody(request, this.maxBodyBytes);
    const principal = this.options.auth.authenticate({
      method,
      url: rawUrl,
      headers: wireHeaders(request),
      body: raw,
      sourceAddress: sourceIp,
    });
    if (!METHODS.has(method))
      throw new WardenError('InvalidRequestException', `Unsupported HTTP method "${method}"`);

    const match = this.router.match(method, url.pathname);
    if (match === undefined) {
      throw new WardenError(
        'ResourceNotFoundException',
        `No operation matches ${method} ${url.pathname}`,
      );
    }
    if ('allowed' in match) {
      throw new WardenError(
        'InvalidRequestException',
        `Method ${method} is not allowed on ${url.pathname}; allowed: ${match.allowed.join(', ')}`,
      );
    }
    this.options.auth.authorize(principal, match.route.operation);

    const body = match.route.rawBody ? raw : parseJson(raw);
    const context = {
      params: match.params,
      query: url.searchParams,
      body,
      headers: request.headers,
      sourceIp,
      principal,
    };
    const result = await match.route.handler(context);
    return { result: result ?? {}, operation: match.route.operation, principal };
  }

  private sendError(
    response: ServerResponse,
    error: unknown,
    context: { requestId: string; sourceIp: string; accessKeyId: string | undefined },
  ): void {
    const { requestId } = context;
    if (error instanceof WardenError) {
      if (error.status === 403) {
        // The line names the failed part and the key id tried, never the secret or signature.
        this.options.logger.warn(
          { ...context, code: error.code, reason: error.message },
          'api request refused',
        );
      }
      response.setHeader('x-amzn-ErrorType', error.code);
      send(response, error.status, { message: error.message, ...error.fields });
      return;
    }
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      // The client went away mid-request; nothing failed on Warden's side.
      this.options.logger.debug({ requestId }, 'api client aborted the request');
      return;
    }
    this.options.logger.error({ err: error, requestId }, 'api request failed');
    response.setHeader('x-amzn-ErrorType', 'InternalFailureException');
    send(response, 500, { message: `Internal failure; request id ${requestId}` });
  }
}

/** Extracts the access key id a request claims, for log lines about refusals. */
function claimedKey(request: IncomingMessage): string | undefined {
  const authorization = request.headers['authorization'] ?? '';
  const source = authorization === '' ? (request.url ?? '').replaceAll('%2F', '/') : authorization;
  return /Credential=([A-Za-z0-9]{1,128})\//.exec(source)?.[1];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new WardenError(
        'InvalidRequestException',
        `Request body is larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new WardenError(
      'InvalidRequestException',
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
