import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WardenError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { HttpMethod, Route } from './route.ts';
import { Router } from './router.ts';

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiServerOptions {
  host: string;
  port: number;
  routes: Route[];
  logger: Logger;
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
}

/**
 * The REST endpoint: AWS IoT operations in the rest-json protocol plus Warden's own routes.
 * Errors carry the AWS error type in `x-amzn-ErrorType` and a JSON body with `message`.
 */
export class ApiServer {
  readonly router = new Router();
  private readonly server: http.Server;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: ApiServerOptions) {
    this.router.add(options.routes);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.server = http.createServer((request, response) => {
      void this.handle(request, response);
    });
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
    try {
      checkSource(request);
      const { result, operation } = await this.dispatch(request);
      send(response, result.status ?? 200, result.body ?? {});
      this.options.logger.debug(
        { requestId, operation, status: result.status ?? 200 },
        'api request',
      );
    } catch (error) {
      this.sendError(response, error, requestId);
    }
  }

  private async dispatch(request: IncomingMessage) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase() as HttpMethod;
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

    const raw = await readBody(request, this.maxBodyBytes);
    const body = match.route.rawBody ? raw : parseJson(raw);
    const sourceIp = request.socket.remoteAddress ?? '';
    const context = {
      params: match.params,
      query: url.searchParams,
      body,
      headers: request.headers,
      sourceIp,
    };
    const result = await match.route.handler(context);
    return { result: result ?? {}, operation: match.route.operation };
  }

  private sendError(response: ServerResponse, error: unknown, requestId: string): void {
    if (error instanceof WardenError) {
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

/** Until request signing exists the API trusts only loopback callers. */
function checkSource(request: IncomingMessage): void {
  const address = request.socket.remoteAddress ?? '';
  const loopback =
    address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
  if (!loopback) {
    throw new WardenError(
      'UnauthorizedException',
      `Requests from "${address}" are not accepted: the API serves loopback only until request signing is configured`,
    );
  }
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
