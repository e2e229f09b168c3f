/**
 * The REST calls of the simulation, SigV4-signed through `WardenApiClient`. Setting up a large
 * fleet sends thousands of requests, so a ThrottlingException is retried with a growing pause,
 * a bounded number of times.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { WardenApiClient, WardenApiError } from '../client/warden-api-client.ts';
import type { WardenConnection } from '../client/warden-connection.ts';

/** Attempts per request while Warden returns ThrottlingException. */
const MAX_ATTEMPTS = 20;
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 2_000;

/** One signed REST request. */
export interface ApiRequest {
  operation: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The API calls the fleet setup and the scenarios make. */
export class SimulationApi {
  private readonly client: WardenApiClient;

  constructor(connection: WardenConnection) {
    this.client = new WardenApiClient(connection);
  }

  /**
   * Sends a request and returns its parsed JSON body, retrying while Warden throttles.
   * @throws WardenApiError for any other refusal, or the last ThrottlingException
   */
  async call(request: ApiRequest): Promise<any> {
    let pause = FIRST_PAUSE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.call(
          request.operation,
          request.method,
          request.path,
          request.body,
          request.headers,
        );
      } catch (error) {
        const throttled =
          error instanceof WardenApiError && error.errorType === 'ThrottlingException';
        if (!throttled || attempt >= MAX_ATTEMPTS) throw error;
      }
      await sleep(pause);
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    }
  }

  /**
   * Sends a create request and returns undefined instead of failing when the resource already
   * exists, so a second run with the same seed reuses what the first one created.
   */
  async create(request: ApiRequest): Promise<any> {
    try {
      return await this.call(request);
    } catch (error) {
      if (error instanceof WardenApiError && error.errorType === 'ResourceAlreadyExistsException')
        return undefined;
      throw error;
    }
  }

  /** Creates a policy, or keeps the one of that name. */
  createPolicy(name: string, document: unknown): Promise<unknown> {
    return this.create({
      operation: 'CreatePolicy',
      method: 'POST',
      path: `/policies/${encodeURIComponent(name)}`,
      body: { policyDocument: JSON.stringify(document) },
    });
  }

  /** Attaches a policy to a certificate or thing group ARN. */
  attachPolicy(name: string, target: string): Promise<unknown> {
    return this.call({
      operation: 'AttachPolicy',
      method: 'PUT',
      path: `/target-policies/${encodeURIComponent(name)}`,
      body: { target },
    });
  }

  /** Registers a device certificate signed by a registered CA as ACTIVE; returns id and ARN. */
  async registerCertificate(
    certificatePem: string,
  ): Promise<{ certificateId: string; certificateArn: string }> {
    const body = await this.call({
      operation: 'RegisterCertificate',
      method: 'POST',
      path: '/certificate/register',
      body: { certificatePem, status: 'ACTIVE' },
    });
    return { certificateId: body.certificateId, certificateArn: body.certificateArn };
  }

  /** Attaches a certificate to a thing. */
  attachThingPrincipal(thingName: string, principal: string): Promise<unknown> {
    return this.call({
      operation: 'AttachThingPrincipal',
      method: 'PUT',
      path: `/things/${encodeURIComponent(thingName)}/principals`,
      headers: { 'x-amzn-principal': principal },
    });
  }
}
