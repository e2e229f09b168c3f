/**
 * Validation of one policy statement and its `Condition` block, following the IAM JSON policy
 * grammar as AWS IoT applies it to identity policies (no `Principal`).
 */

import {
  conditionValueProblem,
  parseConditionOperator,
  type ConditionOperator,
} from './condition-operators.ts';
import type {
  PatternList,
  PolicyCondition,
  PolicyProblem,
  PolicyProblemCode,
  PolicyStatement,
} from './policy-document.ts';

export interface StatementScope {
  readonly index: number;
  /** `Statement[2]`, or `Statement` when the document has a single statement object. */
  readonly path: string;
  /** Sids seen so far, with the path of the statement that used each. */
  readonly sids: Map<string, string>;
}

export interface StatementProblems {
  readonly statement?: PolicyStatement;
  readonly problems: PolicyProblem[];
}

const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const UNSUPPORTED_ELEMENTS = new Set(['Principal', 'NotPrincipal']);
const ACTION_NAME = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;
const CONDITION_KEY = /^[A-Za-z0-9-]+:\S+$/;
const MAX_SHOWN_LENGTH = 60;

/** Validates one statement; the statement is returned only when it has no problems. */
export function validateStatement(value: unknown, scope: StatementScope): StatementProblems {
  const { path } = scope;
  if (!isObject(value)) {
    return { problems: [problem('invalid-type', path, `${path} is not an object`)] };
  }

  const problems: PolicyProblem[] = [];
  for (const element of Object.keys(value)) {
    if (UNSUPPORTED_ELEMENTS.has(element)) {
      const message = `${path} has ${show(element)}, which AWS IoT policies do not support`;
      problems.push(problem('unsupported-element', `${path}.${element}`, message));
    } else if (!STATEMENT_ELEMENTS.has(element)) {
      problems.push(
        problem('unknown-element', path, `${path} has unknown element ${show(element)}`),
      );
    }
  }

  const sid = validateSid(value['Sid'], scope, problems);
  const effect = validateEffect(value['Effect'], path, problems);
  const actions = validatePatterns(value, path, ['Action', 'NotAction'], problems);
  const resources = validatePatterns(value, path, ['Resource', 'NotResource'], problems);
  const conditions = validateConditions(value['Condition'], `${path}.Condition`, problems);

  if (problems.length > 0 || !effect || !actions || !resources || !conditions) return { problems };
  const statement = { index: scope.index, effect, actions, resources, conditions };
  return { statement: sid === undefined ? statement : { ...statement, sid }, problems };
}

function validateSid(
  value: unknown,
  scope: StatementScope,
  problems: PolicyProblem[],
): string | undefined {
  const path = `${scope.path}.Sid`;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.push(problem('invalid-type', path, `${path} ${show(value)} is not a string`));
    return undefined;
  }
  const earlier = scope.sids.get(value);
  if (earlier !== undefined) {
    problems.push(
      problem('duplicate-sid', path, `${path} ${show(value)} repeats the Sid of ${earlier}`),
    );
  } else {
    scope.sids.set(value, scope.path);
  }
  return value;
}

function validateEffect(
  value: unknown,
  path: string,
  problems: PolicyProblem[],
): 'Allow' | 'Deny' | undefined {
  if (value === 'Allow' || value === 'Deny') return value;
  if (value === undefined) {
    problems.push(problem('missing', `${path}.Effect`, `${path} has no "Effect"`));
  } else {
    const message = `${path}.Effect ${show(value)} is not "Allow" or "Deny"`;
    problems.push(problem('invalid-value', `${path}.Effect`, message));
  }
  return undefined;
}

/** Validates the `Action`/`NotAction` or `Resource`/`NotResource` pair: exactly one must be set. */
function validatePatterns(
  statement: Record<string, unknown>,
  path: string,
  [positive, negative]: readonly [string, string],
  problems: PolicyProblem[],
): PatternList | undefined {
  const hasPositive = statement[positive] !== undefined;
  const hasNegative = statement[negative] !== undefined;
  if (hasPositive === hasNegative) {
    const message = hasPositive
      ? `${path} has both ${show(positive)} and ${show(negative)}`
      : `${path} has no ${show(positive)} or ${show(negative)}`;
    problems.push(problem(hasPositive ? 'conflict' : 'missing', path, message));
    return undefined;
  }

  const element = hasPositive ? positive : negative;
  const patterns = stringList(statement[element], `${path}.${element}`, problems);
  if (patterns === undefined) return undefined;
  const isAction = positive === 'Action';
  let valid = true;
  patterns.forEach((pattern, i) => {
    const itemPath = Array.isArray(statement[element])
      ? `${path}.${element}[${i}]`
      : `${path}.${element}`;
    const reason = isAction ? actionProblem(pattern) : resourceProblem(pattern);
    if (reason === undefined) return;
    problems.push(problem('invalid-value', itemPath, `${itemPath} ${show(pattern)} ${reason}`));
    valid = false;
  });
  return valid ? { negated: hasNegative, patterns } : undefined;
}

function actionProblem(pattern: string): string | undefined {
  return pattern === '*' || ACTION_NAME.test(pattern)
    ? undefined
    : 'is not "*" or a "service:action" name';
}

function resourceProblem(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  return pattern.startsWith('arn:') && pattern.split(':').length >= 6
    ? undefined
    : 'is not "*" or an ARN';
}

/** Reads a string or a non-empty array of strings. */
function stringList(value: unknown, path: string, problems: PolicyProblem[]): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value;
  }
  if (Array.isArray(value) && value.length === 0) {
    problems.push(problem('invalid-value', path, `${path} is an empty array`));
  } else {
    problems.push(
      problem(
        'invalid-type',
        path,
        `${path} ${show(value)} is not a string or an array of strings`,
      ),
    );
  }
  return undefined;
}

function validateConditions(
  value: unknown,
  path: string,
  problems: PolicyProblem[],
): PolicyCondition[] | undefined {
  if (value === undefined) return [];
  if (!isObject(value)) {
    problems.push(problem('invalid-type', path, `${path} ${show(value)} is not an object`));
    return undefined;
  }

  const before = problems.length;
  const conditions: PolicyCondition[] = [];
  for (const [name, block] of Object.entries(value)) {
    const operator = parseConditionOperator(name);
    if (operator === undefined) {
      const message = `${path} has unknown operator ${show(name)}`;
      problems.push(problem('unknown-operator', path, message));
    } else {
      conditions.push(...validateOperatorBlock(operator, block, `${path}.${name}`, problems));
    }
  }
  return problems.length === before ? conditions : undefined;
}

/** Validates `{ "key": value, ... }` under one operator, such as the object under `StringEquals`. */
function validateOperatorBlock(
  operator: ConditionOperator,
  block: unknown,
  path: string,
  problems: PolicyProblem[],
): PolicyCondition[] {
  if (!isObject(block)) {
    problems.push(problem('invalid-type', path, `${path} ${show(block)} is not an object`));
    return [];
  }
  if (Object.keys(block).length === 0) {
    problems.push(problem('missing', path, `${path} has no condition keys`));
    return [];
  }

  const conditions: PolicyCondition[] = [];
  for (const [key, raw] of Object.entries(block)) {
    if (!CONDITION_KEY.test(key)) {
      const message = `${path} key ${show(key)} is not a "service:name" condition key`;
      problems.push(problem('invalid-value', path, message));
      continue;
    }
    const keyPath = `${path}[${JSON.stringify(key)}]`;
    const values = conditionValues(raw, keyPath, problems);
    if (values === undefined) continue;

    values.forEach((item, i) => {
      const reason = conditionValueProblem(operator, item);
      if (reason === undefined) return;
      const itemPath = Array.isArray(raw) ? `${keyPath}[${i}]` : keyPath;
      problems.push(problem('invalid-value', itemPath, `${itemPath} ${show(item)} ${reason}`));
    });
    conditions.push({ operator, key, values });
  }
  return conditions;
}

/** Condition values may be strings, numbers or booleans, alone or in a non-empty array. */
function conditionValues(
  raw: unknown,
  path: string,
  problems: PolicyProblem[],
): string[] | undefined {
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) {
    problems.push(problem('invalid-value', path, `${path} is an empty array`));
    return undefined;
  }
  const scalar = (item: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof item);
  if (!items.every(scalar)) {
    const message = `${path} ${show(raw)} is not a string, number, boolean or an array of them`;
    problems.push(problem('invalid-type', path, message));
    return undefined;
  }
  return items.map((item) => String(item));
}

export function problem(code: PolicyProblemCode, path: string, message: string): PolicyProblem {
  return { code, path, message };
}

/** Renders an offending value for a message: JSON, cut to a readable length. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
