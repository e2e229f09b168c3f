/**
 * Per-connection policy evaluation. Binding resolves the policy variables and decides the
 * time-independent conditions once for the connection, so an authorization on PUBLISH costs a few
 * string tests, and a small LRU cache keyed by action and resource skips even those on repeats.
 *
 * Evaluation follows the IAM logic that AWS IoT Core policies use (AWS IoT Core Developer Guide,
 * "AWS IoT Core policies"): every request is denied unless a statement allows it, and any matching
 * Deny statement overrides every Allow.
 */

import { systemClock, type Clock } from '../../core/clock.ts';
import type { CompiledCondition, CompiledPolicy, CompiledStatement } from './compiled-policy.ts';
import {
  buildValueTest,
  clauseHolds,
  type ResolvedValue,
  type ValueTest,
} from './condition-operators.ts';
import { LruCache } from './lru-cache.ts';
import { lookupContextKey, variableValue, type PolicyContext } from './policy-context.ts';
import { resolvePattern, type VariableLookup } from './policy-variables.ts';
import { iotArnPrefix } from './resource-arn.ts';
import { compileWildcard, type WildcardMatcher } from './wildcard.ts';

export type PolicyDecisionKind = 'allow' | 'explicit-deny' | 'implicit-deny';

/** The statement that decided a request: the first matching Deny, or else the first Allow. */
export interface DecidingStatement {
  readonly policyName: string;
  readonly sid?: string;
  /** Zero-based position of the statement in the policy's `Statement` list. */
  readonly index: number;
}

export interface PolicyDecision {
  readonly decision: PolicyDecisionKind;
  readonly statement?: DecidingStatement;
}

/** An authorizer for the requests of one connection. */
export interface Authorizer {
  readonly context: PolicyContext;
  /** Decides `action` on a full resource ARN such as `arn:aws:iot:…:topic/a/b`. */
  authorize(action: string, resourceArn: string): PolicyDecision;
  /** iot:Connect on `client/<clientId>` of the bound context. */
  connect(): PolicyDecision;
  /** iot:Publish on `topic/<topic>`. */
  publish(topic: string): PolicyDecision;
  /** iot:RetainPublish on `topic/<topic>`, needed besides iot:Publish for a retained message. */
  retainPublish(topic: string): PolicyDecision;
  /** iot:Subscribe on `topicfilter/<filter>`; the filter's `+` and `#` are plain characters here. */
  subscribe(topicFilter: string): PolicyDecision;
  /** iot:Receive on `topic/<topic>`, checked on every delivery. */
  receive(topic: string): PolicyDecision;
}

export interface AuthorizerOptions {
  /** Source of `aws:CurrentTime` and `aws:EpochTime` for each request; the system clock by default. */
  clock?: Clock;
  /** Decisions kept per connection; 0 disables the cache. */
  cacheSize?: number;
}

export const DEFAULT_DECISION_CACHE_SIZE = 256;

const IMPLICIT_DENY: PolicyDecision = Object.freeze({ decision: 'implicit-deny' });

/**
 * Binds compiled policies to one connection's context. Bind again when the attached policies,
 * their default versions or the thing's registry data change: the binding keeps what it resolved.
 */
export function bindContext(
  policies: readonly CompiledPolicy[],
  context: PolicyContext,
  options: AuthorizerOptions = {},
): Authorizer {
  return new ContextAuthorizer(policies, context, options);
}

interface BoundClause {
  readonly condition: CompiledCondition;
  /** Built at bind time unless a value uses a time variable. */
  readonly test?: ValueTest;
}

interface BoundStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly decision: PolicyDecision;
  readonly matchesResource: (resourceArn: string) => boolean;
  /** Time-dependent clauses, decided on each request. */
  readonly dynamic: readonly BoundClause[];
}

class ContextAuthorizer implements Authorizer {
  readonly context: PolicyContext;
  private readonly statements: readonly CompiledStatement[];
  /** Lazily bound statements: `undefined` until first needed, `null` when a condition fails. */
  private readonly bound: (BoundStatement | null | undefined)[];
  private readonly byAction = new Map<string, readonly BoundStatement[]>();
  private readonly cache: LruCache<string, PolicyDecision>;
  private readonly clock: Clock;
  private readonly arnPrefix: string;
  private readonly connectArn: string;
  private lastDecisionCacheable = true;

  constructor(
    policies: readonly CompiledPolicy[],
    context: PolicyContext,
    options: AuthorizerOptions,
  ) {
    // Statements bind lazily, so a snapshot keeps later changes to the caller's object out.
    this.context = snapshot(context);
    this.statements = policies.flatMap((policy) => policy.statements);
    this.bound = new Array<BoundStatement | null | undefined>(this.statements.length);
    this.cache = new LruCache(options.cacheSize ?? DEFAULT_DECISION_CACHE_SIZE);
    this.clock = options.clock ?? systemClock;
    this.arnPrefix = iotArnPrefix(this.context);
    this.connectArn = `${this.arnPrefix}client/${this.context.clientId}`;
  }

  authorize(action: string, resourceArn: string): PolicyDecision {
    const key = `${action}\u0000${resourceArn}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;

    const decision = this.decide(action, resourceArn);
    if (this.lastDecisionCacheable) this.cache.set(key, decision);
    return decision;
  }

  connect(): PolicyDecision {
    return this.authorize('iot:Connect', this.connectArn);
  }

  publish(topic: string): PolicyDecision {
    return this.authorize('iot:Publish', `${this.arnPrefix}topic/${topic}`);
  }

  retainPublish(topic: string): PolicyDecision {
    return this.authorize('iot:RetainPublish', `${this.arnPrefix}topic/${topic}`);
  }

  subscribe(topicFilter: string): PolicyDecision {
    return this.authorize('iot:Subscribe', `${this.arnPrefix}topicfilter/${topicFilter}`);
  }

  receive(topic: string): PolicyDecision {
    return this.authorize('iot:Receive', `${this.arnPrefix}topic/${topic}`);
  }

  /** Scans the statements for the action: the first matching Deny ends the scan. */
  private decide(action: string, resourceArn: string): PolicyDecision {
    let allow: BoundStatement | undefined;
    let now: number | undefined;
    this.lastDecisionCacheable = true;

    for (const statement of this.candidates(action)) {
      if (!statement.matchesResource(resourceArn)) continue;
      if (statement.dynamic.length > 0) {
        this.lastDecisionCacheable = false;
        now ??= this.clock.now();
        if (!dynamicClausesHold(statement.dynamic, this.context, now)) continue;
      }
      if (statement.effect === 'Deny') return statement.decision;
      allow ??= statement;
    }
    return allow?.decision ?? IMPLICIT_DENY;
  }

  private candidates(action: string): readonly BoundStatement[] {
    const known = this.byAction.get(action);
    if (known !== undefined) return known;

    const candidates: BoundStatement[] = [];
    this.statements.forEach((statement, i) => {
      if (!statement.matchesAction(action)) return;
      if (this.bound[i] === undefined) {
        this.bound[i] = bindStatement(statement, this.context, this.clock.now());
      }
      const bound = this.bound[i];
      if (bound) candidates.push(bound);
    });
    this.byAction.set(action, candidates);
    return candidates;
  }
}

/** Resolves a statement for the connection, or returns null when a static condition fails. */
function bindStatement(
  statement: CompiledStatement,
  context: PolicyContext,
  now: number,
): BoundStatement | null {
  const lookup: VariableLookup = (name) => variableValue(context, name, now);
  const dynamic: BoundClause[] = [];
  for (const condition of statement.conditions) {
    if (condition.dynamic) {
      dynamic.push(condition.test ? { condition, test: condition.test } : { condition });
      continue;
    }
    const test = condition.test ?? resolveConditionTest(condition, lookup);
    const value = lookupContextKey(context, condition.key, now);
    if (!clauseHolds(condition.operator, test, value)) return null;
  }

  return {
    effect: statement.source.effect,
    decision: decisionFor(statement),
    matchesResource: resourceTest(statement, lookup),
    dynamic,
  };
}

/**
 * Builds the resource test of a statement. A pattern whose variable has no value matches no
 * resource, so in `NotResource` it excludes nothing. This follows the AWS thing policy examples,
 * where an unresolved thing variable ends in access denied, and the certificate variable limits,
 * where the `${...}` text stays in the document and so cannot match a real resource.
 */
function resourceTest(
  statement: CompiledStatement,
  lookup: VariableLookup,
): (resourceArn: string) => boolean {
  const matchers: WildcardMatcher[] = [];
  for (const template of statement.resources) {
    const pieces = resolvePattern(template, lookup);
    if (pieces !== undefined) matchers.push(compileWildcard(pieces));
  }
  const [only] = matchers;
  const negated = statement.negatedResource;
  if (matchers.length === 1 && only !== undefined) {
    return negated ? (arn) => !only.test(arn) : (arn) => only.test(arn);
  }
  const anyMatch = (arn: string): boolean => matchers.some((matcher) => matcher.test(arn));
  return negated ? (arn) => !anyMatch(arn) : anyMatch;
}

/** Condition values whose variables have no value are dropped: they match no context value. */
function resolveConditionTest(condition: CompiledCondition, lookup: VariableLookup): ValueTest {
  const resolved: ResolvedValue[] = [];
  for (const template of condition.templates ?? []) {
    const pieces = resolvePattern(template, lookup);
    if (pieces !== undefined) resolved.push(pieces);
  }
  return buildValueTest(condition.operator, resolved);
}

function dynamicClausesHold(
  clauses: readonly BoundClause[],
  context: PolicyContext,
  now: number,
): boolean {
  const lookup: VariableLookup = (name) => variableValue(context, name, now);
  return clauses.every(({ condition, test }) => {
    const valueTest = test ?? resolveConditionTest(condition, lookup);
    return clauseHolds(
      condition.operator,
      valueTest,
      lookupContextKey(context, condition.key, now),
    );
  });
}

function decisionFor(statement: CompiledStatement): PolicyDecision {
  const { index, sid, effect } = statement.source;
  const deciding: DecidingStatement =
    sid === undefined
      ? { policyName: statement.policyName, index }
      : { policyName: statement.policyName, sid, index };
  return Object.freeze({
    decision: effect === 'Allow' ? 'allow' : 'explicit-deny',
    statement: Object.freeze(deciding),
  });
}

function snapshot(context: PolicyContext): PolicyContext {
  const copy: PolicyContext = { ...context };
  if (context.thingAttributes) copy.thingAttributes = { ...context.thingAttributes };
  return Object.freeze(copy);
}
