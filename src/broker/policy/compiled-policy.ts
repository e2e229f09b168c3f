/**
 * Compilation of a validated policy document into matchers that do not depend on the connection:
 * action matchers, resource and condition-value templates, and condition tests whose values have
 * no variables. Variables are resolved later, once per connection, by the authorizer.
 */

import {
  acceptsVariables,
  buildValueTest,
  type ConditionOperator,
  type ValueTest,
} from './condition-operators.ts';
import { isTimeKey } from './policy-context.ts';
import {
  parsePolicyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from './policy-document.ts';
import {
  parseTemplate,
  resolvePattern,
  templateVariables,
  type Template,
} from './policy-variables.ts';
import { compileWildcardText, type WildcardMatcher } from './wildcard.ts';

/** A policy ready for evaluation; compile it once per policy version, not per connection. */
export interface CompiledPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

export interface CompiledStatement {
  readonly policyName: string;
  readonly source: PolicyStatement;
  /** Whether the statement covers an action; action names compare case-insensitively. */
  matchesAction(action: string): boolean;
  readonly resources: readonly Template[];
  readonly negatedResource: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledCondition {
  readonly operator: ConditionOperator;
  readonly key: string;
  /** Values to resolve per connection; absent when `test` was built at compile time. */
  readonly templates?: readonly Template[];
  readonly test?: ValueTest;
  /** True when the key or a value variable is a time key, so the clause is decided per request. */
  readonly dynamic: boolean;
}

/**
 * Compiles a policy from document text or an already validated document.
 * @throws {WardenError} `MalformedPolicyException` when the text is not a valid document.
 */
export function compilePolicy(name: string, source: string | PolicyDocument): CompiledPolicy {
  const document = typeof source === 'string' ? parsePolicyDocument(source) : source;
  const variables = document.version === '2012-10-17';
  const statements = document.statements.map((statement) =>
    compileStatement(name, statement, variables),
  );
  return { name, document, statements };
}

function compileStatement(
  policyName: string,
  statement: PolicyStatement,
  variables: boolean,
): CompiledStatement {
  const actionTest = compileActions(statement.actions.patterns);
  const negatedAction = statement.actions.negated;
  return {
    policyName,
    source: statement,
    matchesAction: (action) => actionTest(action.toLowerCase()) !== negatedAction,
    resources: statement.resources.patterns.map((pattern) => parseTemplate(pattern, variables)),
    negatedResource: statement.resources.negated,
    conditions: statement.conditions.map((condition) => {
      return compileCondition(condition.operator, condition.key, condition.values, variables);
    }),
  };
}

/** Exact action names go in a set; only patterns with wildcards need a matcher. */
function compileActions(patterns: readonly string[]): (lowerCaseAction: string) => boolean {
  const exact = new Set<string>();
  const matchers: WildcardMatcher[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.includes('*') || lower.includes('?')) matchers.push(compileWildcardText(lower));
    else exact.add(lower);
  }
  if (matchers.length === 0) return (action) => exact.has(action);
  return (action) => exact.has(action) || matchers.some((matcher) => matcher.test(action));
}

function compileCondition(
  operator: ConditionOperator,
  key: string,
  values: readonly string[],
  variables: boolean,
): CompiledCondition {
  const templates = values.map((value) =>
    parseTemplate(value, variables && acceptsVariables(operator)),
  );
  const dynamic =
    isTimeKey(key) || templates.some((template) => templateVariables(template).some(isTimeKey));

  if (templates.some((template) => template.hasVariables))
    return { operator, key, templates, dynamic };
  const resolved = templates.map((template) => resolvePattern(template, () => undefined) ?? []);
  return { operator, key, test: buildValueTest(operator, resolved), dynamic };
}
