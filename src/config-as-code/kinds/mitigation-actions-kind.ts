/**
 * Mitigation action definitions, compared by role and parameters. The action type follows from
 * the one member `actionParams` sets, so the file does not repeat it.
 */

import { segment } from '../fleet-api.ts';
import type { MitigationActionSpec } from '../fleet-schema.ts';
import { withoutUndefined } from '../json-diff.ts';
import { simpleSteps, STEP_ORDER, type ResourceKind } from '../resource-kind.ts';

export const mitigationActionsKind: ResourceKind<MitigationActionSpec> = {
  section: 'mitigationActions',
  noun: 'mitigation action',
  title: 'Mitigation actions',
  keyOf: (spec) => spec.name,

  async read(api) {
    const identifiers = await api.list({
      operation: 'ListMitigationActions',
      path: '/mitigationactions/actions',
      items: 'actionIdentifiers',
    });
    const specs: MitigationActionSpec[] = [];
    for (const identifier of identifiers) {
      const action = await api.read(
        'DescribeMitigationAction',
        `/mitigationactions/actions/${segment(identifier.actionName)}`,
      );
      specs.push({
        name: action.actionName,
        roleArn: action.roleArn,
        actionParams: action.actionParams,
      });
    }
    return specs;
  },

  canonical: (spec) =>
    withoutUndefined({ name: spec.name, roleArn: spec.roleArn, actionParams: spec.actionParams }),

  steps(change) {
    const path = (name: string) => `/mitigationactions/actions/${segment(name)}`;
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putMitigationAction,
      deleteOrder: STEP_ORDER.deleteMitigationAction,
      create: (api, spec) =>
        api.write('CreateMitigationAction', 'POST', path(spec.name), {
          roleArn: spec.roleArn,
          actionParams: spec.actionParams,
        }),
      update: (api, spec) =>
        api.write('UpdateMitigationAction', 'PATCH', path(spec.name), {
          roleArn: spec.roleArn,
          actionParams: spec.actionParams,
        }),
      remove: (api, current) => api.write('DeleteMitigationAction', 'DELETE', path(current.name)),
    });
  },
};
