/**
 * `warden apply -f FILE_OR_DIR` and `warden export`: configuration as code for a running
 * Warden, through its signed REST API.
 */

import { writeFile } from 'node:fs/promises';
import { WardenApiClient, WardenApiError } from '../../client/warden-api-client.ts';
import { ConnectionError, connectToWarden } from '../../client/warden-connection.ts';
import { applySteps, describeStep, planSteps } from '../../config-as-code/apply-plan.ts';
import { exportDocument, renderFleet } from '../../config-as-code/export-fleet.ts';
import { FleetApi } from '../../config-as-code/fleet-api.ts';
import { loadFleet } from '../../config-as-code/fleet-merge.ts';
import { readCurrentFleet, readWholeFleet } from '../../config-as-code/fleet-reader.ts';
import { buildPlan, countChanges, hasChanges } from '../../config-as-code/plan.ts';
import { formatPlan } from '../../config-as-code/plan-format.ts';
import { formatProblem, type FleetProblem } from '../../config-as-code/problems.ts';
import {
  APPLY_USAGE,
  ApplyArgsError,
  EXPORT_USAGE,
  parseApplyArgs,
  parseExportArgs,
  type WardenLocation,
} from './apply-args.ts';

/** The streams the commands write to and the environment they read keys and secrets from. */
export interface ApplyCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** An outcome that ends the command with an exit code after its message was written. */
class CommandExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/**
 * Runs `warden apply` and returns the exit code: 0 the plan was printed or applied, 1 a file is
 * invalid or Warden rejected a read or a change, 2 usage error or Warden unreachable.
 */
export async function runApplyCommand(
  argv: readonly string[],
  io: ApplyCommandIo,
): Promise<number> {
  const args = parseOrExit(() => parseApplyArgs(argv), 'apply', io);
  if (typeof args === 'number') return args;
  if (args.command === 'help') {
    io.stdout.write(`${APPLY_USAGE}\n`);
    return 0;
  }
  try {
    const loaded = await loadFleet(args.files);
    if (loaded.desired === undefined) return reportProblems(loaded.problems, io);
    const api = await connect(args.location, io);
    const current = await readOrExit(() => readCurrentFleet(api, loaded.desired!.managed), io);
    const plan = buildPlan(loaded.desired, current, { prune: args.prune, env: io.env });
    if (plan.problems.length > 0) return reportProblems(plan.problems, io);

    io.stdout.write(formatPlan(plan));
    if (!hasChanges(plan)) return 0;
    if (!args.yes) {
      io.stdout.write('\nNothing was applied. Run again with --yes to apply this plan.\n');
      return 0;
    }
    return await apply(api, plan, io);
  } catch (error) {
    if (error instanceof CommandExit) return error.exitCode;
    throw error;
  }
}

/**
 * Runs `warden export` and returns the exit code: 0 written, 1 Warden rejected a request or the
 * output file cannot be written, 2 usage error or Warden unreachable.
 */
export async function runExportCommand(
  argv: readonly string[],
  io: ApplyCommandIo,
): Promise<number> {
  const args = parseOrExit(() => parseExportArgs(argv), 'export', io);
  if (typeof args === 'number') return args;
  if (args.command === 'help') {
    io.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  try {
    const api = await connect(args.location, io);
    const current = await readOrExit(() => readWholeFleet(api), io);
    const text = renderFleet(exportDocument(current), args.format, api.client.connection.endpoint);
    if (args.output === undefined) {
      io.stdout.write(text);
      return 0;
    }
    try {
      await writeFile(args.output, text);
    } catch (error) {
      io.stderr.write(`Cannot write "${args.output}": ${(error as Error).message}\n`);
      return 1;
    }
    io.stderr.write(`Wrote the fleet configuration to "${args.output}"\n`);
    return 0;
  } catch (error) {
    if (error instanceof CommandExit) return error.exitCode;
    throw error;
  }
}

async function apply(
  api: FleetApi,
  plan: ReturnType<typeof buildPlan>,
  io: ApplyCommandIo,
): Promise<number> {
  const steps = planSteps(plan);
  io.stdout.write(`\nApplying ${steps.length} step${steps.length === 1 ? '' : 's'}\n`);
  const result = await applySteps(steps, { api, env: io.env }, (line) =>
    io.stdout.write(`${line}\n`),
  );
  if (result.failed === undefined) {
    const { create, change, delete: deleted } = countChanges(plan);
    io.stdout.write(`Apply complete: ${create} created, ${change} changed, ${deleted} deleted\n`);
    return 0;
  }

  const applied = result.applied.length;
  const lines = [
    `Apply stopped: ${describeStep(result.failed.step)} failed: ${result.failed.error.message}`,
    `Applied ${applied} of ${steps.length} steps before the failure${applied === 0 ? '' : ':'}`,
    ...result.applied.map((step) => `  ${describeStep(step)}`),
  ];
  if (result.notApplied.length > 0) {
    lines.push('Not applied:', ...result.notApplied.map((step) => `  ${describeStep(step)}`));
  }
  io.stderr.write(`${lines.join('\n')}\n`);
  return 1;
}

function parseOrExit<T>(parse: () => T, command: string, io: ApplyCommandIo): T | number {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ApplyArgsError)) throw error;
    io.stderr.write(`${error.message}\n\nRun "warden ${command} --help" for usage.\n`);
    return 2;
  }
}

async function connect(location: WardenLocation, io: ApplyCommandIo): Promise<FleetApi> {
  try {
    return new FleetApi(new WardenApiClient(await connectToWarden(location, io.env)));
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    io.stderr.write(`${error.message}\n`);
    throw new CommandExit(2);
  }
}

/** Runs the reads of a plan or an export; a refused read ends the command with its message. */
async function readOrExit<T>(read: () => Promise<T>, io: ApplyCommandIo): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof WardenApiError)) throw error;
    io.stderr.write(`Reading Warden's current state failed: ${error.message}\n`);
    throw new CommandExit(error.status === 0 ? 2 : 1);
  }
}

function reportProblems(problems: readonly FleetProblem[], io: ApplyCommandIo): number {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map(formatProblem);
  io.stderr.write(`${lines.join('\n')}\n${count} found; nothing was applied\n`);
  return 1;
}

/** Runs `warden apply` on the process's streams, for the CLI entry point. */
export function runApplyCli(argv: readonly string[]): Promise<number> {
  return runApplyCommand(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}

/** Runs `warden export` on the process's streams, for the CLI entry point. */
export function runExportCli(argv: readonly string[]): Promise<number> {
  return runExportCommand(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
