/**
 * `warden mitigations list | show | rollback`: reads and rolls back mitigation executions on a
 * running Warden through its REST API.
 */

import { ConnectionError, connectToWarden } from '../../client/warden-connection.ts';
import { formatExecution, formatExecutionList, formatRollback } from './execution-summary.ts';
import {
  MITIGATIONS_USAGE,
  MitigationsArgsError,
  parseMitigationsArgs,
  type MitigationsArgs,
} from './mitigations-args.ts';
import { MitigationsRequestError, WardenMitigationsClient } from './mitigations-client.ts';

/** The streams the command writes to. A terminal's width narrows the list table. */
export interface MitigationsCommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  /** Milliseconds one request may take, or the client's default when absent. */
  requestTimeoutMs?: number;
  /** The environment the signing key is looked up in; the process environment when absent. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the command and returns the exit code: 0 done, 1 Warden rejected the request, 2 usage
 * error, unreadable data directory or unreachable Warden. Errors go to standard error.
 */
export async function runMitigationsCommand(
  argv: readonly string[],
  io: MitigationsCommandIo,
): Promise<number> {
  let args: MitigationsArgs;
  try {
    args = parseMitigationsArgs(argv);
  } catch (error) {
    if (!(error instanceof MitigationsArgsError)) throw error;
    io.stderr.write(`${error.message}\n\nRun "warden mitigations --help" for usage.\n`);
    return 2;
  }
  if (args.command === 'help') {
    io.stdout.write(`${MITIGATIONS_USAGE}\n`);
    return 0;
  }

  try {
    const { location } = args;
    const connection = await connectToWarden(
      location.kind === 'endpoint'
        ? { endpoint: location.endpoint }
        : { dataDir: location.dataDir },
      io.env ?? process.env,
    );
    const client = new WardenMitigationsClient(
      connection.endpoint,
      connection.credentials,
      io.requestTimeoutMs,
    );
    io.stdout.write(await run(args, client, io));
    return 0;
  } catch (error) {
    if (error instanceof MitigationsRequestError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof MitigationsArgsError || error instanceof ConnectionError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function run(
  args: Exclude<MitigationsArgs, { command: 'help' }>,
  client: WardenMitigationsClient,
  io: MitigationsCommandIo,
): Promise<string> {
  switch (args.command) {
    case 'list': {
      const filter = args.thingName === undefined ? {} : { thingName: args.thingName };
      const executions = await client.listExecutions(filter);
      const width = io.stdout.isTTY === true ? io.stdout.columns : undefined;
      return formatExecutionList(executions, {
        ...filter,
        ...(width === undefined ? {} : { width }),
      });
    }
    case 'show':
      return formatExecution(await client.describeExecution(args.executionId));
    case 'rollback':
      return formatRollback(await client.rollBack(args.executionId));
  }
}

/** Runs `warden mitigations` on the process's streams, for the CLI entry point. */
export function runMitigationsCli(argv: readonly string[]): Promise<number> {
  return runMitigationsCommand(argv, { stdout: process.stdout, stderr: process.stderr });
}
