/**
 * `warden simulate`: runs a virtual fleet and adversary scenarios against a running Warden on
 * this machine and prints what every device and scenario did. SIGINT and SIGTERM end the run
 * early; the devices' connections are closed either way.
 */

import { readFile } from 'node:fs/promises';
import { WardenApiError } from '../client/warden-api-client.ts';
import {
  ConnectionError,
  connectToWarden,
  type WardenConnection,
} from '../client/warden-connection.ts';
import { readBrokerTarget, type BrokerTarget } from './broker-target.ts';
import { runSimulation } from './run-simulation.ts';
import {
  parseSimulateArgs,
  SIMULATE_USAGE,
  SimulateArgsError,
  type SimulateArgs,
} from './simulate-args.ts';
import { SimulationError } from './simulation-error.ts';
import { renderScenarioList, renderSummary } from './simulation-summary.ts';

export interface SimulateIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Characters per line for the wrapped `--list` table; no wrapping when absent. */
  width?: number;
}

/**
 * Runs the command; exit code 0 done, 1 the run failed, 2 invalid arguments.
 */
export async function runSimulateCommand(argv: readonly string[], io: SimulateIo): Promise<number> {
  let args: SimulateArgs | 'help';
  try {
    args = parseSimulateArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof SimulateArgsError)) throw error;
    io.stderr(`${error.message}\nRun "warden simulate --help" for the options.`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(SIMULATE_USAGE);
    return 0;
  }
  if (args.list) {
    for (const line of renderScenarioList(io.width)) io.stdout(line);
    return 0;
  }

  try {
    const { connection, broker } = await locate(args, io.env);
    io.stderr(`Registering ${args.devices} devices in Warden at ${connection.endpoint}`);
    const result = await runSimulation({
      connection,
      broker,
      devices: args.devices,
      scenarios: args.scenarios,
      targets: args.targets,
      seed: args.seed,
      durationMs: args.durationMs,
      tickIntervalMs: args.tickIntervalMs,
      ...(args.thingGroup === undefined ? {} : { thingGroup: args.thingGroup }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    if (args.json) io.stdout(JSON.stringify(result, null, 2));
    else for (const line of renderSummary(result)) io.stdout(line);
    return 0;
  } catch (error) {
    const known =
      error instanceof SimulationError ||
      error instanceof ConnectionError ||
      error instanceof WardenApiError;
    if (!known) throw error;
    io.stderr(`warden simulate: ${error.message}`);
    return 1;
  }
}

async function locate(
  args: SimulateArgs,
  env: NodeJS.ProcessEnv,
): Promise<{ connection: WardenConnection; broker: BrokerTarget }> {
  const location = args.location;
  if (location.kind === 'data-dir') {
    const connection = await connectToWarden({ dataDir: location.dataDir }, env);
    return { connection, broker: await readBrokerTarget(location.dataDir) };
  }
  const connection = await connectToWarden({ endpoint: location.endpoint }, env);
  let serverCaPem: string;
  try {
    serverCaPem = await readFile(location.serverCaFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SimulationError(
      `Cannot read "${location.serverCaFile}" for "--server-ca": ${reason}`,
    );
  }
  return { connection, broker: { url: location.mqttEndpoint, serverCaPem } };
}

/** Runs the command on the process's streams, ending the run on SIGINT or SIGTERM. */
export async function runSimulateCli(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runSimulateCommand(argv, {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
      env: process.env,
      signal: controller.signal,
      ...(process.stdout.columns === undefined ? {} : { width: process.stdout.columns }),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
