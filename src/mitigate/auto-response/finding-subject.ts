import { resourceKey, type StoredFinding } from '../../audit/audit-records.ts';
import type { ResourceIdentifier } from '../../audit/audit-types.ts';
import type { GuardSubject } from './hourly-guard.ts';

/**
 * Returns the resource a finding names, as the guard counts it. Findings of the same resource (for
 * example one certificate with two reason codes) count as one thing.
 */
export function findingSubject(finding: StoredFinding): GuardSubject {
  const resource = finding.nonCompliantResource;
  return {
    key: `${resource.resourceType}:${resourceKey(resource.resourceIdentifier)}`,
    label: `${resource.resourceType} ${identifierLabel(resource.resourceIdentifier)}`,
  };
}

/** Joins the identifier's values in member order, with nested members joined by "/". */
function identifierLabel(identifier: ResourceIdentifier): string {
  const parts = Object.values(identifier)
    .filter((value) => value !== undefined)
    .map((value) =>
      typeof value === 'object' && value !== null
        ? Object.values(value as Record<string, unknown>)
            .filter((member) => member !== undefined)
            .join('/')
        : String(value),
    );
  return parts.join(' ');
}
