import { z } from 'zod';

/** Request fields of the mitigation operations, with the service model's lengths and patterns. */

export const actionName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

/** `MitigationActionsTaskId`, shared by audit and Detect mitigation tasks. */
export const mitigationTaskId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

export const clientRequestToken = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-_]+$/);

export const auditTaskId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-zA-Z0-9-]+$/);

export const findingId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

export const violationId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9-]+$/);

export const profileOrBehaviorName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9:_-]+$/);

/** `DeviceDefenderThingName`: 1 to 128 characters, no pattern. */
export const defenderThingName = z.string().min(1).max(128);

export const checkName = z.string().min(1).max(128);

/** JSON timestamps are epoch seconds. */
export const epochSeconds = z.number().nonnegative();
