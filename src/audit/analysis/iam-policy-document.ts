/**
 * A reader for the IAM identity policy documents attached to the roles that Cognito identity pools
 * and role aliases hand out. It reads the IAM JSON policy grammar (Version, Statement, Sid, Effect,
 * Action/NotAction, Resource/NotResource, Condition) into the statement form of the IoT policy
 * engine, so one permission analysis serves both.
 *
 * The IoT validator does not fit IAM documents: IAM allows documents longer than the 2048
 * characters of CreatePolicy, a missing `Version` (read as `2008-10-17`, which has no policy
 * variables) and actions and resources of every service.
 */

import { parseConditionOperator } from '../../broker/policy/condition-operators.ts';
import type {
  PatternList,
  PolicyCondition,
  PolicyDocument,
  PolicyProblem,
  PolicyStatement,
  PolicyVersion,
} from '../../broker/policy/policy-document.ts';
import { isObject, problem, show } from '../../broker/policy/policy-statement.ts';

/** The outcome of reading: the document when it has no problems, every problem otherwise. */
export interface IamPolicyReading {
  document?: PolicyDocument;
  problems: PolicyProblem[];
}

/** Reads IAM policy document text; the document is returned only when it has no problems. */
export function readIamPolicyDocument(text: string): IamPolicyReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problems: [problem('invalid-json', '', 'the document is not valid JSON')] };
  }
  if (!isObject(json)) {
    return { problems: [problem('invalid-type', '', 'the document is not a JSON object')] };
  }

  const problems: PolicyProblem[] = [];
  const version = readVersion(json['Version'], problems);
  const raw = json['Statement'];
  const single = isObject(raw);
  if (!single && !Array.isArray(raw)) {
    const message = `Statement ${show(raw)} is not an object or an array of objects`;
    problems.push(problem('invalid-type', 'Statement', message));
    return { problems };
  }

  const items: unknown[] = single ? [raw] : raw;
  const statements = items.flatMap((item, index) => {
    const statement = readStatement(
      item,
      index,
      single ? 'Statement' : `Statement[${index}]`,
      problems,
    );
    return statement === undefined ? [] : [statement];
  });
  if (problems.length > 0 || version === undefined) return { problems };
  return { document: { version, statements }, problems };
}

function readVersion(value: unknown, problems: PolicyProblem[]): PolicyVersion | undefined {
  if (value === undefined) return '2008-10-17';
  if (value === '2012-10-17' || value === '2008-10-17') return value;
  const message = `Version ${show(value)} is not "2012-10-17" or "2008-10-17"`;
  problems.push(problem('invalid-value', 'Version', message));
  return undefined;
}

function readStatement(
  value: unknown,
  index: number,
  path: string,
  problems: PolicyProblem[],
): PolicyStatement | undefined {
  if (!isObject(value)) {
    problems.push(problem('invalid-type', path, `${path} is not an object`));
    return undefined;
  }

  const before = problems.length;
  const effect = value['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    const message = `${path}.Effect ${show(effect)} is not "Allow" or "Deny"`;
    problems.push(problem('invalid-value', `${path}.Effect`, message));
  }
  const sid = value['Sid'];
  if (sid !== undefined && typeof sid !== 'string') {
    problems.push(
      problem('invalid-type', `${path}.Sid`, `${path}.Sid ${show(sid)} is not a string`),
    );
  }
  const actions = readPatterns(value, path, ['Action', 'NotAction'], problems);
  const resources = readPatterns(value, path, ['Resource', 'NotResource'], problems);
  const conditions = readConditions(value['Condition'], `${path}.Condition`, problems);

  if (problems.length > before || !actions || !resources || !conditions) return undefined;
  const statement = {
    index,
    effect: effect as 'Allow' | 'Deny',
    actions,
    resources,
    conditions,
  };
  return typeof sid === 'string' ? { ...statement, sid } : statement;
}

function readPatterns(
  statement: Record<string, unknown>,
  path: string,
  [positive, negative]: readonly [string, string],
  problems: PolicyProblem[],
): PatternList | undefined {
  const hasPositive = statement[positive] !== undefined;
  if (hasPositive === (statement[negative] !== undefined)) {
    const message = hasPositive
      ? `${path} has both ${show(positive)} and ${show(negative)}`
      : `${path} has no ${show(positive)} or ${show(negative)}`;
    problems.push(problem(hasPositive ? 'conflict' : 'missing', path, message));
    return undefined;
  }

  const element = hasPositive ? positive : negative;
  const value = statement[element];
  const patterns = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(patterns) || patterns.length === 0 || !patterns.every(isString)) {
    const message = `${path}.${element} ${show(value)} is not a string or a non-empty array of strings`;
    problems.push(problem('invalid-type', `${path}.${element}`, message));
    return undefined;
  }
  return { negated: !hasPositive, patterns };
}

function readConditions(
  value: unknown,
  path: string,
  problems: PolicyProblem[],
): PolicyCondition[] | undefined {
  if (value === undefined) return [];
  if (!isObject(value)) {
    problems.push(problem('invalid-type', path, `${path} ${show(value)} is not an object`));
    return undefined;
  }

  const conditions: PolicyCondition[] = [];
  for (const [name, block] of Object.entries(value)) {
    const operator = parseConditionOperator(name);
    if (operator === undefined || !isObject(block)) {
      const message = operator
        ? `${path}.${name} ${show(block)} is not an object`
        : `${path} has unknown operator ${show(name)}`;
      problems.push(problem(operator ? 'invalid-type' : 'unknown-operator', path, message));
      return undefined;
    }
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((item) => String(item));
      conditions.push({ operator, key, values });
    }
  }
  return conditions;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
