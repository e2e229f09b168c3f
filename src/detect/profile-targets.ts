import type { RegistryState } from '../registry/registry.ts';
import { groupsOfThing } from '../registry/thing-groups.ts';
import type { SecurityProfile } from './detect-records.ts';
import type { DetectState } from './detect-state.ts';

/** The account-wide target ARNs of Device Defender, by what they cover. */
export function accountTargets(registry: RegistryState) {
  const base = `arn:aws:iot:${registry.arns.region}:${registry.arns.accountId}:all`;
  return {
    all: `${base}/things`,
    registered: `${base}/registered-things`,
    unregistered: `${base}/unregistered-things`,
  };
}

/**
 * The profiles that evaluate a thing: those on the account-wide targets that cover it and those
 * on any thing group it belongs to, directly or through a parent group. A thing that is not in
 * the registry is "unregistered" and is covered only by the account-wide targets.
 */
export function profilesForThing(
  detect: DetectState,
  registry: RegistryState,
  thingName: string,
): SecurityProfile[] {
  const targets = accountTargets(registry);
  const registered = registry.get('thing', thingName) !== undefined;
  const arns = [targets.all, registered ? targets.registered : targets.unregistered];
  if (registered) {
    for (const group of groupsOfThing(registry, thingName))
      arns.push(registry.arns.thingGroup(group));
  }

  const names = new Set<string>();
  for (const arn of arns) {
    for (const name of detect.profilesOfTarget.get(arn) ?? []) names.add(name);
  }
  const profiles: SecurityProfile[] = [];
  for (const name of names) {
    const profile = detect.profiles.get(name);
    if (profile) profiles.push(profile);
  }
  return profiles;
}

/** Checks whether a target ARN still covers a thing, to invalidate alarms after a detach. */
export function profileCoversThing(
  detect: DetectState,
  registry: RegistryState,
  profileName: string,
  thingName: string,
): boolean {
  return profilesForThing(detect, registry, thingName).some(
    (profile) => profile.securityProfileName === profileName,
  );
}
