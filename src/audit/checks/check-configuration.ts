/**
 * Validation and reading of the `configuration` map that UpdateAccountAuditConfiguration stores per
 * check. Only the expiration and age checks take a key, each a whole number of days as a string.
 */

import { WardenError } from '../../core/errors.ts';

type Validator = (configuration: Record<string, string>) => string | undefined;

/** A whole-number day threshold that one check takes. */
export interface DayThreshold {
  checkName: string;
  key: string;
  defaultDays: number;
  minDays: number;
  maxDays: number;
}

/** Builds the validator of a check that takes no configuration: every key is rejected. */
export function rejectsConfiguration(checkName: string): Validator {
  return (configuration) => {
    const [key] = Object.keys(configuration);
    return key === undefined
      ? undefined
      : `Invalid configuration key "${key}" for ${checkName}: the check takes no configuration`;
  };
}

/** Builds the validator of a check whose only key is a day threshold. */
export function validatesDayThreshold(threshold: DayThreshold): Validator {
  return (configuration) => {
    for (const key of Object.keys(configuration)) {
      if (key !== threshold.key) {
        return `Invalid configuration key "${key}" for ${threshold.checkName}: the only key is ${threshold.key}`;
      }
    }
    const value = configuration[threshold.key];
    return value === undefined ? undefined : thresholdProblem(threshold, value);
  };
}

/**
 * Reads a day threshold, or its default when the key is absent.
 * @throws {WardenError} InvalidRequestException when the value is out of range or not a number.
 */
export function readDayThreshold(
  threshold: DayThreshold,
  configuration: Record<string, string>,
): number {
  const value = configuration[threshold.key];
  if (value === undefined) return threshold.defaultDays;
  const problem = thresholdProblem(threshold, value);
  if (problem !== undefined) throw new WardenError('InvalidRequestException', problem);
  return Number(value);
}

function thresholdProblem(threshold: DayThreshold, value: string): string | undefined {
  const days = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (days >= threshold.minDays && days <= threshold.maxDays) return undefined;
  return `Invalid ${threshold.key} "${value}" for ${threshold.checkName}: must be a whole number of days from ${threshold.minDays} to ${threshold.maxDays}`;
}
