/**
 * Merging fleet files into one desired fleet. Files may split the sections between them, or the
 * resources of one section. A resource defined twice, in one file or two, is a problem that
 * names both places.
 */

import { listFleetFiles, readFleetFiles, type FleetSource } from './fleet-files.ts';
import { emptySections, type DesiredFleet, type Located } from './fleet-model.ts';
import { SECTIONS, type SectionName } from './fleet-schema.ts';
import { KINDS } from './kinds/index.ts';
import type { FleetProblem } from './problems.ts';

/** Merges documents in the order given; the first definition of a resource is kept. */
export function mergeFleet(sources: readonly FleetSource[]): {
  desired: DesiredFleet;
  problems: FleetProblem[];
} {
  const desired: DesiredFleet = {
    managed: new Set<SectionName>(),
    resources: emptySections<Located<unknown>>() as DesiredFleet['resources'],
  };
  const problems: FleetProblem[] = [];
  for (const { file, document } of sources) {
    for (const section of SECTIONS) {
      const value = document[section];
      if (value === undefined) continue;
      desired.managed.add(section);
      const items: unknown[] = Array.isArray(value) ? value : [value];
      items.forEach((spec, index) => {
        const at = Array.isArray(value) ? `${section}[${index}]` : section;
        const problem = add(desired, section, { spec, file, path: at });
        if (problem !== undefined) problems.push(problem);
      });
    }
  }
  return { desired, problems };
}

function add(
  desired: DesiredFleet,
  section: SectionName,
  located: Located<unknown>,
): FleetProblem | undefined {
  const kind = KINDS[section];
  const key = kind.keyOf(located.spec);
  const resources = desired.resources[section] as Map<string, Located<unknown>>;
  const first = resources.get(key);
  if (first === undefined) {
    resources.set(key, located);
    return undefined;
  }
  const label = kind.labelOf?.(located.spec) ?? key;
  const what = section === 'auditConfiguration' ? `the ${kind.noun}` : `${kind.noun} "${label}"`;
  const place = first.file === located.file ? first.path : `${first.file} at ${first.path}`;
  return {
    code: 'duplicate',
    file: located.file,
    path: located.path,
    message: `${what} is defined twice; it is already defined in ${place}`,
  };
}

/**
 * Reads, checks and merges the fleet files that paths name. The desired fleet is returned only
 * when no file has a problem, so that nothing is applied from a partly valid setup.
 */
export async function loadFleet(
  paths: readonly string[],
): Promise<{ desired?: DesiredFleet; files: string[]; problems: FleetProblem[] }> {
  const listed = await listFleetFiles(paths);
  const read = await readFleetFiles(listed.files);
  const merged = mergeFleet(read.sources);
  const problems = [...listed.problems, ...read.problems, ...merged.problems];
  if (problems.length > 0) return { files: listed.files, problems };
  return { desired: merged.desired, files: listed.files, problems };
}
