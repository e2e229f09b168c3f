import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { RegistryState } from './registry.ts';
import { requireThing } from './things.ts';
import type { ThingGroup } from './types.ts';

/** AWS IoT allows a thing in at most 10 thing groups of one hierarchy; Warden applies 10 in all. */
export const MAX_GROUPS_PER_THING = 10;

export interface CreateThingGroupInput {
  thingGroupName: string;
  parentGroupName?: string | undefined;
  description?: string | undefined;
  attributes?: Record<string, string> | undefined;
}

/** Creates a static thing group, under a parent when one is named. */
export async function createThingGroup(
  registry: RegistryState,
  input: CreateThingGroupInput,
): Promise<ThingGroup> {
  const existing = registry.get('thingGroup', input.thingGroupName);
  if (existing) {
    if (existing.parentGroupName === input.parentGroupName) return existing;
    throw alreadyExists(
      `Thing group "${input.thingGroupName}" already exists with a different parent`,
      existing.thingGroupId,
      registry.arns.thingGroup(input.thingGroupName),
    );
  }
  // The service model lists no ResourceNotFoundException for CreateThingGroup, so a missing
  // parent is an invalid request.
  if (input.parentGroupName !== undefined && !registry.get('thingGroup', input.parentGroupName)) {
    throw invalidRequest(`Parent thing group "${input.parentGroupName}" does not exist`);
  }

  const group: ThingGroup = {
    thingGroupName: input.thingGroupName,
    thingGroupId: randomUUID(),
    attributes: input.attributes ?? {},
    version: 1,
    createdAt: registry.clock.now(),
  };
  if (input.parentGroupName !== undefined) group.parentGroupName = input.parentGroupName;
  if (input.description !== undefined) group.description = input.description;
  await registry.commit([
    { type: 'put', kind: 'thingGroup', key: group.thingGroupName, record: group },
  ]);
  return group;
}

/** @throws WardenError ResourceNotFoundException when the group does not exist. */
export function requireThingGroup(registry: RegistryState, name: string): ThingGroup {
  const group = registry.get('thingGroup', name);
  if (!group) throw notFound(`Thing group "${name}" does not exist`);
  return group;
}

export interface UpdateThingGroupInput {
  /** A new description; an empty string removes it. */
  description?: string | undefined;
  /** New attributes: they replace the current ones, or with `merge` are merged into them. */
  attributes?: Record<string, string> | undefined;
  /** With merge, an attribute whose value is empty is removed, as in AWS IoT. */
  merge?: boolean | undefined;
  expectedVersion?: number | undefined;
}

/**
 * Changes a group's description and attributes and returns its new version.
 * @throws WardenError ResourceNotFoundException for a missing group, VersionConflictException
 *   when `expectedVersion` is not the current version.
 */
export async function updateThingGroup(
  registry: RegistryState,
  name: string,
  input: UpdateThingGroupInput,
): Promise<number> {
  const group = requireThingGroup(registry, name);
  const { expectedVersion } = input;
  if (expectedVersion !== undefined && expectedVersion !== group.version) {
    throw new WardenError(
      'VersionConflictException',
      `Thing group "${name}" is at version ${group.version}, not the expected ${expectedVersion}`,
    );
  }

  const updated: ThingGroup = { ...group, version: group.version + 1 };
  if (input.description !== undefined) {
    if (input.description === '') delete updated.description;
    else updated.description = input.description;
  }
  if (input.attributes !== undefined) {
    updated.attributes = input.merge === true ? { ...group.attributes } : {};
    for (const [key, value] of Object.entries(input.attributes)) {
      if (input.merge === true && value === '') delete updated.attributes[key];
      else updated.attributes[key] = value;
    }
  }
  await registry.commit([{ type: 'put', kind: 'thingGroup', key: name, record: updated }]);
  return updated.version;
}

/** Deletes a group that has no child groups; its memberships and policy attachments go with it. */
export async function deleteThingGroup(
  registry: RegistryState,
  name: string,
  expectedVersion?: number,
): Promise<void> {
  const group = registry.get('thingGroup', name);
  if (!group) return;
  if (expectedVersion !== undefined && expectedVersion !== group.version) {
    throw new WardenError(
      'VersionConflictException',
      `Thing group "${name}" is at version ${group.version}, not the expected ${expectedVersion}`,
    );
  }
  const children = childGroups(registry, name);
  if (children.length > 0) {
    throw invalidRequest(
      `Cannot delete thing group "${name}": it has child groups (${children.map((child) => child.thingGroupName).join(', ')})`,
    );
  }

  const arn = registry.arns.thingGroup(name);
  await registry.commit([
    ...registry.linkedFrom('thing-group-member', name).map((thing) => ({
      type: 'unlink' as const,
      link: { kind: 'thing-group-member' as const, from: name, to: thing },
    })),
    ...registry.linkedTo('policy-target', arn).map((policy) => ({
      type: 'unlink' as const,
      link: { kind: 'policy-target' as const, from: policy, to: arn },
    })),
    { type: 'delete', kind: 'thingGroup', key: name },
  ]);
  registry.emit('attachments-changed');
}

/** Adds a thing to a group; adding it again is a success. */
export async function addThingToThingGroup(
  registry: RegistryState,
  groupName: string,
  thingName: string,
): Promise<void> {
  requireThingGroup(registry, groupName);
  requireThing(registry, thingName);
  if (registry.hasLink('thing-group-member', groupName, thingName)) return;
  const groups = registry.linkedTo('thing-group-member', thingName);
  if (groups.length >= MAX_GROUPS_PER_THING) {
    throw invalidRequest(
      `Cannot add thing "${thingName}" to thing group "${groupName}": it is already in ${MAX_GROUPS_PER_THING} groups, the maximum`,
    );
  }
  await registry.commit([
    { type: 'link', link: { kind: 'thing-group-member', from: groupName, to: thingName } },
  ]);
  registry.emit('thing-changed', thingName);
}

export async function removeThingFromThingGroup(
  registry: RegistryState,
  groupName: string,
  thingName: string,
): Promise<void> {
  requireThingGroup(registry, groupName);
  requireThing(registry, thingName);
  await registry.commit([
    { type: 'unlink', link: { kind: 'thing-group-member', from: groupName, to: thingName } },
  ]);
  registry.emit('thing-changed', thingName);
}

export function childGroups(registry: RegistryState, name: string): ThingGroup[] {
  return registry.all('thingGroup').filter((group) => group.parentGroupName === name);
}

/** The group and every group below it, parents before children. */
export function groupAndDescendants(registry: RegistryState, name: string): string[] {
  const result = [name];
  for (let index = 0; index < result.length; index++) {
    for (const child of childGroups(registry, result[index] ?? ''))
      result.push(child.thingGroupName);
  }
  return result;
}

/** The groups a thing belongs to, directly or through a parent of one of its groups. */
export function groupsOfThing(registry: RegistryState, thingName: string): string[] {
  const seen = new Set<string>();
  for (const direct of registry.linkedTo('thing-group-member', thingName)) {
    let current: string | undefined = direct;
    while (current !== undefined && !seen.has(current)) {
      seen.add(current);
      current = registry.get('thingGroup', current)?.parentGroupName;
    }
  }
  return [...seen];
}

/** Things in a group, and with `recursive` in its descendants too, sorted by name. */
export function thingsInGroup(registry: RegistryState, name: string, recursive: boolean): string[] {
  requireThingGroup(registry, name);
  const groups = recursive ? groupAndDescendants(registry, name) : [name];
  const things = new Set(
    groups.flatMap((group) => registry.linkedFrom('thing-group-member', group)),
  );
  return [...things].sort();
}

/** From the root down to the group's parent, as DescribeThingGroup's rootToParentThingGroups. */
export function ancestors(registry: RegistryState, name: string): string[] {
  const chain: string[] = [];
  let current = registry.get('thingGroup', name)?.parentGroupName;
  while (current !== undefined && !chain.includes(current)) {
    chain.unshift(current);
    current = registry.get('thingGroup', current)?.parentGroupName;
  }
  return chain;
}
