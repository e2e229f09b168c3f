/**
 * The calls `warden apply` and `warden export` make, over the signed client: single operations
 * and list operations followed page by page. Paths are built from encoded names.
 */

import type { WardenApiClient } from '../client/warden-api-client.ts';

/** Pages followed before a list is taken to be runaway; 250 items a page gives 250,000 items. */
const MAX_PAGES = 1000;

export interface ListRequest {
  operation: string;
  /** Path with its query, without the page parameters. */
  path: string;
  /** Member of the response that contains the items. */
  items: string;
  /** Query parameter and response member of the page token; `nextToken` by default. */
  tokenParam?: string;
  tokenMember?: string;
  /** Query parameter of the page size and its value; `maxResults=250` by default. */
  sizeParam?: string;
}

/** Operations of Warden's REST API with the path building and paging they need. */
export class FleetApi {
  /** Write operations sent so far, for tests and for the apply summary. */
  writes = 0;
  /** The `arn:aws:iot:REGION:ACCOUNT` part of the ARNs Warden returns, once one was seen. */
  private prefix: string | undefined;

  constructor(readonly client: WardenApiClient) {}

  async read(operation: string, path: string, body?: unknown): Promise<any> {
    const method = body === undefined ? 'GET' : 'POST';
    return this.learn(await this.client.call(operation, method, path, body));
  }

  async write(operation: string, method: string, path: string, body?: unknown): Promise<any> {
    this.writes += 1;
    return this.learn(await this.client.call(operation, method, path, body));
  }

  /** Follows a list operation to its last page and returns every item. */
  async list(request: ListRequest): Promise<any[]> {
    const tokenParam = request.tokenParam ?? 'nextToken';
    const tokenMember = request.tokenMember ?? 'nextToken';
    const separator = request.path.includes('?') ? '&' : '?';
    const items: unknown[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ [request.sizeParam ?? 'maxResults']: '250' });
      if (token !== undefined) query.set(tokenParam, token);
      const body = await this.read(request.operation, `${request.path}${separator}${query}`);
      items.push(...((body[request.items] as unknown[] | undefined) ?? []));
      token = typeof body[tokenMember] === 'string' ? body[tokenMember] : undefined;
      if (token === undefined) return items;
    }
    throw new Error(`${request.operation} returned more than ${MAX_PAGES} pages; stopped reading`);
  }

  /**
   * Builds an IoT ARN for a resource, such as `thinggroup/quarantine`, with the region and
   * account of the ARNs Warden returned. Warden ignores both when it reads an ARN, so before
   * any was seen the ARN is built with them empty.
   */
  arn(resource: string): string {
    return `${this.prefix ?? 'arn:aws:iot::'}:${resource}`;
  }

  private learn<T>(body: T): T {
    if (this.prefix === undefined) {
      const found = /"(arn:aws:iot:[^:"]*:[^:"]*):/.exec(JSON.stringify(body) ?? '');
      if (found?.[1] !== undefined) this.prefix = found[1];
    }
    return body;
  }
}

/** Encodes one path segment, as the AWS SDKs do for `{name}` parameters. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}
