/**
 * IAM condition operators as AWS IoT policies use them: the operator table, value validation, and
 * the comparison each operator makes between a request-context value and the policy values.
 *
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators" and "Creating a
 * condition with multiple keys or values": a missing key makes a condition false, except that
 * negated operators are then true, `...IfExists` is then true, `ForAllValues:` is then true and
 * `Null` tests presence itself.
 */

import { BlockList, isIP } from 'node:net';

import { compileWildcard, type PatternPiece, type WildcardMatcher } from './wildcard.ts';

/** The families of operators; they decide how values are parsed and compared. */
export type OperatorFamily =
  'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

type Comparison =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'like'
  | 'lessThan'
  | 'lessThanEquals'
  | 'greaterThan'
  | 'greaterThanEquals';

/** A parsed operator name such as `ForAnyValue:StringNotLikeIfExists`. */
export interface ConditionOperator {
  readonly name: string;
  readonly base: string;
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  /** True for the `Not` operators, which hold when no policy value matches. */
  readonly negated: boolean;
  readonly qualifier?: 'ForAnyValue' | 'ForAllValues';
  readonly ifExists: boolean;
}

type BaseOperator = Pick<ConditionOperator, 'family' | 'comparison' | 'negated'>;

const BASE_OPERATORS = new Map<string, BaseOperator>();
function define(
  name: string,
  family: OperatorFamily,
  comparison: Comparison,
  negated = false,
): void {
  BASE_OPERATORS.set(name, { family, comparison, negated });
}
define('StringEquals', 'String', 'equals');
define('StringNotEquals', 'String', 'equals', true);
define('StringEqualsIgnoreCase', 'String', 'equalsIgnoreCase');
define('StringNotEqualsIgnoreCase', 'String', 'equalsIgnoreCase', true);
define('StringLike', 'String', 'like');
define('StringNotLike', 'String', 'like', true);
for (const family of ['Numeric', 'Date'] as const) {
  define(`${family}Equals`, family, 'equals');
  define(`${family}NotEquals`, family, 'equals', true);
  define(`${family}LessThan`, family, 'lessThan');
  define(`${family}LessThanEquals`, family, 'lessThanEquals');
  define(`${family}GreaterThan`, family, 'greaterThan');
  define(`${family}GreaterThanEquals`, family, 'greaterThanEquals');
}
define('Bool', 'Bool', 'equalsIgnoreCase');
define('BinaryEquals', 'Binary', 'equals');
define('IpAddress', 'IpAddress', 'equals');
define('NotIpAddress', 'IpAddress', 'equals', true);
// ArnEquals and ArnLike behave identically: both accept wildcards in each ARN component.
define('ArnEquals', 'Arn', 'like');
define('ArnLike', 'Arn', 'like');
define('ArnNotEquals', 'Arn', 'like', true);
define('ArnNotLike', 'Arn', 'like', true);
define('Null', 'Null', 'equals');

const QUALIFIERS = ['ForAnyValue', 'ForAllValues'] as const;

/** Parses an operator name, or returns `undefined` for an unknown one. Names are case-sensitive. */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let qualifier: ConditionOperator['qualifier'];
  for (const candidate of QUALIFIERS) {
    if (rest.startsWith(`${candidate}:`)) {
      qualifier = candidate;
      rest = rest.slice(candidate.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const definition = BASE_OPERATORS.get(base);
  if (definition === undefined) return undefined;
  if (base === 'Null' && (ifExists || qualifier !== undefined)) return undefined;

  const operator = { name, base, ...definition, ifExists };
  return qualifier === undefined ? operator : { ...operator, qualifier };
}

/** Checks whether this operator's values take policy variables: IAM allows them for String, ARN and Bool. */
export function acceptsVariables(operator: ConditionOperator): boolean {
  return operator.family === 'String' || operator.family === 'Arn' || operator.family === 'Bool';
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const EPOCH_SECONDS = /^\d+$/;
const ISO_DATE =
  /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Returns why a policy value is invalid for the operator (for example "is not a number"), if it is. */
export function conditionValueProblem(
  operator: ConditionOperator,
  value: string,
): string | undefined {
  const hasVariable = acceptsVariables(operator) && value.includes('${');
  switch (operator.family) {
    case 'Numeric':
      return NUMBER.test(value) ? undefined : 'is not a number';
    case 'Date':
      return parseDate(value) === undefined
        ? 'is not an ISO 8601 date or epoch seconds'
        : undefined;
    case 'Bool':
      return hasVariable || /^(?:true|false)$/i.test(value)
        ? undefined
        : 'is not "true" or "false"';
    case 'Null':
      return value === 'true' || value === 'false' ? undefined : 'is not "true" or "false"';
    case 'Binary':
      return BASE64.test(value) ? undefined : 'is not base64';
    case 'IpAddress':
      return parseCidr(value) === undefined ? 'is not an IP address or CIDR block' : undefined;
    case 'Arn':
      return hasVariable || value === '*' || arnComponents(value) !== undefined
        ? undefined
        : 'is not an ARN';
    case 'String':
      return undefined;
  }
}

/**
 * Parses a date value: epoch seconds when all digits, otherwise a W3C ISO 8601 profile date.
 * NOTE: IAM accepts both forms without saying how it reads a bare four-digit value; this reads
 * every all-digit value as epoch seconds.
 */
export function parseDate(value: string): number | undefined {
  if (EPOCH_SECONDS.test(value)) return Number(value) * 1000;
  if (!ISO_DATE.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a /32 or /128 block). */
export function parseCidr(value: string): Cidr | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const maximum = version === 4 ? 32 : 128;
  if (slash === -1) return { address, prefix: maximum, family };

  const prefixText = value.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > maximum) return undefined;
  return { address, prefix, family };
}

/** Splits an ARN into its six components; the last keeps any further colons. */
export function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Tests one request-context value against every policy value of a clause; true when any matches. */
export type ValueTest = (contextValue: string) => boolean;

/** A resolved policy value: wildcard pieces, so that `${*}` stays a literal `*` in `StringLike`. */
export type ResolvedValue = readonly PatternPiece[];

/** Builds the positive test for resolved policy values (the `Not` operators negate it later). */
export function buildValueTest(
  operator: ConditionOperator,
  values: readonly ResolvedValue[],
): ValueTest {
  const texts = values.map(piecesText);
  switch (operator.family) {
    case 'String':
      return operator.comparison === 'like'
        ? likeTest(values)
        : stringTest(operator.comparison, texts);
    case 'Bool':
      return stringTest('equalsIgnoreCase', texts);
    case 'Arn':
      return arnTest(values);
    case 'Numeric':
      return orderedTest(operator.comparison, texts.map(Number), parseNumber);
    case 'Date':
      return orderedTest(
        operator.comparison,
        texts.map((text) => parseDate(text) ?? NaN),
        parseDate,
      );
    case 'IpAddress':
      return ipTest(texts);
    case 'Binary': {
      const expected = new Set(texts);
      return (value) => expected.has(Buffer.from(value, 'utf8').toString('base64'));
    }
    case 'Null':
      // The value tested is "true" when the key is absent and "false" when it is present.
      return stringTest('equals', texts);
  }
}

/** Renders pieces as the policy wrote them, for operators where `*` and `?` are plain characters. */
export function piecesText(pieces: ResolvedValue): string {
  return pieces.map((piece) => (typeof piece === 'string' ? piece : piece.wildcard)).join('');
}

function likeTest(values: readonly ResolvedValue[]): ValueTest {
  const matchers = values.map((pieces) => compileWildcard(pieces));
  return (value) => matchers.some((matcher) => matcher.test(value));
}

function stringTest(comparison: Comparison, values: readonly string[]): ValueTest {
  if (comparison === 'equalsIgnoreCase') {
    const expected = new Set(values.map((value) => value.toLowerCase()));
    return (value) => expected.has(value.toLowerCase());
  }
  const expected = new Set(values);
  return (value) => expected.has(value);
}

/** ARN operators match each of the six colon-separated components on its own. */
function arnTest(values: readonly ResolvedValue[]): ValueTest {
  const patterns: WildcardMatcher[][] = [];
  let matchesAll = false;
  for (const pieces of values) {
    if (piecesText(pieces) === '*' && typeof pieces[0] !== 'string') matchesAll = true;
    const components = pieceComponents(pieces);
    if (components) patterns.push(components.map((component) => compileWildcard(component)));
  }
  return (value) => {
    if (matchesAll) return true;
    const components = arnComponents(value);
    if (components === undefined) return false;
    return patterns.some((pattern) =>
      pattern.every((matcher, i) => matcher.test(components[i] ?? '')),
    );
  };
}

/** Splits pattern pieces at the first five colons, like {@link arnComponents} splits an ARN. */
function pieceComponents(pieces: ResolvedValue): PatternPiece[][] | undefined {
  const components: PatternPiece[][] = [[]];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      components[components.length - 1]?.push(piece);
      continue;
    }
    const parts = piece.split(':');
    parts.forEach((part, i) => {
      if (i > 0 && components.length < 6) components.push([]);
      else if (i > 0) components[5]?.push(':');
      components[components.length - 1]?.push(part);
    });
  }
  if (components.length < 6 || piecesText(components[0] ?? []) !== 'arn') return undefined;
  return components;
}

function parseNumber(value: string): number | undefined {
  return NUMBER.test(value) ? Number(value) : undefined;
}

function orderedTest(
  comparison: Comparison,
  expected: readonly number[],
  parse: (value: string) => number | undefined,
): ValueTest {
  return (text) => {
    const actual = parse(text);
    if (actual === undefined) return false;
    return expected.some((limit) => compare(comparison, actual, limit));
  };
}

function compare(comparison: Comparison, actual: number, limit: number): boolean {
  switch (comparison) {
    case 'lessThan':
      return actual < limit;
    case 'lessThanEquals':
      return actual <= limit;
    case 'greaterThan':
      return actual > limit;
    case 'greaterThanEquals':
      return actual >= limit;
    default:
      return actual === limit;
  }
}

/** IPv4 blocks also match IPv4-mapped IPv6 addresses such as `::ffff:203.0.113.7`. */
function ipTest(values: readonly string[]): ValueTest {
  const blocks = new BlockList();
  for (const value of values) {
    const cidr = parseCidr(value);
    if (cidr) blocks.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return (value) => {
    const version = isIP(value);
    return version !== 0 && blocks.check(value, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * Decides one condition clause for a key value, applying the missing-key rules, the `Not`
 * negation and the `ForAnyValue:`/`ForAllValues:` set qualifiers. Without a qualifier, a
 * list-valued key holds for a positive operator when any item matches and for a `Not` operator
 * when no item matches.
 */
export function clauseHolds(
  operator: ConditionOperator,
  test: ValueTest,
  contextValue: string | readonly string[] | undefined,
): boolean {
  const items =
    contextValue === undefined
      ? []
      : typeof contextValue === 'string'
        ? [contextValue]
        : contextValue;
  if (operator.family === 'Null') return test(items.length === 0 ? 'true' : 'false');
  if (items.length === 0) {
    if (operator.ifExists || operator.qualifier === 'ForAllValues') return true;
    if (operator.qualifier === 'ForAnyValue') return false;
    return operator.negated;
  }

  const itemHolds = (item: string): boolean => test(item) !== operator.negated;
  if (operator.qualifier === 'ForAllValues') return items.every(itemHolds);
  if (operator.qualifier === 'ForAnyValue' || !operator.negated) return items.some(itemHolds);
  return items.every(itemHolds);
}
