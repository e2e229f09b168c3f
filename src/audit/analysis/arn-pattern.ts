/**
 * ARN patterns as policies write them: six colon-separated components whose text may hold `*`
 * and `?` wildcards and `${...}` policy variables. Variable names contain colons of their own
 * (`${iot:ClientId}`), so the split must skip them.
 */

import { compileWildcardText } from '../../broker/policy/wildcard.ts';

/** The components of an ARN pattern; `resource` keeps any further colons. */
export interface ArnPatternParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** The account a policy is judged for. */
export interface ArnScope {
  region: string;
  accountId: string;
}

/** Splits an ARN pattern on its first five colons outside `${...}`; undefined for other text. */
export function splitArnPattern(pattern: string): ArnPatternParts | undefined {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < pattern.length && parts.length < 5; i++) {
    if (pattern.startsWith('${', i)) depth++;
    else if (pattern[i] === '}' && depth > 0) depth--;
    else if (pattern[i] === ':' && depth === 0) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  if (parts.length < 5) return undefined;

  const [arn, partition, service, region, account] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (arn !== 'arn') return undefined;
  return { partition, service, region, account, resource: pattern.slice(start) };
}

/**
 * Checks whether a pattern can name a resource of `service` in the scope's account. A component
 * with a variable is assumed to match, because its value is known only per request.
 */
export function patternAppliesTo(
  parts: ArnPatternParts,
  service: string,
  scope: ArnScope,
): boolean {
  return (
    componentMatches(parts.service, service) &&
    componentMatches(parts.region, scope.region) &&
    componentMatches(parts.account, scope.accountId)
  );
}

/** Checks whether a `Resource` entry can name an AWS IoT resource of the scope's account. */
export function mayNameServiceResource(pattern: string, service: string, scope: ArnScope): boolean {
  if (pattern === '*') return true;
  const parts = splitArnPattern(pattern);
  return parts !== undefined && patternAppliesTo(parts, service, scope);
}

function componentMatches(component: string, value: string): boolean {
  if (component.includes('${')) return true;
  return compileWildcardText(component).test(value);
}
