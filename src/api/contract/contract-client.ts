import assert from 'node:assert/strict';
import { IoTClient } from '@aws-sdk/client-iot';
import { signedFetch } from '../../client/signed-fetch.ts';
import type { KeyPair } from '../../keys/credentials-file.ts';
import { TEST_ROOT } from '../../testing/credentials.ts';
import { checkErrorBody, checkOutput, type ShapeProblem } from './shape-check.ts';
import { loadServiceModel, operationErrors, requireOperation } from './service-model.ts';

/** One request and its raw response, as the wire carried them. */
export interface Exchange {
  operation: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  errorType: string | undefined;
  bodyText: string;
  /** The parsed JSON body, or undefined when the body is empty. */
  body: unknown;
}

/** Status, error type and parsed body of a raw (fetch) request to Warden. */
export interface RawResponse {
  status: number;
  errorType: string | null;
  body: any;
}

type Middleware = Parameters<IoTClient['middlewareStack']['addRelativeTo']>[0];

/** The inner handler a deserialize-step middleware calls, reduced to what the capture reads. */
type DeserializeNext = (args: {
  request: SdkHttpRequest;
}) => Promise<{ response: SdkHttpResponse; output?: unknown }>;

interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array> | Uint8Array | undefined;
}

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
}

/**
 * An `@aws-sdk/client-iot` client pointed at Warden that checks every raw response against the
 * AWS IoT service model before the SDK parses it. The SDK drops members it does not know and
 * forgives many type slips, so only the raw body shows whether Warden speaks the model. A
 * departure throws an AssertionError out of `send`, naming the operation and each problem.
 */
export class ContractClient {
  readonly sdk: IoTClient;
  readonly send: IoTClient['send'];
  readonly exchanges: Exchange[] = [];
  private readonly model = loadServiceModel();

  constructor(
    readonly endpoint: string,
    readonly credentials: KeyPair = TEST_ROOT,
  ) {
    this.sdk = new IoTClient({
      region: 'us-east-1',
      endpoint,
      credentials,
      maxAttempts: 1,
    });
    this.send = this.sdk.send.bind(this.sdk) as IoTClient['send'];
    const capture =
      (next: DeserializeNext, context: { commandName?: string }) =>
      async (args: { request: SdkHttpRequest }) => {
        const result = await next(args);
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const raw = await readBody(result.response.body);
        result.response.body = raw;
        this.record(operation, args.request, result.response, raw);
        return result;
      };
    // Placed after the deserializer in the stack, so it runs first on the response, before the
    // SDK reads the body stream.
    this.sdk.middlewareStack.addRelativeTo(capture as unknown as Middleware, {
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
      name: 'contractCheck',
    });
  }

  /** The most recent exchange. Fails when nothing was sent yet. */
  get last(): Exchange {
    const exchange = this.exchanges.at(-1);
    assert.ok(exchange, 'No request was sent yet');
    return exchange;
  }

  /**
   * Awaits a call that must fail with `errorName`, and checks that the SDK raised the modeled
   * exception class and that the wire carried the same type in `x-amzn-ErrorType`. Returns the
   * exception so tests can read its message and fields.
   */
  async expectError(
    call: Promise<unknown>,
    errorName: string,
    message?: string | RegExp,
  ): Promise<Error & Record<string, unknown>> {
    const error = await call.then(
      (output) => assert.fail(`Expected ${errorName}, got success: ${JSON.stringify(output)}`),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof Error, `Expected an Error, got ${String(error)}`);
    if (error.name === 'AssertionError') throw error;
    assert.equal(error.constructor.name, errorName, `SDK exception class for ${error.message}`);
    assert.equal(error.name, errorName);
    assert.equal(this.last.errorType, errorName, 'x-amzn-ErrorType header');
    if (typeof message === 'string') assert.equal(error.message, message);
    if (message instanceof RegExp) assert.match(error.message, message);
    return error as Error & Record<string, unknown>;
  }

  /**
   * Sends a request the SDK cannot build (unknown members, wrong types) with fetch, and checks
   * the response like an SDK response: an error must be listed for the operation and fit its
   * shape, a success must fit the output shape.
   */
  async raw(
    operation: string,
    method: string,
    pathAndQuery: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    const init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers: { 'content-type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await signedFetch(`${this.endpoint}${pathAndQuery}`, init, this.credentials);
    const text = await response.text();
    const errorType = response.headers.get('x-amzn-errortype');
    const url = new URL(pathAndQuery, this.endpoint);
    this.check({
      operation,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: response.status,
      errorType: errorType ?? undefined,
      bodyText: text,
      body: parseJson(text),
    });
    return { status: response.status, errorType, body: parseJson(text) };
  }

  private record(
    operation: string,
    request: SdkHttpRequest,
    response: SdkHttpResponse,
    raw: Uint8Array,
  ): void {
    const text = Buffer.from(raw).toString('utf8');
    this.check({
      operation,
      method: request.method,
      path: request.path,
      query: request.query ?? {},
      status: response.statusCode,
      errorType: response.headers['x-amzn-errortype'],
      bodyText: text,
      body: parseJson(text),
    });
  }

  private check(exchange: Exchange): void {
    this.exchanges.push(exchange);
    const problems =
      exchange.status < 300 ? this.checkSuccess(exchange) : this.checkError(exchange);
    if (problems.length === 0) return;
    const lines = problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
    assert.fail(
      `${exchange.operation} (${exchange.method} ${exchange.path}) answered ${exchange.status} ` +
        `outside the service model:\n${lines}\nbody: ${exchange.bodyText.slice(0, 2000)}`,
    );
  }

  private checkSuccess(exchange: Exchange): ShapeProblem[] {
    const operation = requireOperation(this.model, exchange.operation);
    const expectedStatus = operation.http.responseCode ?? 200;
    const problems: ShapeProblem[] = [];
    if (exchange.status !== expectedStatus)
      problems.push({ path: 'status', message: `Expected HTTP ${expectedStatus}` });
    if (exchange.bodyText !== '' && exchange.body === undefined)
      problems.push({ path: '$', message: 'Body is not JSON' });
    return [...problems, ...checkOutput(this.model, exchange.operation, exchange.body)];
  }

  private checkError(exchange: Exchange): ShapeProblem[] {
    const type = exchange.errorType;
    if (type === undefined) return [{ path: 'x-amzn-ErrorType', message: 'Header is missing' }];
    const listed = operationErrors(this.model, exchange.operation);
    if (!listed.includes(type)) {
      return [
        {
          path: 'x-amzn-ErrorType',
          message: `"${type}" is not among the errors the model lists for ${exchange.operation} (${listed.join(', ')})`,
        },
      ];
    }
    const problems = checkErrorBody(this.model, type, exchange.body);
    const status = this.model.shapes[type]?.error?.httpStatusCode;
    if (status !== undefined && status !== exchange.status)
      problems.push({ path: 'status', message: `Expected HTTP ${status} for ${type}` });
    return problems;
  }
}

async function readBody(body: SdkHttpResponse['body']): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
