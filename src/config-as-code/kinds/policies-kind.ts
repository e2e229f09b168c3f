/**
 * IoT policies, compared by their default version's document as parsed JSON. A changed document
 * becomes a new default version. A policy keeps at most five versions, so the oldest version
 * that is not the default is deleted first when five exist.
 */

import { segment, type FleetApi } from '../fleet-api.ts';
import type { PolicySpec } from '../fleet-schema.ts';
import { simpleSteps, STEP_ORDER, type ResourceKind } from '../resource-kind.ts';

/** Versions a policy may have, as in AWS IoT. */
const MAX_POLICY_VERSIONS = 5;

interface PolicyVersion {
  versionId: string;
  isDefaultVersion: boolean;
  createDate: number;
}

export const policiesKind: ResourceKind<PolicySpec> = {
  section: 'policies',
  noun: 'policy',
  title: 'Policies',
  keyOf: (spec) => spec.name,

  async read(api) {
    const policies = await api.list({
      operation: 'ListPolicies',
      path: '/policies',
      items: 'policies',
      tokenParam: 'marker',
      tokenMember: 'nextMarker',
      sizeParam: 'pageSize',
    });
    const specs: PolicySpec[] = [];
    for (const policy of policies) {
      const got = await api.read('GetPolicy', `/policies/${segment(policy.policyName)}`);
      specs.push({ name: got.policyName, document: parseDocument(got.policyDocument) });
    }
    return specs;
  },

  canonical: (spec) => ({ name: spec.name, document: spec.document }),

  steps(change) {
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putPolicy,
      deleteOrder: STEP_ORDER.deletePolicy,
      create: (api, spec) =>
        api.write('CreatePolicy', 'POST', `/policies/${segment(spec.name)}`, {
          policyDocument: JSON.stringify(spec.document),
        }),
      update: async (api, spec) => {
        const versions = await listVersions(api, spec.name);
        if (versions.length >= MAX_POLICY_VERSIONS) {
          const oldest = versions
            .filter((version) => !version.isDefaultVersion)
            .sort(
              (a, b) => a.createDate - b.createDate || Number(a.versionId) - Number(b.versionId),
            )[0];
          if (oldest !== undefined) await deleteVersion(api, spec.name, oldest.versionId);
        }
        await api.write(
          'CreatePolicyVersion',
          'POST',
          `/policies/${segment(spec.name)}/version?setAsDefault=true`,
          { policyDocument: JSON.stringify(spec.document) },
        );
      },
      remove: async (api, current) => {
        // DeletePolicy refuses a policy that still has versions besides the default one.
        for (const version of await listVersions(api, current.name)) {
          if (!version.isDefaultVersion) await deleteVersion(api, current.name, version.versionId);
        }
        await api.write('DeletePolicy', 'DELETE', `/policies/${segment(current.name)}`);
      },
    });
  },
};

async function listVersions(api: FleetApi, name: string): Promise<PolicyVersion[]> {
  const body = await api.read('ListPolicyVersions', `/policies/${segment(name)}/version`);
  return (body.policyVersions ?? []) as PolicyVersion[];
}

async function deleteVersion(api: FleetApi, name: string, versionId: string): Promise<void> {
  await api.write(
    'DeletePolicyVersion',
    'DELETE',
    `/policies/${segment(name)}/version/${segment(versionId)}`,
  );
}

/** Parses a stored document; Warden accepts only JSON objects, so anything else is kept as text. */
function parseDocument(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: returned below as text, so the plan shows it instead of hiding it.
  }
  return { unparsedDocument: text };
}
