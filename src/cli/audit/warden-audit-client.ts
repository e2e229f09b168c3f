/**
 * A client of the audit operations of a running Warden's REST API: the account audit
 * configuration, on-demand tasks and their findings. Responses are checked against the AWS
 * shapes, so a wrong endpoint (another HTTP service) fails with a clear message.
 */

import { signedFetch } from '../../client/signed-fetch.ts';
import type { KeyPair } from '../../keys/credentials-file.ts';
import { z } from 'zod';
import type { CheckDetails } from '../../audit/audit-records.ts';
import type { AuditFindingJson } from './audit-report.ts';
import { AuditRunError } from './audit-run-error.ts';

/** Seconds one request may take before the client gives up on it. */
export const REQUEST_TIMEOUT_SECONDS = 30;

/** Findings per ListAuditFindings page: the maximum the operation allows. */
const PAGE_SIZE = 250;

/** Pages read before giving up on a nextToken chain that does not end. */
const MAX_PAGES = 10_000;

const checkDetails = z.looseObject({
  checkRunStatus: z.enum([
    'IN_PROGRESS',
    'WAITING_FOR_DATA_COLLECTION',
    'CANCELED',
    'COMPLETED_COMPLIANT',
    'COMPLETED_NON_COMPLIANT',
    'FAILED',
  ]),
  checkCompliant: z.boolean().optional(),
  totalResourcesCount: z.number().optional(),
  nonCompliantResourcesCount: z.number().optional(),
  suppressedNonCompliantResourcesCount: z.number().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
});

const configurationResponse = z.looseObject({
  roleArn: z.string().optional(),
  auditCheckConfigurations: z.record(
    z.string(),
    z.looseObject({ enabled: z.boolean().optional() }),
  ),
});

const startResponse = z.looseObject({ taskId: z.string().min(1) });

const taskResponse = z.looseObject({
  taskStatus: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED']),
  taskStartTime: z.number(),
  taskStatistics: z.looseObject({ totalChecks: z.number(), inProgressChecks: z.number() }),
  auditDetails: z.record(z.string(), checkDetails),
});

const resource = z.looseObject({
  resourceType: z.string(),
  resourceIdentifier: z.record(z.string(), z.unknown()),
});

const findingsResponse = z.looseObject({
  findings: z.array(
    z.looseObject({
      findingId: z.string(),
      taskId: z.string(),
      checkName: z.string(),
      taskStartTime: z.number(),
      findingTime: z.number(),
      severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
      nonCompliantResource: resource,
      relatedResources: z.array(resource).optional(),
      reasonForNonCompliance: z.string(),
      reasonForNonComplianceCode: z.string(),
      isSuppressed: z.boolean().optional(),
    }),
  ),
  nextToken: z.string().optional(),
});

export type AccountAuditConfigurationJson = z.infer<typeof configurationResponse>;

/** The DescribeAuditTask response, as far as the CLI reads it. */
export interface AuditTaskJson {
  taskStatus: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';
  taskStartTime: number;
  taskStatistics: { totalChecks: number; inProgressChecks: number };
  auditDetails: Record<string, CheckDetails>;
}

/** Calls the audit operations of one Warden. */
export class WardenAuditClient {
  constructor(
    readonly endpoint: string,
    private readonly credentials: KeyPair,
    private readonly requestTimeoutMs = REQUEST_TIMEOUT_SECONDS * 1000,
  ) {}

  async describeConfiguration(): Promise<AccountAuditConfigurationJson> {
    const body = await this.call(
      'DescribeAccountAuditConfiguration',
      'GET',
      '/audit/configuration',
    );
    return this.check('DescribeAccountAuditConfiguration', configurationResponse, body);
  }

  async updateConfiguration(update: {
    roleArn?: string;
    auditCheckConfigurations: Record<string, { enabled: boolean }>;
  }): Promise<void> {
    await this.call('UpdateAccountAuditConfiguration', 'PATCH', '/audit/configuration', update);
  }

  /** Starts an on-demand audit and returns its task id. */
  async startTask(targetCheckNames: readonly string[]): Promise<string> {
    const operation = 'StartOnDemandAuditTask';
    const body = await this.call(operation, 'POST', '/audit/tasks', { targetCheckNames });
    return this.check(operation, startResponse, body).taskId;
  }

  async describeTask(taskId: string): Promise<AuditTaskJson> {
    const path = `/audit/tasks/${encodeURIComponent(taskId)}`;
    const body = await this.call('DescribeAuditTask', 'GET', path);
    return this.check('DescribeAuditTask', taskResponse, body) as AuditTaskJson;
  }

  /** Reads every finding of the task, page by page. */
  async listFindings(taskId: string): Promise<AuditFindingJson[]> {
    const findings: AuditFindingJson[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const request = { taskId, maxResults: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) };
      const body = await this.call('ListAuditFindings', 'POST', '/audit/findings', request);
      const parsed = this.check('ListAuditFindings', findingsResponse, body);
      for (const finding of parsed.findings) {
        findings.push({
          ...finding,
          relatedResources: finding.relatedResources ?? [],
          isSuppressed: finding.isSuppressed ?? false,
        } as AuditFindingJson);
      }
      if (parsed.nextToken === undefined || parsed.nextToken === nextToken) return findings;
      nextToken = parsed.nextToken;
    }
    throw new AuditRunError(
      `ListAuditFindings for task "${taskId}" returned more than ${MAX_PAGES} pages; stopped reading`,
    );
  }

  private async call(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    let response: Response;
    try {
      const init = {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      response = await signedFetch(`${this.endpoint}${path}`, init, this.credentials, {
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw new AuditRunError(`Cannot reach Warden at ${this.endpoint}: ${this.reason(error)}`, {
        cause: error,
      });
    }

    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      const type = response.headers.get('x-amzn-errortype') ?? `HTTP ${response.status}`;
      const message = (json as { message?: unknown } | undefined)?.message;
      const detail = typeof message === 'string' ? `: ${message}` : '';
      throw new AuditRunError(`Warden at ${this.endpoint} rejected ${operation}: ${type}${detail}`);
    }
    return json;
  }

  private check<T>(operation: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined || issue.path.length === 0 ? '' : ` at "${issue.path.join('.')}"`;
    throw new AuditRunError(
      `Unexpected response from ${this.endpoint} to ${operation}${where}: ${issue?.message ?? 'invalid'}; is this a Warden API endpoint?`,
    );
  }

  /** Describes why a request failed, in the words of the system call, e.g. "connect ECONNREFUSED". */
  private reason(error: unknown): string {
    if (error instanceof Error && error.name === 'TimeoutError')
      return `no response within ${this.requestTimeoutMs / 1000} s`;
    const cause = (error as { cause?: { code?: unknown; syscall?: unknown; message?: unknown } })
      .cause;
    if (typeof cause?.code === 'string' && typeof cause.syscall === 'string')
      return `${cause.syscall} ${cause.code}`;
    if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
    if (typeof cause?.code === 'string') return cause.code;
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
