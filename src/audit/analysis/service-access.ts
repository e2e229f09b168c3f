/**
 * Service-level reading of IAM role policies for the role alias checks: which service namespaces
 * (the part of an action before the colon, such as `dynamodb`) a role can use at all, and which it
 * can use without restriction (`dynamodb:*`, `*`).
 *
 * NOTE: these rules look at actions only. A grant counts whatever its `Resource` and `Condition`
 * contain, because the check pages judge a role by the services and actions it allows.
 */

import type { PolicyDocument, PolicyStatement } from '../../broker/policy/policy-document.ts';
import { compileWildcardText } from '../../broker/policy/wildcard.ts';
import { describeStatement } from './permission-grants.ts';

/** The statement and action pattern that give access to a service. */
export interface ServiceGrant {
  statement: PolicyStatement;
  /** The `Action` entry, or `NotAction [...]`. */
  pattern: string;
}

/** Access that a role's documents allow, by service namespace (lowercase). */
export interface ServiceAccess {
  /** The first grant that covers every service: `*`, a wildcard service name or `NotAction`. */
  everyService?: ServiceGrant;
  /** Each service named in an Allow statement, with its first grant. */
  services: Map<string, ServiceGrant>;
}

/** Lists the services that Allow statements name, and whether some statement covers every service. */
export function serviceAccess(documents: readonly PolicyDocument[]): ServiceAccess {
  const access: ServiceAccess = { services: new Map() };
  for (const statement of allowStatements(documents)) {
    if (statement.actions.negated) {
      access.everyService ??= { statement, pattern: notActionLabel(statement) };
      continue;
    }
    for (const pattern of statement.actions.patterns) {
      const service = namespaceOf(pattern);
      if (service === undefined || /[*?]/.test(service)) {
        access.everyService ??= { statement, pattern };
      } else if (!access.services.has(service)) {
        access.services.set(service, { statement, pattern });
      }
    }
  }
  return access;
}

/** Returns the first grant of some action of `service` that no unconditional Deny removes. */
export function serviceGrant(
  documents: readonly PolicyDocument[],
  service: string,
): ServiceGrant | undefined {
  if (serviceDenied(documents, service)) return undefined;
  for (const statement of allowStatements(documents)) {
    const { negated, patterns } = statement.actions;
    if (negated) {
      if (!patterns.some((pattern) => coversService(pattern, service))) {
        return { statement, pattern: notActionLabel(statement) };
      }
      continue;
    }
    const pattern = patterns.find((item) => namespaceMatches(item, service));
    if (pattern !== undefined) return { statement, pattern };
  }
  return undefined;
}

/** Returns the first grant of every action of `service` (`*`, `service:*` or a NotAction that spares it). */
export function fullServiceGrant(
  documents: readonly PolicyDocument[],
  service: string,
): ServiceGrant | undefined {
  if (serviceDenied(documents, service)) return undefined;
  for (const statement of allowStatements(documents)) {
    const { negated, patterns } = statement.actions;
    if (negated) {
      if (!patterns.some((pattern) => namespaceMatches(pattern, service))) {
        return { statement, pattern: notActionLabel(statement) };
      }
      continue;
    }
    const pattern = patterns.find((item) => coversService(item, service));
    if (pattern !== undefined) return { statement, pattern };
  }
  return undefined;
}

/** Renders a grant as `statement 0 allows "dynamodb:*"`. */
export function describeServiceGrant(grant: ServiceGrant): string {
  const pattern = grant.pattern.startsWith('NotAction ')
    ? grant.pattern
    : JSON.stringify(grant.pattern);
  return `${describeStatement(grant.statement)} allows ${pattern}`;
}

function allowStatements(documents: readonly PolicyDocument[]): PolicyStatement[] {
  return documents.flatMap((document) =>
    document.statements.filter((statement) => statement.effect === 'Allow'),
  );
}

/** Checks for an unconditional Deny of every action of the service on every resource. */
function serviceDenied(documents: readonly PolicyDocument[], service: string): boolean {
  return documents.some((document) =>
    document.statements.some(
      (statement) =>
        statement.effect === 'Deny' &&
        statement.conditions.length === 0 &&
        !statement.actions.negated &&
        !statement.resources.negated &&
        statement.resources.patterns.includes('*') &&
        statement.actions.patterns.some((pattern) => coversService(pattern, service)),
    ),
  );
}

/** Checks whether an action pattern covers every action of the service. */
function coversService(pattern: string, service: string): boolean {
  if (pattern === '*') return true;
  const [namespace, action] = pattern.split(':');
  return action === '*' && namespace !== undefined && wildcardMatches(namespace, service);
}

/** Checks whether an action pattern covers some action of the service. */
function namespaceMatches(pattern: string, service: string): boolean {
  if (pattern === '*') return true;
  const namespace = namespaceOf(pattern);
  return namespace !== undefined && wildcardMatches(namespace, service);
}

function namespaceOf(pattern: string): string | undefined {
  const colon = pattern.indexOf(':');
  return colon < 0 ? undefined : pattern.slice(0, colon).toLowerCase();
}

function wildcardMatches(pattern: string, value: string): boolean {
  return compileWildcardText(pattern, { ignoreCase: true }).test(value);
}

function notActionLabel(statement: PolicyStatement): string {
  return `NotAction ${JSON.stringify(statement.actions.patterns)}`;
}
