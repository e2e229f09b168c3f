/**
 * Checks of an UpdateSecurityProfile body that concern more than one field. The service model
 * states that a `delete*` flag set to true raises an exception when the same call also defines the
 * field it deletes.
 */

import type { ValidationProblem } from './behavior-problem.ts';

/** The members of an UpdateSecurityProfile body that these checks read. */
export interface SecurityProfileUpdate {
  behaviors?: unknown;
  deleteBehaviors?: unknown;
  alertTargets?: unknown;
  deleteAlertTargets?: unknown;
  additionalMetricsToRetain?: unknown;
  additionalMetricsToRetainV2?: unknown;
  deleteAdditionalMetricsToRetain?: unknown;
  metricsExportConfig?: unknown;
  deleteMetricsExportConfig?: unknown;
}

type DeleteFlag =
  | 'deleteBehaviors'
  | 'deleteAlertTargets'
  | 'deleteAdditionalMetricsToRetain'
  | 'deleteMetricsExportConfig';

const CONFLICTS: readonly { flag: DeleteFlag; fields: (keyof SecurityProfileUpdate)[] }[] = [
  { flag: 'deleteBehaviors', fields: ['behaviors'] },
  { flag: 'deleteAlertTargets', fields: ['alertTargets'] },
  {
    flag: 'deleteAdditionalMetricsToRetain',
    fields: ['additionalMetricsToRetain', 'additionalMetricsToRetainV2'],
  },
  { flag: 'deleteMetricsExportConfig', fields: ['metricsExportConfig'] },
];

/**
 * Finds `delete*` flags set to true next to a non-empty value of the field they delete. An
 * empty list or map deletes nothing and defines nothing, so it does not conflict.
 */
export function findUpdateConflicts(update: SecurityProfileUpdate): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const { flag, fields } of CONFLICTS) {
    if (update[flag] !== true) continue;
    for (const field of fields) {
      if (!isDefined(update[field])) continue;
      const message = `Cannot set "${flag}" to true and give "${field}" in the same update; remove one of them`;
      problems.push({ code: 'ConflictingUpdate', path: field, message });
    }
  }
  return problems;
}

function isDefined(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
