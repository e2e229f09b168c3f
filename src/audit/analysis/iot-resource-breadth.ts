/**
 * Decides whether a policy resource gives a data-plane action access to many devices. The rules
 * follow the compliant and non-compliant examples of the IoT policy and Cognito role check pages:
 * a wildcard where the client ID or thing name goes is broad, and so is `${iot:ClientId}` in
 * `client/` unless the statement requires `iot:Connection.Thing.IsAttached`. A wildcard after a
 * literal prefix (`thing/MyThing*`) and a variable bound to the connection
 * (`${iot:Connection.Thing.ThingName}`) keep a resource scoped.
 *
 * NOTE: for topics outside `$aws/things/` AWS publishes no rule; Warden reports only names that
 * begin with `*` and topic filters whose first level is `#` or `+`.
 */

import type { PolicyStatement } from '../../broker/policy/policy-document.ts';
import { parseTemplate, type Template } from '../../broker/policy/policy-variables.ts';
import { patternAppliesTo, splitArnPattern, type ArnScope } from './arn-pattern.ts';
import { THING_DATA_ACTIONS } from './iot-action-lists.ts';

/** The AWS IoT resource types that data-plane actions name. */
export type IotResourceKind = 'client' | 'topic' | 'topicfilter' | 'thing';

/** The resource type each list D and list E action names, keyed by lowercase action. */
export const RESOURCE_KIND_OF_ACTION: ReadonlyMap<string, IotResourceKind> = new Map([
  ['iot:connect', 'client'],
  ['iot:publish', 'topic'],
  ['iot:subscribe', 'topicfilter'],
  ...THING_DATA_ACTIONS.map((action): [string, IotResourceKind] => [action.toLowerCase(), 'thing']),
]);

/** Returns the resource type a list D or list E action names, or undefined for other actions. */
export function resourceKindOf(action: string): IotResourceKind | undefined {
  return RESOURCE_KIND_OF_ACTION.get(action.toLowerCase());
}

/** Options of the breadth rules besides the pattern itself. */
export interface BreadthOptions extends ArnScope {
  /** False for policy language `2008-10-17`, where `${...}` is literal text. */
  variables: boolean;
  /** Whether the statement requires `iot:Connection.Thing.IsAttached` to be true. */
  requiresAttachedThing: boolean;
}

type Atom = { char: string } | { wildcard: '*' | '?' } | { variable: string };

const RESERVED_THING_TOPICS = '$aws/things/';
const IS_ATTACHED_KEY = 'iot:connection.thing.isattached';

/** Returns why a resource pattern reaches many devices, or undefined when it is scoped or does not apply. */
export function broadAccessReason(
  kind: IotResourceKind,
  pattern: string,
  options: BreadthOptions,
): string | undefined {
  if (pattern === '*') return 'the resource is "*"';
  const parts = splitArnPattern(pattern);
  if (parts === undefined || !patternAppliesTo(parts, 'iot', options)) return undefined;

  const resource = atomsOf(parseTemplate(parts.resource, options.variables));
  const prefix = `${kind}/`;
  for (let i = 0; i < prefix.length; i++) {
    const atom = resource[i];
    if (atom !== undefined && isWildcard(atom, '*')) return 'the resource type is a wildcard';
    if (atom === undefined || !(isWildcard(atom, '?') || isChar(atom, prefix[i]))) return undefined;
  }

  const name = resource.slice(prefix.length);
  if (kind === 'client') return clientReason(name, options);
  if (kind === 'thing')
    return startsWithWildcard(name) ? 'the thing name is a wildcard' : undefined;
  return topicReason(name, kind === 'topicfilter');
}

/** Checks whether a statement only applies when the certificate is attached to the client's thing. */
export function requiresAttachedThing(statement: PolicyStatement): boolean {
  return statement.conditions.some(
    ({ operator, key, values }) =>
      key.toLowerCase() === IS_ATTACHED_KEY &&
      !operator.negated &&
      operator.qualifier === undefined &&
      (operator.family === 'Bool' ||
        (operator.family === 'String' && operator.comparison !== 'like')) &&
      values.length > 0 &&
      values.every((value) => value.toLowerCase() === 'true'),
  );
}

function clientReason(name: Atom[], options: BreadthOptions): string | undefined {
  if (startsWithWildcard(name)) return 'the client ID is a wildcard';
  const first = name[0];
  if (first && 'variable' in first && first.variable === 'iot:clientid') {
    if (options.requiresAttachedThing) return undefined;
    return 'any client ID matches ${iot:ClientId} without the condition iot:Connection.Thing.IsAttached = true';
  }
  return undefined;
}

/** Applies the reserved-topic rule, then the rule for other topics. */
function topicReason(name: Atom[], isFilter: boolean): string | undefined {
  for (let i = 0; i < RESERVED_THING_TOPICS.length; i++) {
    const atom = name[i];
    if (atom === undefined || 'variable' in atom) return undefined;
    if (isWildcard(atom, '*')) {
      return i === 0
        ? `the ${isFilter ? 'topic filter' : 'topic'} is a wildcard`
        : `the wildcard after "${RESERVED_THING_TOPICS.slice(0, i)}" covers the reserved topics of every thing`;
    }
    if (isFilter && isMqttWildcardLevel(name, i)) {
      const char = (atom as { char: string }).char;
      if (i === 0) return `the topic filter's first level is the MQTT wildcard "${char}"`;
      if (char === '#') {
        return `the MQTT wildcard "#" after "${RESERVED_THING_TOPICS.slice(0, i)}" covers the reserved topics of every thing`;
      }
    }
    if (!isWildcard(atom, '?') && !isChar(atom, RESERVED_THING_TOPICS[i])) return undefined;
  }

  const thingLevel = RESERVED_THING_TOPICS.length;
  const first = name[thingLevel];
  if (first !== undefined && 'wildcard' in first) {
    return `the thing name level of "${RESERVED_THING_TOPICS}" is a wildcard`;
  }
  if (isFilter && isMqttWildcardLevel(name, thingLevel)) {
    const char = (first as { char: string }).char;
    return `the thing name level of "${RESERVED_THING_TOPICS}" is the MQTT wildcard "${char}"`;
  }
  return undefined;
}

/** Checks whether the level starting at `index` is exactly `+` or `#`, which MQTT reads as wildcards. */
function isMqttWildcardLevel(name: Atom[], index: number): boolean {
  const atom = name[index];
  if (atom === undefined || !(isChar(atom, '+') || isChar(atom, '#'))) return false;
  const levelStart = index === 0 || isChar(name[index - 1], '/');
  const next = name[index + 1];
  return levelStart && (next === undefined || isChar(next, '/'));
}

function atomsOf(template: Template): Atom[] {
  const atoms: Atom[] = [];
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      atoms.push({ variable: part.name.toLowerCase() });
      continue;
    }
    for (const char of part.text) {
      const wildcard = part.kind === 'text' && (char === '*' || char === '?');
      atoms.push(wildcard ? { wildcard: char } : { char });
    }
  }
  return atoms;
}

function startsWithWildcard(name: Atom[]): boolean {
  const first = name[0];
  return first !== undefined && 'wildcard' in first;
}

function isWildcard(atom: Atom, wildcard: '*' | '?'): boolean {
  return 'wildcard' in atom && atom.wildcard === wildcard;
}

function isChar(atom: Atom | undefined, char: string | undefined): boolean {
  return atom !== undefined && 'char' in atom && atom.char === char;
}
