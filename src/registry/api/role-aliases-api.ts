import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import { iamFields } from '../iam/iam-fields.ts';
import { createRoleAliasBody, updateRoleAliasBody } from '../iam/iam-schemas.ts';
import {
  createRoleAlias,
  deleteRoleAlias,
  listRoleAliases,
  requireRoleAlias,
  updateRoleAlias,
} from '../iam/role-aliases.ts';
import type { RegistryState } from '../registry.ts';
import type { RoleAlias } from '../types.ts';

/** Routes for CreateRoleAlias, DescribeRoleAlias, ListRoleAliases, UpdateRoleAlias and DeleteRoleAlias. */
export function roleAliasRoutes(registry: RegistryState): Route[] {
  const aliasParam = (params: Record<string, string>) =>
    parseParam(iamFields.roleAlias, 'roleAlias', params['roleAlias']);
  const named = (record: RoleAlias) => ({
    body: { roleAlias: record.roleAlias, roleAliasArn: record.roleAliasArn },
  });
  return [
    {
      operation: 'CreateRoleAlias',
      method: 'POST',
      path: '/role-aliases/{roleAlias}',
      handler: async ({ params, body }) => {
        const roleAlias = aliasParam(params);
        const input = parseBody(createRoleAliasBody, body);
        return named(await createRoleAlias(registry, { roleAlias, ...input }));
      },
    },
    {
      operation: 'DescribeRoleAlias',
      method: 'GET',
      path: '/role-aliases/{roleAlias}',
      handler: ({ params }) => {
        const record = requireRoleAlias(registry, aliasParam(params));
        return { body: { roleAliasDescription: describeRoleAlias(registry, record) } };
      },
    },
    {
      operation: 'ListRoleAliases',
      method: 'GET',
      path: '/role-aliases',
      handler: ({ query }) => {
        const q = new Query(query);
        const aliases = listRoleAliases(registry, q.boolean('isAscendingOrder') ?? false);
        const page = paginate(
          aliases,
          q.string('marker'),
          q.integer('pageSize', { min: 1, max: 250 }) ?? 50,
        );
        return {
          body: {
            roleAliases: page.items.map((record) => record.roleAlias),
            nextMarker: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'UpdateRoleAlias',
      method: 'PUT',
      path: '/role-aliases/{roleAlias}',
      handler: async ({ params, body }) => {
        const roleAlias = aliasParam(params);
        const update = parseBody(updateRoleAliasBody, body);
        return named(await updateRoleAlias(registry, roleAlias, update));
      },
    },
    {
      operation: 'DeleteRoleAlias',
      method: 'DELETE',
      path: '/role-aliases/{roleAlias}',
      handler: async ({ params }) => {
        await deleteRoleAlias(registry, aliasParam(params));
      },
    },
  ];
}

function describeRoleAlias(registry: RegistryState, record: RoleAlias) {
  return {
    roleAlias: record.roleAlias,
    roleAliasArn: record.roleAliasArn,
    roleArn: record.roleArn,
    owner: registry.arns.accountId,
    credentialDurationSeconds: record.credentialDurationSeconds,
    creationDate: toEpochSeconds(record.createdAt),
    lastModifiedDate: toEpochSeconds(record.lastModifiedAt),
  };
}
