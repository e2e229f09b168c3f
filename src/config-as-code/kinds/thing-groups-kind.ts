/**
 * Static thing groups. Parents are created before their children and deleted after them. The
 * parent of a group cannot change, as in AWS IoT, where UpdateThingGroup has no parent member.
 * A changed description or attribute is sent with UpdateThingGroup.
 */

import { segment } from '../fleet-api.ts';
import type { ThingGroupSpec } from '../fleet-schema.ts';
import {
  simpleSteps,
  STEP_ORDER,
  type PlanContext,
  type ResourceChange,
  type ResourceKind,
} from '../resource-kind.ts';

export const thingGroupsKind: ResourceKind<ThingGroupSpec> = {
  section: 'thingGroups',
  noun: 'thing group',
  title: 'Thing groups',
  keyOf: (spec) => spec.name,

  async read(api, facts) {
    const groups = await api.list({
      operation: 'ListThingGroups',
      path: '/thing-groups',
      items: 'thingGroups',
    });
    facts.thingGroupNames = new Set(groups.map((group) => group.groupName as string));
    const specs: ThingGroupSpec[] = [];
    for (const group of groups) {
      const described = await api.read(
        'DescribeThingGroup',
        `/thing-groups/${segment(group.groupName)}`,
      );
      const spec: ThingGroupSpec = { name: described.thingGroupName };
      const properties = described.thingGroupProperties ?? {};
      if (properties.thingGroupDescription !== undefined)
        spec.description = properties.thingGroupDescription;
      if (properties.attributePayload?.attributes !== undefined)
        spec.attributes = properties.attributePayload.attributes;
      const parent = described.thingGroupMetadata?.parentGroupName;
      if (parent !== undefined) spec.parent = parent;
      specs.push(spec);
    }
    return specs;
  },

  canonical(spec) {
    const canonical: ThingGroupSpec = { name: spec.name };
    if (spec.description !== undefined && spec.description !== '')
      canonical.description = spec.description;
    if (spec.attributes !== undefined && Object.keys(spec.attributes).length > 0)
      canonical.attributes = spec.attributes;
    if (spec.parent !== undefined) canonical.parent = spec.parent;
    return canonical;
  },

  check(change) {
    const { desired, current } = change;
    if (change.action !== 'change' || desired === undefined || current === undefined) return [];
    if (desired.spec.parent === current.parent) return [];
    const from = current.parent === undefined ? 'no parent' : `"${current.parent}"`;
    return [
      {
        code: 'immutable',
        file: desired.file,
        path: `${desired.path}.parent`,
        message: `cannot change the parent of thing group "${desired.spec.name}" from ${from}; delete the group and create it again, or keep its parent`,
      },
    ];
  },

  steps(change, context) {
    const depth = depthOf(change, context);
    return simpleSteps(change, {
      // Parents first when creating, children first when deleting.
      putOrder: STEP_ORDER.putThingGroup + depth / 1000,
      deleteOrder: STEP_ORDER.deleteThingGroup - depth / 1000,
      create: (api, spec) =>
        api.write('CreateThingGroup', 'POST', `/thing-groups/${segment(spec.name)}`, {
          ...(spec.parent === undefined ? {} : { parentGroupName: spec.parent }),
          thingGroupProperties: {
            ...(spec.description === undefined ? {} : { thingGroupDescription: spec.description }),
            attributePayload: { attributes: spec.attributes ?? {} },
          },
        }),
      update: (api, spec) =>
        api.write('UpdateThingGroup', 'PATCH', `/thing-groups/${segment(spec.name)}`, {
          thingGroupProperties: properties(spec),
        }),
      remove: (api, current) =>
        api.write('DeleteThingGroup', 'DELETE', `/thing-groups/${segment(current.name)}`),
    });
  },
};

function properties(spec: ThingGroupSpec): object {
  return {
    thingGroupDescription: spec.description ?? '',
    attributePayload: { attributes: spec.attributes ?? {}, merge: false },
  };
}

/** Counts the ancestors of a group, through the desired parents and then the current ones. */
function depthOf(change: ResourceChange<ThingGroupSpec>, context: PlanContext): number {
  const parentOf = (name: string) =>
    context.desired.resources.thingGroups.get(name)?.spec.parent ??
    context.current.resources.thingGroups.get(name)?.parent;
  let depth = 0;
  const seen = new Set<string>();
  for (let name = parentOf(change.key); name !== undefined; name = parentOf(name)) {
    if (seen.has(name)) break;
    seen.add(name);
    depth += 1;
  }
  return depth;
}
