import { invalidRequest } from '../../core/errors.ts';
import {
  addThingToThingGroup,
  MAX_GROUPS_PER_THING,
  removeThingFromThingGroup,
  requireThingGroup,
} from '../../registry/thing-groups.ts';
import { requireThing } from '../../registry/things.ts';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import {
  PartialApplyError,
  paramsOf,
  requireTargets,
  type ActionExecutor,
  type ExecutorContext,
} from './executor.ts';

/** One thing's membership in one group. */
export interface Membership {
  thingGroupName: string;
  thingName: string;
}

/** `before`: the groups each target thing was directly in. */
export interface GroupsBefore {
  groupsOfThing: Record<string, string[]>;
}

/** `after`: the memberships this execution added, the only ones its rollback removes. */
export interface MembershipsAdded {
  added: Membership[];
}

const NO_DYNAMIC_GROUPS =
  'overrideDynamicGroups has no effect because Warden has no dynamic thing groups';

/**
 * ADD_THINGS_TO_THING_GROUP, the quarantine: every target thing joins every listed group, so
 * the groups' policies apply to its sessions at once. The broker rebinds each session's
 * authorizer and removes the subscriptions the new policies deny. All groups and things are
 * checked first, with the limit of 10 groups per thing, so a refused action changes nothing.
 */
export const addThingsToThingGroupExecutor: ActionExecutor = {
  actionType: 'ADD_THINGS_TO_THING_GROUP',

  plan(action, target, context) {
    const { before, missing, note } = prepare(action, target, context);
    return { before, message: `Would add ${describe(missing)}${note}` };
  },

  async apply(action, target, context) {
    const { before, missing, note } = prepare(action, target, context);
    const after: MembershipsAdded = { added: [] };
    for (const membership of missing) {
      try {
        await addThingToThingGroup(
          context.registry,
          membership.thingGroupName,
          membership.thingName,
        );
      } catch (error) {
        throw new PartialApplyError(error, before, after);
      }
      after.added.push(membership);
    }
    const message =
      missing.length === 0
        ? `Every target thing was already in every listed group${note}`
        : `Added ${describe(missing)}${note}`;
    return { before, after, message };
  },

  async rollback(execution, context) {
    const after = execution.after as MembershipsAdded;
    const removed: Membership[] = [];
    const skipped: Membership[] = [];
    for (const membership of after.added) {
      const { thingGroupName, thingName } = membership;
      const registry = context.registry;
      if (!registry.get('thingGroup', thingGroupName) || !registry.get('thing', thingName)) {
        skipped.push(membership);
        continue;
      }
      if (registry.hasLink('thing-group-member', thingGroupName, thingName))
        await removeThingFromThingGroup(registry, thingGroupName, thingName);
      removed.push(membership);
    }
    const skippedText =
      skipped.length > 0
        ? `; skipped ${describe(skipped, 'in')}: the thing or the group was deleted`
        : '';
    return `Removed ${describe(removed, 'from')}${skippedText}`;
  },
};

function prepare(action: MitigationAction, target: MitigationTarget, context: ExecutorContext) {
  const params = paramsOf(action, 'addThingsToThingGroupParams');
  const groups = requireTargets(action, params.thingGroupNames, 'thing groups in its parameters');
  const things = requireTargets(action, target.thingNames, 'things');
  const registry = context.registry;
  for (const group of groups) requireThingGroup(registry, group);
  for (const thing of things) requireThing(registry, thing);

  const before: GroupsBefore = { groupsOfThing: {} };
  const missing: Membership[] = [];
  for (const thingName of things) {
    const current = registry.linkedTo('thing-group-member', thingName).sort();
    before.groupsOfThing[thingName] = current;
    const joining = groups.filter((group) => !current.includes(group));
    checkGroupLimit(thingName, current, joining);
    missing.push(...joining.map((thingGroupName) => ({ thingGroupName, thingName })));
  }
  const note = params.overrideDynamicGroups === undefined ? '' : `; ${NO_DYNAMIC_GROUPS}`;
  return { before, missing, note };
}

function checkGroupLimit(thingName: string, current: string[], joining: string[]): void {
  if (current.length + joining.length <= MAX_GROUPS_PER_THING) return;
  throw invalidRequest(
    `Cannot add thing "${thingName}" to thing groups ${joining.map((g) => `"${g}"`).join(', ')}: it is in ${current.length} groups and can be in at most ${MAX_GROUPS_PER_THING}`,
  );
}

function describe(memberships: Membership[], preposition: 'to' | 'from' | 'in' = 'to'): string {
  const listed = memberships.map(
    (m) => `thing "${m.thingName}" ${preposition} thing group "${m.thingGroupName}"`,
  );
  return listed.length === 0 ? 'no memberships' : listed.join(', ');
}
