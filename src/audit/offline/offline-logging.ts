/**
 * Reads `logging.json`: the account's logging options, as `aws iot get-v2-logging-options` prints
 * them (`{ roleArn, defaultLogLevel, disableAllLogs }`). The older `aws iot get-logging-options`
 * output (`{ roleArn, logLevel }`) is accepted too and read as the same V2 settings.
 */

import { z } from 'zod';
import { zodProblems } from '../../registry/iam/document-problems.ts';
import type { LoggingOptions } from '../../registry/types.ts';
import type { OfflineProblem } from './offline-inputs.ts';

const logLevel = z.enum(['DEBUG', 'INFO', 'ERROR', 'WARN', 'DISABLED']);

const v2Schema = z.looseObject({
  roleArn: z.string().optional(),
  defaultLogLevel: logLevel,
  disableAllLogs: z.boolean().optional(),
});

const v1Schema = z.looseObject({
  roleArn: z.string().optional(),
  logLevel,
});

/** Reads the logging options, or adds a problem and returns undefined. */
export function readLoggingFile(
  file: string,
  document: unknown,
  problems: OfflineProblem[],
): LoggingOptions | undefined {
  const v1 = typeof document === 'object' && document !== null && 'logLevel' in document;
  if (v1) {
    const parsed = v1Schema.safeParse(document);
    if (parsed.success)
      return withRole(
        { defaultLogLevel: parsed.data.logLevel, disableAllLogs: false },
        parsed.data,
      );
    return report(parsed.error.issues);
  }
  const parsed = v2Schema.safeParse(document);
  if (!parsed.success) return report(parsed.error.issues);
  const { defaultLogLevel, disableAllLogs } = parsed.data;
  return withRole({ defaultLogLevel, disableAllLogs: disableAllLogs ?? false }, parsed.data);

  function report(issues: z.core.$ZodIssue[]): undefined {
    for (const problem of zodProblems(issues, document))
      problems.push({ file, message: problem.message });
    return undefined;
  }
}

function withRole(options: LoggingOptions, data: { roleArn?: string | undefined }): LoggingOptions {
  return data.roleArn === undefined ? options : { ...options, roleArn: data.roleArn };
}
