/**
 * IAM permission policy documents, the identity-based policies attached to a role. The statement
 * grammar (Effect, Action/NotAction, Resource/NotResource, Condition) is the one AWS IoT policies
 * share, so statements are checked by the broker's validator. The document rules differ: IAM
 * documents are larger, and a permission policy names no Principal.
 *
 * Source: IAM User Guide, "IAM JSON policy element reference" and "IAM and AWS STS quotas".
 */

import {
  POLICY_VERSIONS,
  type PolicyDocument,
  type PolicyProblem,
  type PolicyStatement,
  type PolicyValidation,
  type PolicyVersion,
} from '../../broker/policy/policy-document.ts';
import {
  isObject,
  problem,
  show,
  validateStatement,
} from '../../broker/policy/policy-statement.ts';

/**
 * The IAM quota for the inline policies of one role together, counted without whitespace.
 * NOTE: a managed policy is limited to 6,144 characters; Warden cannot tell the two apart, so it
 * applies the larger limit to each document.
 */
export const MAX_IAM_POLICY_CHARACTERS = 10_240;

const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const PRINCIPAL_ELEMENTS = ['Principal', 'NotPrincipal'];

/** A checked permission document: the parsed form, and the JSON text Warden stores. */
export interface IamPolicyValidation extends PolicyValidation {
  /** Compact JSON of the document, set when it is valid. */
  readonly text?: string;
}

/**
 * Validates one permission document, given as a JSON object or as JSON text, and collects every
 * problem. Problem paths are relative to the document, such as `Statement[0].Effect`.
 */
export function validateIamPolicyDocument(value: unknown): IamPolicyValidation {
  const json = typeof value === 'string' ? parseJson(value) : { value };
  if ('problem' in json) return { problems: [json.problem] };
  if (!isObject(json.value)) {
    return { problems: [problem('invalid-type', '', 'the document is not a JSON object')] };
  }

  const text = JSON.stringify(json.value);
  const length = text.replace(/\s+/g, '').length;
  if (length > MAX_IAM_POLICY_CHARACTERS) {
    const message = `the document has ${length} characters excluding whitespace, more than the maximum of ${MAX_IAM_POLICY_CHARACTERS}`;
    return { problems: [problem('too-long', '', message)] };
  }

  const problems: PolicyProblem[] = [];
  const document = validateDocument(json.value, problems);
  return document === undefined || problems.length > 0
    ? { problems }
    : { document, text, problems };
}

function parseJson(text: string): { value: unknown } | { problem: PolicyProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: problem('invalid-json', '', 'the document is not valid JSON') };
  }
}

function validateDocument(
  json: Record<string, unknown>,
  problems: PolicyProblem[],
): PolicyDocument | undefined {
  for (const element of Object.keys(json)) {
    if (!DOCUMENT_ELEMENTS.has(element)) {
      problems.push(
        problem('unknown-element', '', `the document has unknown element ${show(element)}`),
      );
    }
  }
  const version = validateVersion(json['Version'], problems);
  const id = json['Id'];
  if (id !== undefined && typeof id !== 'string') {
    problems.push(problem('invalid-type', 'Id', `Id ${show(id)} is not a string`));
  }
  const statements = validateStatements(json['Statement'], problems);
  if (version === undefined || statements === undefined) return undefined;
  return typeof id === 'string' ? { version, id, statements } : { version, statements };
}

function validateVersion(value: unknown, problems: PolicyProblem[]): PolicyVersion | undefined {
  if (typeof value === 'string' && (POLICY_VERSIONS as readonly string[]).includes(value)) {
    return value as PolicyVersion;
  }
  if (value === undefined) {
    problems.push(problem('missing', 'Version', 'the document has no "Version"'));
  } else {
    const message = `Version ${show(value)} is not "2012-10-17" or "2008-10-17"`;
    problems.push(problem('invalid-value', 'Version', message));
  }
  return undefined;
}

function validateStatements(
  value: unknown,
  problems: PolicyProblem[],
): PolicyStatement[] | undefined {
  const single = isObject(value);
  if (!single && !(Array.isArray(value) && value.length > 0)) {
    problems.push(statementListProblem(value));
    return undefined;
  }

  const items: unknown[] = single ? [value] : (value as unknown[]);
  const sids = new Map<string, string>();
  const statements: PolicyStatement[] = [];
  items.forEach((item, index) => {
    const path = single ? 'Statement' : `Statement[${index}]`;
    const result = validateStatement(withoutPrincipal(item, path, problems), { index, path, sids });
    problems.push(...result.problems);
    if (result.statement) statements.push(result.statement);
  });
  return statements;
}

function statementListProblem(value: unknown): PolicyProblem {
  if (value === undefined)
    return problem('missing', 'Statement', 'the document has no "Statement"');
  if (Array.isArray(value)) return problem('empty', 'Statement', 'Statement is an empty array');
  const message = `Statement ${show(value)} is not an object or an array of objects`;
  return problem('invalid-type', 'Statement', message);
}

/** Reports a Principal, which only resource-based and trust policies may name, and drops it. */
function withoutPrincipal(item: unknown, path: string, problems: PolicyProblem[]): unknown {
  if (!isObject(item)) return item;
  const rest = { ...item };
  for (const element of PRINCIPAL_ELEMENTS) {
    if (!(element in rest)) continue;
    const message = `${path} has ${show(element)}, which IAM permission policies do not support`;
    problems.push(problem('unsupported-element', `${path}.${element}`, message));
    delete rest[element];
  }
  return rest;
}
