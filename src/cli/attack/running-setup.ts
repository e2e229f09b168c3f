/**
 * Reads what a running Warden has switched on, through its API: the enabled audit checks, every
 * security profile's behaviors and the defined mitigation actions. Coverage is computed from
 * this, not from what Warden could do.
 */

import type { RunningSetup } from '../../attack/coverage.ts';
import type { WardenApiClient } from '../../client/warden-api-client.ts';

/** Pages read before a nextToken chain that does not end is given up. */
const MAX_PAGES = 1000;

export async function readRunningSetup(client: WardenApiClient): Promise<RunningSetup> {
  const configuration = await client.call(
    'DescribeAccountAuditConfiguration',
    'GET',
    '/audit/configuration',
  );
  const checks = (configuration.auditCheckConfigurations ?? {}) as Record<
    string,
    { enabled?: boolean }
  >;
  const enabledChecks = Object.entries(checks)
    .filter(([, check]) => check.enabled === true)
    .map(([name]) => name)
    .sort();
  return {
    enabledChecks,
    behaviors: await readBehaviors(client),
    mitigationActions: await readActions(client),
  };
}

async function readBehaviors(client: WardenApiClient): Promise<RunningSetup['behaviors']> {
  const names = await listAll<string>(
    client,
    'ListSecurityProfiles',
    '/security-profiles',
    (page) => (page.securityProfileIdentifiers ?? []).map((entry: { name: string }) => entry.name),
  );
  const behaviors: RunningSetup['behaviors'] = [];
  for (const profile of names) {
    const path = `/security-profiles/${encodeURIComponent(profile)}`;
    const described = await client.call('DescribeSecurityProfile', 'GET', path);
    for (const behavior of described.behaviors ?? []) {
      if (typeof behavior.metric !== 'string') continue;
      behaviors.push({ profile, name: behavior.name, metric: behavior.metric });
    }
  }
  return behaviors;
}

async function readActions(client: WardenApiClient): Promise<RunningSetup['mitigationActions']> {
  const names = await listAll<string>(
    client,
    'ListMitigationActions',
    '/mitigationactions/actions',
    (page) =>
      (page.actionIdentifiers ?? []).map((entry: { actionName: string }) => entry.actionName),
  );
  const actions: RunningSetup['mitigationActions'] = [];
  for (const name of names) {
    const path = `/mitigationactions/actions/${encodeURIComponent(name)}`;
    const described = await client.call('DescribeMitigationAction', 'GET', path);
    actions.push({ name, type: described.actionType });
  }
  return actions;
}

/** Follows nextToken through a GET list operation and collects what `pick` takes of each page. */
export async function listAll<T>(
  client: WardenApiClient,
  operation: string,
  path: string,
  pick: (page: any) => T[],
  query: Record<string, string> = {},
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const params = new URLSearchParams({ ...query, maxResults: '250' });
    if (nextToken !== undefined) params.set('nextToken', nextToken);
    const body = await client.call(operation, 'GET', `${path}?${params}`);
    items.push(...pick(body));
    if (typeof body.nextToken !== 'string' || body.nextToken === nextToken) return items;
    nextToken = body.nextToken;
  }
  throw new Error(`${operation} returned more than ${MAX_PAGES} pages; stopped reading`);
}
