import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { RegistryState } from './registry.ts';
import type { Thing } from './types.ts';

export interface CreateThingInput {
  thingName: string;
  thingTypeName?: string | undefined;
  attributes?: Record<string, string> | undefined;
}

/**
 * Creates a thing. Creating one that exists with the same type and attributes succeeds and returns
 * it, as AWS IoT does; with different ones it fails with ResourceAlreadyExistsException.
 */
export async function createThing(
  registry: RegistryState,
  input: CreateThingInput,
): Promise<Thing> {
  const attributes = input.attributes ?? {};
  const existing = registry.get('thing', input.thingName);
  if (existing) {
    const same =
      existing.thingTypeName === input.thingTypeName &&
      JSON.stringify(sortKeys(existing.attributes)) === JSON.stringify(sortKeys(attributes));
    if (same) return existing;
    throw alreadyExists(
      `Thing "${input.thingName}" already exists with different attributes`,
      existing.thingId,
      registry.arns.thing(input.thingName),
    );
  }

  const thing: Thing = {
    thingName: input.thingName,
    thingId: randomUUID(),
    attributes,
    version: 1,
    createdAt: registry.clock.now(),
  };
  if (input.thingTypeName !== undefined) thing.thingTypeName = input.thingTypeName;
  await registry.commit([{ type: 'put', kind: 'thing', key: thing.thingName, record: thing }]);
  registry.emit('thing-changed', thing.thingName);
  return thing;
}

/** @throws WardenError ResourceNotFoundException when the thing does not exist. */
export function requireThing(registry: RegistryState, thingName: string): Thing {
  const thing = registry.get('thing', thingName);
  if (!thing) throw notFound(`Thing "${thingName}" does not exist`);
  return thing;
}

/**
 * Deletes a thing and its group memberships. AWS IoT refuses while principals are attached, so
 * does Warden; a missing thing is a success, as in AWS.
 */
export async function deleteThing(
  registry: RegistryState,
  thingName: string,
  expectedVersion?: number,
): Promise<void> {
  const thing = registry.get('thing', thingName);
  if (!thing) return;
  if (expectedVersion !== undefined && expectedVersion !== thing.version) {
    throw new WardenError(
      'VersionConflictException',
      `Thing "${thingName}" is at version ${thing.version}, not the expected ${expectedVersion}`,
    );
  }
  const principals = registry.linkedFrom('thing-principal', thingName);
  if (principals.length > 0) {
    throw invalidRequest(
      `Cannot delete thing "${thingName}": ${principals.length} principal(s) are still attached; detach them first`,
    );
  }

  const memberships = registry.linkedTo('thing-group-member', thingName);
  await registry.commit([
    ...memberships.map((group) => ({
      type: 'unlink' as const,
      link: { kind: 'thing-group-member' as const, from: group, to: thingName },
    })),
    { type: 'delete', kind: 'thing', key: thingName },
  ]);
  registry.emit('thing-changed', thingName);
}

export interface ThingFilter {
  attributeName?: string | undefined;
  attributeValue?: string | undefined;
  usePrefixAttributeValue?: boolean | undefined;
  thingTypeName?: string | undefined;
}

/** Lists things sorted by name, filtered as ListThings filters them. */
export function listThings(registry: RegistryState, filter: ThingFilter): Thing[] {
  return registry
    .all('thing')
    .filter((thing) => matchesFilter(thing, filter))
    .sort((a, b) => a.thingName.localeCompare(b.thingName));
}

function matchesFilter(thing: Thing, filter: ThingFilter): boolean {
  if (filter.thingTypeName !== undefined && thing.thingTypeName !== filter.thingTypeName)
    return false;
  if (filter.attributeName === undefined) return true;
  const value = thing.attributes[filter.attributeName];
  if (value === undefined) return false;
  if (filter.attributeValue === undefined) return true;
  return filter.usePrefixAttributeValue
    ? value.startsWith(filter.attributeValue)
    : value === filter.attributeValue;
}

function sortKeys(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
