/**
 * Collects what a running Warden actually detected in a time window: audit findings and Detect
 * violation events, each with the ATT&CK techniques the API attaches, grouped by technique.
 */

import type { TechniqueRef } from '../../attack/catalog-types.ts';
import type { Detection } from '../../attack/navigator-layer.ts';
import type { WardenApiClient } from '../../client/warden-api-client.ts';
import { listAll } from './running-setup.ts';

const MAX_PAGES = 1000;

interface Sighting {
  techniques: TechniqueRef[];
  /** Epoch ms. */
  time: number;
  source: string;
}

/** Reads findings and violation events between two epoch-ms times and groups them by technique. */
export async function readDetections(
  client: WardenApiClient,
  sinceMs: number,
  untilMs: number,
): Promise<Detection[]> {
  const sightings = [
    ...(await findingSightings(client, sinceMs, untilMs)),
    ...(await violationSightings(client, sinceMs, untilMs)),
  ];
  const byTechnique = new Map<string, Detection>();
  for (const sighting of sightings) {
    for (const technique of sighting.techniques) {
      const entry = byTechnique.get(technique.id) ?? {
        techniqueId: technique.id,
        count: 0,
        firstSeen: sighting.time,
        lastSeen: sighting.time,
        sources: [],
      };
      entry.count += 1;
      entry.firstSeen = Math.min(entry.firstSeen, sighting.time);
      entry.lastSeen = Math.max(entry.lastSeen, sighting.time);
      if (!entry.sources.includes(sighting.source)) entry.sources.push(sighting.source);
      byTechnique.set(technique.id, entry);
    }
  }
  return [...byTechnique.values()].sort((a, b) => a.techniqueId.localeCompare(b.techniqueId));
}

async function findingSightings(client: WardenApiClient, since: number, until: number) {
  const sightings: Sighting[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const request = {
      startTime: Math.floor(since / 1000),
      endTime: Math.ceil(until / 1000),
      maxResults: 250,
      ...(nextToken === undefined ? {} : { nextToken }),
    };
    const body = await client.call('ListAuditFindings', 'POST', '/audit/findings', request);
    for (const finding of body.findings ?? []) {
      sightings.push({
        techniques: finding.techniques ?? [],
        time: finding.findingTime * 1000,
        source: `audit check ${finding.checkName}`,
      });
    }
    if (typeof body.nextToken !== 'string' || body.nextToken === nextToken) return sightings;
    nextToken = body.nextToken;
  }
  throw new Error(`ListAuditFindings returned more than ${MAX_PAGES} pages; stopped reading`);
}

async function violationSightings(client: WardenApiClient, since: number, until: number) {
  const query = {
    startTime: String(Math.floor(since / 1000)),
    endTime: String(Math.ceil(until / 1000)),
  };
  const events = await listAll<any>(
    client,
    'ListViolationEvents',
    '/violation-events',
    (page) => page.violationEvents ?? [],
    query,
  );
  return events
    .filter((event: { violationEventType: string }) => event.violationEventType === 'in-alarm')
    .map((event: any): Sighting => ({
      techniques: event.techniques ?? [],
      time: event.violationEventTime * 1000,
      source: `behavior ${event.securityProfileName}/${event.behavior?.name} (${event.behavior?.metric})`,
    }));
}
