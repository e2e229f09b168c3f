import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import { MITIGATION_ACTION_TYPES, type MitigationAction } from '../mitigation-types.ts';
import { actionParamsSchema } from './action-params.ts';
import type { MitigationActions } from './mitigation-actions.ts';
import { actionName } from './task-schemas.ts';

const roleArn = z.string().min(20).max(2048);
const createBody = z.strictObject({
  roleArn,
  actionParams: actionParamsSchema,
  tags: fields.tags,
});
const updateBody = z.strictObject({
  roleArn: roleArn.optional(),
  actionParams: actionParamsSchema.optional(),
});

/** Routes for the mitigation action definitions: create, update, describe, list, delete. */
export function mitigationActionRoutes(actions: MitigationActions): Route[] {
  const nameOf = (params: Record<string, string>) =>
    parseParam(actionName, 'actionName', params['actionName']);
  return [
    {
      operation: 'CreateMitigationAction',
      method: 'POST',
      path: '/mitigationactions/actions/{actionName}',
      handler: async ({ params, body }) => {
        const name = nameOf(params);
        const input = parseBody(createBody, body);
        const action = await actions.create({ actionName: name, ...input });
        return { body: { actionArn: actions.arnOf(name), actionId: action.actionId } };
      },
    },
    {
      operation: 'UpdateMitigationAction',
      method: 'PATCH',
      path: '/mitigationactions/actions/{actionName}',
      handler: async ({ params, body }) => {
        const name = nameOf(params);
        const action = await actions.update(name, parseBody(updateBody, body));
        return { body: { actionArn: actions.arnOf(name), actionId: action.actionId } };
      },
    },
    {
      operation: 'DescribeMitigationAction',
      method: 'GET',
      path: '/mitigationactions/actions/{actionName}',
      handler: async ({ params }) => {
        const action = await actions.require(nameOf(params));
        return { body: describeAction(action, actions.arnOf(action.actionName)) };
      },
    },
    {
      operation: 'ListMitigationActions',
      method: 'GET',
      path: '/mitigationactions/actions',
      handler: async ({ query }) => {
        const q = new Query(query);
        const type = q.oneOf('actionType', MITIGATION_ACTION_TYPES);
        const page = paginate(
          await actions.list(type),
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        return {
          body: {
            actionIdentifiers: page.items.map((action) => ({
              actionName: action.actionName,
              actionArn: actions.arnOf(action.actionName),
              creationDate: toEpochSeconds(action.createdAt),
            })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'DeleteMitigationAction',
      method: 'DELETE',
      path: '/mitigationactions/actions/{actionName}',
      handler: async ({ params }) => {
        await actions.delete(nameOf(params));
      },
    },
  ];
}

/** Builds the DescribeMitigationAction body; Warden's own types show their own `actionType`. */
function describeAction(action: MitigationAction, actionArn: string) {
  return {
    actionName: action.actionName,
    actionType: action.actionType,
    actionArn,
    actionId: action.actionId,
    roleArn: action.roleArn,
    actionParams: action.actionParams,
    creationDate: toEpochSeconds(action.createdAt),
    lastModifiedDate: toEpochSeconds(action.lastModifiedAt),
  };
}

/** Shows a task's copy of an action in the `MitigationAction` shape of `actionsDefinition`. */
export function actionDefinition(action: MitigationAction) {
  return {
    name: action.actionName,
    id: action.actionId,
    roleArn: action.roleArn,
    actionParams: action.actionParams,
  };
}
