/**
 * The grants of a policy document that the permission checks report: which Allow statement gives
 * which actions on which resource, and why that resource is broad. IoT policies and IAM role
 * policies share this analysis.
 *
 * Only Allow statements grant. Conditions do not narrow a grant, except that a requirement of
 * `iot:Connection.Thing.IsAttached = true` scopes `${iot:ClientId}`. A Deny statement cancels a
 * grant only when it has no condition and covers the grant's whole resource; Warden does not try
 * to prove coverage in other cases, so it may report a grant that a narrower Deny blocks.
 */

import type { PolicyDocument, PolicyStatement } from '../../broker/policy/policy-document.ts';
import { mayNameServiceResource, type ArnScope } from './arn-pattern.ts';
import { coveredActions } from './iot-action-lists.ts';
import {
  broadAccessReason,
  requiresAttachedThing,
  type IotResourceKind,
} from './iot-resource-breadth.ts';

const MAX_LISTED_ACTIONS = 10;

/** Actions that one Allow statement gives on one of its resources. */
export interface PermissionGrant {
  statement: PolicyStatement;
  actions: string[];
  /** The `Resource` entry, or `NotResource [...]` for a statement that lists exclusions. */
  resource: string;
  /** Reason the resource reaches many devices; only `broadGrants` sets it. */
  reason?: string;
}

/** Finds Allow grants of `candidates` on broad resources; `kindOf` names each action's resource type. */
export function broadGrants(
  document: PolicyDocument,
  candidates: readonly string[],
  kindOf: (action: string) => IotResourceKind | undefined,
  scope: ArnScope,
): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  for (const statement of allowStatements(document)) {
    const options = {
      ...scope,
      variables: document.version === '2012-10-17',
      requiresAttachedThing: requiresAttachedThing(statement),
    };
    const actions = coveredActions(statement.actions, candidates);
    for (const resource of resourceEntries(statement)) {
      const byReason = new Map<string, string[]>();
      for (const action of actions) {
        const kind = kindOf(action);
        if (kind === undefined || deniedEverywhere(document, action, resource.pattern)) continue;
        const reason =
          resource.pattern === undefined
            ? 'NotResource allows every resource it does not list'
            : broadAccessReason(kind, resource.pattern, options);
        if (reason !== undefined) byReason.set(reason, [...(byReason.get(reason) ?? []), action]);
      }
      for (const [reason, granted] of byReason) {
        grants.push({ statement, actions: granted, resource: resource.label, reason });
      }
    }
  }
  return grants;
}

/** Finds Allow grants of `candidates` on any resource that may belong to AWS IoT. */
export function actionGrants(
  document: PolicyDocument,
  candidates: readonly string[],
  scope: ArnScope,
): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  for (const statement of allowStatements(document)) {
    const actions = coveredActions(statement.actions, candidates);
    if (actions.length === 0) continue;
    for (const resource of resourceEntries(statement)) {
      const { pattern } = resource;
      if (pattern !== undefined && !mayNameServiceResource(pattern, 'iot', scope)) continue;
      const granted = actions.filter((action) => !deniedEverywhere(document, action, pattern));
      if (granted.length > 0)
        grants.push({ statement, actions: granted, resource: resource.label });
    }
  }
  return grants;
}

/** Names a statement for a message: `statement 2`, or `statement 2 (Sid "Shadow")`. */
export function describeStatement(statement: PolicyStatement): string {
  const sid = statement.sid === undefined ? '' : ` (Sid ${JSON.stringify(statement.sid)})`;
  return `statement ${statement.index}${sid}`;
}

/** Renders grants as `statement 0 allows iot:Connect on "…" (reason)`, joined with semicolons. */
export function describeGrants(grants: readonly PermissionGrant[]): string {
  return grants
    .map((grant) => {
      const actions = listActions(grant.actions);
      const reason = grant.reason === undefined ? '' : ` (${grant.reason})`;
      return `${describeStatement(grant.statement)} allows ${actions} on ${grant.resource}${reason}`;
    })
    .join('; ');
}

/** Joins action names with commas, naming at most ten and counting the rest. */
export function listActions(actions: readonly string[]): string {
  const shown = actions.slice(0, MAX_LISTED_ACTIONS).join(', ');
  const hidden = actions.length - MAX_LISTED_ACTIONS;
  return hidden > 0 ? `${shown} and ${hidden} more` : shown;
}

/** Returns the distinct actions of grants in first-seen order. */
export function grantedActions(grants: readonly PermissionGrant[]): string[] {
  return [...new Set(grants.flatMap((grant) => grant.actions))];
}

function allowStatements(document: PolicyDocument): PolicyStatement[] {
  return document.statements.filter((statement) => statement.effect === 'Allow');
}

interface ResourceEntry {
  /** The pattern, or undefined for the exclusions of a `NotResource` statement. */
  pattern: string | undefined;
  label: string;
}

function resourceEntries(statement: PolicyStatement): ResourceEntry[] {
  const { patterns, negated } = statement.resources;
  if (negated) return [{ pattern: undefined, label: `NotResource ${JSON.stringify(patterns)}` }];
  return patterns.map((pattern) => ({ pattern, label: JSON.stringify(pattern) }));
}

/**
 * Checks whether an unconditional Deny covers an action on every resource the pattern names: its
 * resource is `*`, the same pattern, or a `prefix*` that the pattern starts with.
 */
function deniedEverywhere(
  document: PolicyDocument,
  action: string,
  pattern: string | undefined,
): boolean {
  return document.statements.some(
    (statement) =>
      statement.effect === 'Deny' &&
      statement.conditions.length === 0 &&
      !statement.resources.negated &&
      coveredActions(statement.actions, [action]).length === 1 &&
      statement.resources.patterns.some((deny) => coversPattern(deny, pattern)),
  );
}

function coversPattern(deny: string, pattern: string | undefined): boolean {
  if (deny === '*') return true;
  if (pattern === undefined) return false;
  if (deny === pattern) return true;
  const prefix = deny.slice(0, -1);
  const plainPrefix = deny.endsWith('*') && !/[*?]|\$\{/.test(prefix);
  return plainPrefix && pattern.startsWith(prefix);
}
