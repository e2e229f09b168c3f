/**
 * Operations of the service model that Warden rejects without serving them: a clear error that
 * names the operation and the reason, never a success that could be taken for a result.
 */

import { invalidRequest } from '../core/errors.ts';
import type { HttpMethod, Route } from './route.ts';

/**
 * Builds a route that rejects every call with InvalidRequestException (an error type every one of these
 * operations lists), so clients get a modeled error rather than a 404 or a made-up result.
 */
export function notImplementedRoute(
  operation: string,
  method: HttpMethod,
  path: string,
  reason: string,
): Route {
  return {
    operation,
    method,
    path,
    notImplemented: reason,
    handler: () => {
      throw invalidRequest(`${operation} is not implemented by Warden: ${reason}`);
    },
  };
}

/** Lists every operation Warden rejects this way. */
export function notImplementedRoutes(): Route[] {
  return [
    notImplementedRoute(
      'GetBehaviorModelTrainingSummaries',
      'GET',
      '/behavior-model-training/summaries',
      'ML Detect behaviors are stored and validated, but no models are trained',
    ),
  ];
}
