/**
 * `warden export`: Warden's current setup as one fleet file, in the canonical form the plan
 * compares, so applying the exported file plans no change. Server-generated members (ARNs,
 * ids, dates, versions) are not part of the format, and webhook secrets are replaced by the
 * name of the environment variable `warden apply` reads them from.
 */

import { parse, stringify } from 'yaml';
import type { CustomMetricType } from '../detect/metric-value.ts';
import type { CurrentFleet } from './fleet-model.ts';
import { API_VERSION, FLEET_KIND, SECTIONS, type FleetDocument } from './fleet-schema.ts';
import { compareText, sameJson } from './json-diff.ts';
import { KINDS } from './kinds/index.ts';
import type { CanonicalContext } from './resource-kind.ts';

export type ExportFormat = 'yaml' | 'json';

/** Builds the fleet document of every resource read, sorted by key within each section. */
export function exportDocument(current: CurrentFleet): FleetDocument {
  const context: CanonicalContext = {
    customMetricType: (name) =>
      current.facts.customMetricTypes?.get(name) as CustomMetricType | undefined,
  };
  const document: Record<string, unknown> = { apiVersion: API_VERSION, kind: FLEET_KIND };
  for (const section of SECTIONS) {
    const kind = KINDS[section];
    const entries = [...current.resources[section].entries()].sort(([a], [b]) => compareText(a, b));
    const specs = entries.map(([, spec]) => kind.canonical(spec, context));
    if (specs.length === 0) continue;
    document[section] = section === 'auditConfiguration' ? specs[0] : specs;
  }
  return document as FleetDocument;
}

/** Lists the environment variables the document's webhooks take their secrets from. */
export function secretVariables(document: FleetDocument): string[] {
  return (document.alertTargets ?? []).flatMap((target) =>
    target.type === 'webhook' && target.secretEnv !== undefined ? [target.secretEnv] : [],
  );
}

/** Renders the document; YAML starts with comments saying where it came from. */
export function renderFleet(document: FleetDocument, format: ExportFormat, source: string): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  const header = [`# Warden fleet security configuration, exported from ${source}.`];
  const variables = secretVariables(document);
  if (variables.length > 0) {
    header.push(
      '# Webhook secrets are not exported. Before applying a change to one of these webhooks,',
      `# set its secret in ${variables.join(', ')}.`,
    );
  }
  return `${header.join('\n')}\n${yamlText(document)}`;
}

/**
 * Renders YAML that reads back as the same document. YAML 1.1 rules quote strings that 1.1
 * readers would take for dates or booleans, such as "2012-10-17" and "yes". When that output
 * would read back differently under YAML 1.2, as a string such as "0o17" does, 1.2 rules are
 * used instead. A line width of 0 keeps long strings such as ARNs on one line.
 */
function yamlText(document: FleetDocument): string {
  const cautious = stringify(document, { lineWidth: 0, version: '1.1' });
  if (sameJson(parse(cautious), document)) return cautious;
  return stringify(document, { lineWidth: 0 });
}
