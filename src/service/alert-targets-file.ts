import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AlertTargetConfig } from '../detect/alert-target.ts';

const name = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, "_" and "-"');
const url = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL');
const fileSchema = z.strictObject({
  alertTargets: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({
        name,
        type: z.literal('webhook'),
        url,
        secret: z.string().min(16, 'must be at least 16 characters').optional(),
      }),
      z.strictObject({
        name,
        type: z.literal('mqtt'),
        topic: z
          .string()
          .min(1)
          .max(256)
          .regex(/^[^#+]+$/, 'must be a topic name without wildcards'),
      }),
    ]),
  ),
});

/**
 * Reads the alert targets file: `{"alertTargets": [{"name", "type": "webhook", "url", "secret"?}
 * | {"name", "type": "mqtt", "topic"}]}`.
 * @throws Error naming the file, the path inside it and the reason when the file is invalid.
 */
export async function readAlertTargets(file: string): Promise<AlertTargetConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read alert targets file "${file}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `Invalid alert targets file "${file}" at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
    );
  }
  const names = new Set<string>();
  for (const target of result.data.alertTargets) {
    if (names.has(target.name))
      throw new Error(
        `Invalid alert targets file "${file}": the name "${target.name}" is used twice`,
      );
    names.add(target.name);
  }
  return result.data.alertTargets as AlertTargetConfig[];
}
