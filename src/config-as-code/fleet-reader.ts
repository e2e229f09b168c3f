/**
 * Reading Warden's current state for a plan or an export, through the Describe and List
 * operations. Besides the sections a file manages, the reader collects what validation needs:
 * the custom metrics, dimensions and thing groups that security profiles name, and the audit
 * checks that scheduled audits and suppressions name.
 */

import type { FleetApi } from './fleet-api.ts';
import { emptySections, type CurrentFleet } from './fleet-model.ts';
import { SECTIONS, type SectionName } from './fleet-schema.ts';
import { KINDS } from './kinds/index.ts';

/** Sections read in full because validating another section needs them. */
const SUPPORTING: Partial<Record<SectionName, SectionName[]>> = {
  securityProfiles: ['customMetrics', 'dimensions'],
  scheduledAudits: ['auditConfiguration'],
  auditSuppressions: ['auditConfiguration'],
};

/** Reads the given sections, and the ones their validation needs, in section order. */
export async function readCurrentFleet(
  api: FleetApi,
  sections: ReadonlySet<SectionName>,
): Promise<CurrentFleet> {
  const wanted = new Set(sections);
  for (const section of sections) for (const extra of SUPPORTING[section] ?? []) wanted.add(extra);

  const current: CurrentFleet = {
    read: new Set(),
    resources: emptySections<unknown>() as CurrentFleet['resources'],
    facts: {},
  };
  for (const section of SECTIONS) {
    if (!wanted.has(section)) continue;
    const kind = KINDS[section];
    const resources = current.resources[section] as Map<string, unknown>;
    for (const spec of await kind.read(api, current.facts)) resources.set(kind.keyOf(spec), spec);
    current.read.add(section);
  }

  if (wanted.has('securityProfiles') && !wanted.has('thingGroups')) {
    const groups = await api.list({
      operation: 'ListThingGroups',
      path: '/thing-groups',
      items: 'thingGroups',
    });
    current.facts.thingGroupNames = new Set(groups.map((group) => group.groupName as string));
  }
  return current;
}

/** Reads every section, for `warden export`. */
export function readWholeFleet(api: FleetApi): Promise<CurrentFleet> {
  return readCurrentFleet(api, new Set(SECTIONS));
}
