/**
 * AWS IoT policy documents: parsing and validation into a normalized form that the compiler, the
 * audit checks and the API share.
 *
 * Sources: the AWS IoT API Reference for CreatePolicy, which limits `policyDocument` to 1 to 2048
 * characters excluding whitespace and rejects an invalid document with `MalformedPolicyException`.
 * The IAM JSON policy element reference defines Version, Id, Statement, Sid, Effect,
 * Action/NotAction, Resource/NotResource and Condition.
 */

import { WardenError } from '../../core/errors.ts';
import type { ConditionOperator } from './condition-operators.ts';
import {
  isObject,
  problem,
  show,
  validateStatement,
  type StatementProblems,
} from './policy-statement.ts';

/** Policy language versions; only `2012-10-17` substitutes policy variables. */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

export const POLICY_VERSIONS: readonly PolicyVersion[] = ['2012-10-17', '2008-10-17'];

/** The CreatePolicy limit, counted without whitespace. */
export const MAX_POLICY_DOCUMENT_CHARACTERS = 2048;

/** A list of patterns in `Action`/`NotAction` or `Resource`/`NotResource`, always as an array. */
export interface PatternList {
  /** True for `NotAction`/`NotResource`: the statement covers everything not listed. */
  readonly negated: boolean;
  readonly patterns: readonly string[];
}

/** One key of one operator in a `Condition` block, with its values as strings. */
export interface PolicyCondition {
  readonly operator: ConditionOperator;
  readonly key: string;
  readonly values: readonly string[];
}

/** A validated statement. `index` is its zero-based position in `Statement`. */
export interface PolicyStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: PatternList;
  readonly resources: PatternList;
  readonly conditions: readonly PolicyCondition[];
}

/** A validated policy document. */
export interface PolicyDocument {
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

export type PolicyProblemCode =
  | 'invalid-json'
  | 'empty'
  | 'too-long'
  | 'missing'
  | 'conflict'
  | 'invalid-type'
  | 'invalid-value'
  | 'unknown-element'
  | 'unsupported-element'
  | 'unknown-operator'
  | 'duplicate-sid';

/** One reason a document is invalid; `path` is like `Statement[1].Effect` (empty for the whole). */
export interface PolicyProblem {
  readonly code: PolicyProblemCode;
  readonly path: string;
  readonly message: string;
}

/** The outcome of validation: the document when valid, every problem found otherwise. */
export interface PolicyValidation {
  readonly document?: PolicyDocument;
  readonly problems: readonly PolicyProblem[];
}

const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const MAX_PROBLEMS_IN_MESSAGE = 3;

/** Validates policy document text, collecting every problem rather than stopping at the first. */
export function validatePolicyDocument(text: string): PolicyValidation {
  const sizeProblem = documentSizeProblem(text);
  if (sizeProblem) return { problems: [sizeProblem] };

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
  for (const element of Object.keys(json)) {
    if (!DOCUMENT_ELEMENTS.has(element)) {
      problems.push(
        problem('unknown-element', '', `the document has unknown element ${show(element)}`),
      );
    }
  }
  const version = validateVersion(json['Version'], problems);
  const id = validateId(json['Id'], problems);
  const statements = validateStatements(json['Statement'], problems);

  if (problems.length > 0 || version === undefined || statements === undefined) return { problems };
  const document: PolicyDocument =
    id === undefined ? { version, statements } : { version, id, statements };
  return { document, problems };
}

/**
 * Parses and validates policy document text.
 * @throws {WardenError} `MalformedPolicyException` naming the first problems found.
 */
export function parsePolicyDocument(text: string): PolicyDocument {
  const { document, problems } = validatePolicyDocument(text);
  if (document === undefined) throw malformedPolicyError(problems);
  return document;
}

/** Builds the API error for an invalid document from its problems. */
export function malformedPolicyError(problems: readonly PolicyProblem[]): WardenError {
  const listed = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((item) => item.message);
  const hidden = problems.length - listed.length;
  if (hidden > 0) listed.push(`and ${hidden} more ${hidden === 1 ? 'problem' : 'problems'}`);
  return new WardenError(
    'MalformedPolicyException',
    `Policy document is invalid: ${listed.join('; ')}`,
  );
}

/**
 * NOTE: AWS does not say which characters count as whitespace; this drops every character that
 * `\s` matches, inside strings too, and counts UTF-16 code units.
 */
function documentSizeProblem(text: string): PolicyProblem | undefined {
  const length = text.replace(/\s+/g, '').length;
  if (length === 0) return problem('empty', '', 'the document is empty');
  if (length <= MAX_POLICY_DOCUMENT_CHARACTERS) return undefined;
  const message = `the document has ${length} characters excluding whitespace, more than the maximum of ${MAX_POLICY_DOCUMENT_CHARACTERS}`;
  return problem('too-long', '', message);
}

/**
 * NOTE: IAM treats a missing `Version` as `2008-10-17`; Warden rejects it instead, because
 * without it policy variables would silently become literal text.
 */
function validateVersion(value: unknown, problems: PolicyProblem[]): PolicyVersion | undefined {
  if (value === undefined) {
    problems.push(problem('missing', 'Version', 'the document has no "Version"'));
    return undefined;
  }
  if (typeof value === 'string' && (POLICY_VERSIONS as readonly string[]).includes(value)) {
    return value as PolicyVersion;
  }
  const message = `Version ${show(value)} is not "2012-10-17" or "2008-10-17"`;
  problems.push(problem('invalid-value', 'Version', message));
  return undefined;
}

function validateId(value: unknown, problems: PolicyProblem[]): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  problems.push(problem('invalid-type', 'Id', `Id ${show(value)} is not a string`));
  return undefined;
}

function validateStatements(
  value: unknown,
  problems: PolicyProblem[],
): PolicyStatement[] | undefined {
  if (value === undefined) {
    problems.push(problem('missing', 'Statement', 'the document has no "Statement"'));
    return undefined;
  }
  const single = isObject(value);
  if (!single && !Array.isArray(value)) {
    const message = `Statement ${show(value)} is not an object or an array of objects`;
    problems.push(problem('invalid-type', 'Statement', message));
    return undefined;
  }

  const items: unknown[] = single ? [value] : value;
  const statements: PolicyStatement[] = [];
  const sids = new Map<string, string>();
  items.forEach((item, index) => {
    const path = single ? 'Statement' : `Statement[${index}]`;
    const result: StatementProblems = validateStatement(item, { index, path, sids });
    problems.push(...result.problems);
    if (result.statement) statements.push(result.statement);
  });
  return statements;
}
