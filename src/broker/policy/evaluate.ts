/**
 * One-off policy evaluation, for the API, the audit and tests. The broker binds a connection with
 * `bindContext` instead, which resolves variables once and caches decisions.
 */

import { bindContext, type PolicyDecision } from './authorizer.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import type { PolicyContext } from './policy-context.ts';

/** An action on a resource: `iot:Connect`, `iot:Publish`, `iot:Subscribe`, `iot:Receive` or any other. */
export interface PolicyRequest {
  readonly action: string;
  /** Full resource ARN, for example `arn:aws:iot:us-east-1:123456789012:topic/a/b`. */
  readonly resource: string;
}

/**
 * Decides one request against policies as AWS IoT does: an explicit Deny in any policy wins, an
 * Allow grants, and no matching statement is an implicit deny. Time keys use `context.now`.
 */
export function evaluate(
  policies: readonly CompiledPolicy[],
  request: PolicyRequest,
  context: PolicyContext,
): PolicyDecision {
  const authorizer = bindContext(policies, context, {
    clock: { now: () => context.now },
    cacheSize: 0,
  });
  return authorizer.authorize(request.action, request.resource);
}
