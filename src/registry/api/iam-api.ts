import type { IamRoleRecord, IdentityPoolRecord } from '../../audit/fleet-snapshot.ts';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import { iamFields } from '../iam/iam-fields.ts';
import { importIamFile } from '../iam/iam-import.ts';
import { deleteIamRole, listIamRoles, putIamRole, requireIamRole } from '../iam/iam-roles.ts';
import { putIdentityPoolBody, putRoleBody } from '../iam/iam-schemas.ts';
import {
  deleteIdentityPool,
  listIdentityPools,
  putIdentityPool,
  requireIdentityPool,
} from '../iam/identity-pools.ts';
import type { RegistryState } from '../registry.ts';

/**
 * Warden's routes for the IAM roles and Cognito identity pools behind role aliases, and for the
 * declarative import of all three. These are not AWS IoT operations: in AWS the data lives in IAM
 * and Cognito, which Warden does not serve.
 */
export function iamRoutes(registry: RegistryState): Route[] {
  return [...roleRoutes(registry), ...identityPoolRoutes(registry), importRoute(registry)];
}

function roleRoutes(registry: RegistryState): Route[] {
  const nameParam = (params: Record<string, string>) =>
    parseParam(iamFields.roleName, 'roleName', params['roleName']);
  return [
    {
      operation: 'PutIamRole',
      method: 'PUT',
      path: '/warden/iam/roles/{roleName}',
      handler: async ({ params, body }) => {
        const roleName = nameParam(params);
        const input = parseBody(putRoleBody, body);
        return { body: roleView(roleName, await putIamRole(registry, roleName, input)) };
      },
    },
    {
      operation: 'GetIamRole',
      method: 'GET',
      path: '/warden/iam/roles/{roleName}',
      handler: ({ params }) => {
        const roleName = nameParam(params);
        return { body: roleView(roleName, requireIamRole(registry, roleName)) };
      },
    },
    {
      operation: 'ListIamRoles',
      method: 'GET',
      path: '/warden/iam/roles',
      handler: ({ query }) => {
        const page = pageOf(listIamRoles(registry), new Query(query));
        const roles = page.items.map((role) => roleView(role.roleName, role.record));
        return { body: { roles, nextToken: page.nextToken } };
      },
    },
    {
      operation: 'DeleteIamRole',
      method: 'DELETE',
      path: '/warden/iam/roles/{roleName}',
      handler: async ({ params }) => {
        await deleteIamRole(registry, nameParam(params));
      },
    },
  ];
}

function identityPoolRoutes(registry: RegistryState): Route[] {
  const idParam = (params: Record<string, string>) =>
    parseParam(iamFields.identityPoolId, 'identityPoolId', params['identityPoolId']);
  return [
    {
      operation: 'PutIdentityPool',
      method: 'PUT',
      path: '/warden/iam/identity-pools/{identityPoolId}',
      handler: async ({ params, body }) => {
        const identityPoolId = idParam(params);
        const input = parseBody(putIdentityPoolBody, body);
        return { body: poolView(await putIdentityPool(registry, identityPoolId, input)) };
      },
    },
    {
      operation: 'GetIdentityPool',
      method: 'GET',
      path: '/warden/iam/identity-pools/{identityPoolId}',
      handler: ({ params }) => ({ body: poolView(requireIdentityPool(registry, idParam(params))) }),
    },
    {
      operation: 'ListIdentityPools',
      method: 'GET',
      path: '/warden/iam/identity-pools',
      handler: ({ query }) => {
        const page = pageOf(listIdentityPools(registry), new Query(query));
        return { body: { identityPools: page.items.map(poolView), nextToken: page.nextToken } };
      },
    },
    {
      operation: 'DeleteIdentityPool',
      method: 'DELETE',
      path: '/warden/iam/identity-pools/{identityPoolId}',
      handler: async ({ params }) => {
        await deleteIdentityPool(registry, idParam(params));
      },
    },
  ];
}

function importRoute(registry: RegistryState): Route {
  return {
    operation: 'ImportIamDocument',
    method: 'POST',
    path: '/warden/iam/import',
    handler: async ({ body }) => ({ body: await importIamFile(registry, body) }),
  };
}

function pageOf<T>(items: T[], q: Query) {
  return paginate(
    items,
    q.string('nextToken'),
    q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
  );
}

/** A role as the routes return it: documents as JSON objects, times in epoch seconds. */
function roleView(roleName: string, record: IamRoleRecord) {
  const serviceLastUsed = Object.fromEntries(
    Object.entries(record.serviceLastUsed).map(([service, time]) => [
      service,
      toEpochSeconds(time),
    ]),
  );
  return {
    roleName,
    roleArn: record.roleArn,
    policyDocuments: record.policyDocuments.map((text) => JSON.parse(text) as unknown),
    serviceLastUsed,
  };
}

function poolView(record: IdentityPoolRecord) {
  return {
    identityPoolId: record.identityPoolId,
    authenticatedRoleArn: record.authenticatedRoleArn,
    unauthenticatedRoleArn: record.unauthenticatedRoleArn,
    lastUsedAt: record.lastUsedAt === undefined ? undefined : toEpochSeconds(record.lastUsedAt),
  };
}
