/** Wires `warden audit` to the process: its streams, its environment and the shipped checks. */

import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { runAuditCommand } from './audit-command.ts';

/** Runs `warden audit` for the CLI entry point and returns the exit code. */
export function runAuditCli(argv: readonly string[]): Promise<number> {
  return runAuditCommand(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    checks: ALL_CHECKS,
  });
}
