/**
 * A client of the execution routes of a running Warden's REST API. Responses are checked against
 * the shapes the routes return, so a wrong endpoint (another HTTP service) fails with a clear
 * message instead of a confusing summary.
 */

import { signedFetch } from '../../client/signed-fetch.ts';
import type { KeyPair } from '../../keys/credentials-file.ts';
import { z } from 'zod';

/** Seconds one request may take before the client gives up on it. */
export const REQUEST_TIMEOUT_SECONDS = 30;

/** Executions per ListMitigationExecutions page: the maximum the route allows. */
const PAGE_SIZE = 250;

/** Pages read before giving up on a nextToken chain that does not end. */
const MAX_PAGES = 10_000;

/**
 * A request that did not succeed. `exitCode` is 1 when Warden rejected it (its message is the
 * API's own) and 2 when Warden could not be reached or the response is not one Warden sends.
 */
export class MitigationsRequestError extends Error {
  override readonly name = 'MitigationsRequestError';

  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const target = z.looseObject({
  certificateIds: z.array(z.string()),
  caCertificateIds: z.array(z.string()),
  thingNames: z.array(z.string()),
  clientIds: z.array(z.string()),
  policyNames: z.array(z.string()),
  sourceIps: z.array(z.string()),
});

const execution = z.looseObject({
  executionId: z.string(),
  taskId: z.string().optional(),
  source: z.looseObject({ kind: z.string() }),
  actionName: z.string(),
  actionType: z.string(),
  target,
  status: z.string(),
  dryRun: z.boolean(),
  startTime: z.number(),
  endTime: z.number().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  rolledBackAt: z.number().optional(),
  rollbackMessage: z.string().optional(),
  techniques: z.array(z.looseObject({ id: z.string(), name: z.string() })).optional(),
});

const listResponse = z.looseObject({
  executions: z.array(execution),
  nextToken: z.string().optional(),
});

/** An execution as the routes return it, with times in epoch seconds. */
export type ExecutionJson = z.infer<typeof execution>;

/** Calls the execution routes of one Warden. */
export class WardenMitigationsClient {
  constructor(
    readonly endpoint: string,
    private readonly credentials: KeyPair,
    private readonly requestTimeoutMs = REQUEST_TIMEOUT_SECONDS * 1000,
  ) {}

  /** Reads every execution, page by page, optionally only those that acted on a thing. */
  async listExecutions(filter: { thingName?: string } = {}): Promise<ExecutionJson[]> {
    const executions: ExecutionJson[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ maxResults: String(PAGE_SIZE) });
      if (filter.thingName !== undefined) query.set('thingName', filter.thingName);
      if (nextToken !== undefined) query.set('nextToken', nextToken);
      const path = `/warden/mitigations/executions?${query}`;
      const body = await this.call('ListMitigationExecutions', 'GET', path);
      const parsed = this.check('ListMitigationExecutions', listResponse, body);
      executions.push(...parsed.executions);
      if (parsed.nextToken === undefined || parsed.nextToken === nextToken) return executions;
      nextToken = parsed.nextToken;
    }
    throw new MitigationsRequestError(
      `ListMitigationExecutions returned more than ${MAX_PAGES} pages; stopped reading`,
      2,
    );
  }

  async describeExecution(executionId: string): Promise<ExecutionJson> {
    const path = `/warden/mitigations/executions/${encodeURIComponent(executionId)}`;
    const body = await this.call('DescribeMitigationExecution', 'GET', path);
    return this.check('DescribeMitigationExecution', execution, body);
  }

  async rollBack(executionId: string): Promise<ExecutionJson> {
    const path = `/warden/mitigations/executions/${encodeURIComponent(executionId)}/rollback`;
    const body = await this.call('RollBackMitigationExecution', 'POST', path);
    return this.check('RollBackMitigationExecution', execution, body);
  }

  private async call(operation: string, method: string, path: string): Promise<unknown> {
    let response: Response;
    try {
      const init = { method, headers: { 'content-type': 'application/json' } };
      response = await signedFetch(`${this.endpoint}${path}`, init, this.credentials, {
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw new MitigationsRequestError(
        `Cannot reach Warden at ${this.endpoint}: ${this.reason(error)}`,
        2,
        { cause: error },
      );
    }

    const json = parseJson(await response.text());
    if (response.ok) return json;
    const message = (json as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && response.headers.has('x-amzn-errortype'))
      throw new MitigationsRequestError(message, 1);
    throw new MitigationsRequestError(
      `Unexpected response from ${this.endpoint} to ${operation}: HTTP ${response.status}; is this a Warden API endpoint?`,
      2,
    );
  }

  private check<T>(operation: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const problem =
      issue === undefined || issue.path.length === 0
        ? 'the body is not a JSON object of the expected shape'
        : `missing or invalid "${issue.path.join('.')}"`;
    throw new MitigationsRequestError(
      `Unexpected response from ${this.endpoint} to ${operation}: ${problem}; is this a Warden API endpoint?`,
      2,
    );
  }

  /** Describes why a request failed in system-call words, e.g. "connect ECONNREFUSED". */
  private reason(error: unknown): string {
    if (error instanceof Error && error.name === 'TimeoutError')
      return `no response within ${this.requestTimeoutMs / 1000} s`;
    const cause = (error as { cause?: { code?: unknown; syscall?: unknown; message?: unknown } })
      .cause;
    if (typeof cause?.code === 'string' && typeof cause.syscall === 'string')
      return `${cause.syscall} ${cause.code}`;
    if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
    return (error as Error).message;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
