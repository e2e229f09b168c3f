/**
 * Deny statements in IoT policies that do not deny what their authors meant, as the IoT policy
 * misconfiguration check page describes. IoT policies match `+` and `#` as literal characters, so
 * a Deny on `topicfilter/a/#` blocks only the filter string `a/#`. And a Deny on
 * `topicfilter/a/secret/*` does not stop a subscription to `a/#`, which still delivers the
 * messages of `a/secret/...` when iot:Receive allows them.
 *
 * The bypass is found with the policy engine itself. For a topic under the denied prefix, Warden
 * checks whether a wider MQTT filter (`#`, `a/#`, `+/secret/x`, …) may be subscribed to and
 * whether iot:Receive allows the topic. The probe client's thing is attached and has the client's
 * name, so thing variables resolve.
 */

import { compilePolicy } from '../../broker/policy/compiled-policy.ts';
import { evaluate } from '../../broker/policy/evaluate.ts';
import { variableValue, type PolicyContext } from '../../broker/policy/policy-context.ts';
import type { PolicyDocument, PolicyStatement } from '../../broker/policy/policy-document.ts';
import { parseTemplate, resolvePattern } from '../../broker/policy/policy-variables.ts';
import { iotArnPrefix } from '../../broker/policy/resource-arn.ts';
import { patternAppliesTo, splitArnPattern, type ArnScope } from './arn-pattern.ts';
import { coveredActions } from './iot-action-lists.ts';

/** A Deny statement resource that misses what it was meant to deny. */
export interface DenyProblem {
  statement: PolicyStatement;
  actions: string[];
  resource: string;
  /** For a bypass: the MQTT filter that is allowed and a topic it still receives. */
  bypass?: { topicFilter: string; topic: string };
}

/** The actions whose resources are topics or topic filters. */
const TOPIC_ACTIONS = ['iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:RetainPublish'];
const TOPIC_TYPES = ['topic/', 'topicfilter/'];
/** The client the bypass probe evaluates for; its thing has the same name. */
const PROBE_CLIENT = 'audit-probe';
/** The last topic level the probe appends under a denied prefix. */
const PROBE_LEVEL = 'sample';

/** Finds Deny statements whose topic or topic filter resources contain `+` or `#`. */
export function wildcardDenials(document: PolicyDocument, scope: ArnScope): DenyProblem[] {
  const problems: DenyProblem[] = [];
  for (const statement of denyStatements(document)) {
    const actions = coveredActions(statement.actions, TOPIC_ACTIONS);
    if (actions.length === 0) continue;
    for (const resource of statement.resources.patterns) {
      const parts = splitArnPattern(resource);
      if (parts === undefined || !patternAppliesTo(parts, 'iot', scope)) continue;
      if (!TOPIC_TYPES.some((type) => parts.resource.startsWith(type))) continue;
      const template = parseTemplate(parts.resource, document.version === '2012-10-17');
      const literalText = template.parts
        .filter((part) => part.kind === 'text')
        .map((part) => part.text)
        .join('');
      if (/[+#]/.test(literalText)) problems.push({ statement, actions, resource });
    }
  }
  return problems;
}

/** Finds Deny statements on `topicfilter/P*` that an allowed MQTT wildcard filter gets around. */
export function bypassedDenials(
  policyName: string,
  document: PolicyDocument,
  scope: ArnScope,
  now: number,
): DenyProblem[] {
  const policy = compilePolicy(policyName, document);
  const context: PolicyContext = {
    clientId: PROBE_CLIENT,
    thingName: PROBE_CLIENT,
    isAttached: true,
    region: scope.region,
    accountId: scope.accountId,
    now,
  };
  const arn = iotArnPrefix(context);
  const allows = (action: string, resource: string) =>
    evaluate([policy], { action, resource: `${arn}${resource}` }, context).decision === 'allow';

  const problems: DenyProblem[] = [];
  for (const statement of denyStatements(document)) {
    if (coveredActions(statement.actions, ['iot:Subscribe']).length === 0) continue;
    for (const resource of statement.resources.patterns) {
      const prefix = deniedFilterPrefix(resource, document, context, scope);
      if (prefix === undefined) continue;
      const topic = `${prefix}${PROBE_LEVEL}`;
      if (!allows('iot:Receive', `topic/${topic}`)) continue;
      const topicFilter = widerFilters(topic).find((filter) =>
        allows('iot:Subscribe', `topicfilter/${filter}`),
      );
      if (topicFilter === undefined) continue;
      problems.push({
        statement,
        actions: ['iot:Subscribe'],
        resource,
        bypass: { topicFilter, topic },
      });
    }
  }
  return problems;
}

function denyStatements(document: PolicyDocument): PolicyStatement[] {
  return document.statements.filter(
    (statement) => statement.effect === 'Deny' && !statement.resources.negated,
  );
}

/**
 * Returns the literal topic filter text before the first policy wildcard of a
 * `topicfilter/...*` resource, with the probe's variables substituted.
 */
function deniedFilterPrefix(
  resource: string,
  document: PolicyDocument,
  context: PolicyContext,
  scope: ArnScope,
): string | undefined {
  const parts = splitArnPattern(resource);
  if (parts === undefined || !patternAppliesTo(parts, 'iot', scope)) return undefined;
  const template = parseTemplate(parts.resource, document.version === '2012-10-17');
  const pieces = resolvePattern(template, (name) => variableValue(context, name, context.now));
  const wildcard = pieces?.findIndex((piece) => typeof piece !== 'string') ?? -1;
  if (pieces === undefined || wildcard < 0) return undefined;

  const literal = pieces.slice(0, wildcard).join('');
  if (!literal.startsWith('topicfilter/')) return undefined;
  const prefix = literal.slice('topicfilter/'.length);
  return /[+#]/.test(prefix) ? undefined : prefix;
}

/**
 * Lists MQTT filters wider than one topic: `#` after each shorter run of levels, then `+` in place
 * of each level. Filters that begin with a wildcard do not match topics that begin with `$`
 * (MQTT 3.1.1 section 4.7.2), so those are left out for such topics.
 */
function widerFilters(topic: string): string[] {
  const levels = topic.split('/');
  const filters: string[] = [];
  for (let kept = 0; kept < levels.length; kept++) {
    filters.push([...levels.slice(0, kept), '#'].join('/'));
  }
  for (let replaced = 0; replaced < levels.length; replaced++) {
    filters.push(levels.map((level, i) => (i === replaced ? '+' : level)).join('/'));
  }
  if (!topic.startsWith('$')) return filters;
  return filters.filter((filter) => !filter.startsWith('#') && !filter.startsWith('+'));
}
