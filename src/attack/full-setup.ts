/**
 * The setup with every audit check, one behavior per built-in metric and one action per type,
 * which shows the whole reach of the catalog (tests compare against it).
 */

import { ALL_CHECKS } from '../audit/checks/index.ts';
import { BUILT_IN_METRICS } from '../detect/metric-catalog.ts';
import { MITIGATION_ACTION_TYPES } from '../mitigate/mitigation-types.ts';
import type { RunningSetup } from './coverage.ts';

/** Builds the setup with every signal Warden has, behaviors in one profile named `fleet`. */
export function fullSetup(): RunningSetup {
  return {
    enabledChecks: ALL_CHECKS.map((check) => check.name),
    behaviors: BUILT_IN_METRICS.map((metric) => ({
      profile: 'fleet',
      name: metric.name.replace('aws:', ''),
      metric: metric.name,
    })),
    mitigationActions: MITIGATION_ACTION_TYPES.map((type) => ({ name: type.toLowerCase(), type })),
  };
}
