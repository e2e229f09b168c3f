/**
 * Command-line flags of `warden simulate`, checked before anything connects, so a typo fails at
 * once with the flag and the value named.
 */

import { checkEndpoint } from '../client/warden-connection.ts';
import { checkBrokerUrl, checkLoopbackHost } from './broker-target.ts';
import { thingNameFor } from './device-profile.ts';
import { findScenario, SCENARIOS } from './scenarios/index.ts';
import { LIMITS } from './simulation-options.ts';

export { SIMULATE_USAGE } from './simulate-usage.ts';

/** Error for a missing, unknown or invalid flag. The CLI prints it with a pointer to --help. */
export class SimulateArgsError extends Error {
  override readonly name = 'SimulateArgsError';
}

/** The parsed flags, with `location` naming where Warden runs. */
export interface SimulateArgs {
  list: boolean;
  json: boolean;
  devices: number;
  scenarios: string[];
  targets: number | string[];
  durationMs: number;
  tickIntervalMs: number;
  seed: number;
  thingGroup?: string;
  location:
    | { kind: 'data-dir'; dataDir: string }
    | { kind: 'endpoint'; endpoint: string; mqttEndpoint: string; serverCaFile: string };
}

const VALUE_FLAGS = [
  '--devices',
  '--scenario',
  '--targets',
  '--duration',
  '--interval',
  '--seed',
  '--thing-group',
  '--data-dir',
  '--endpoint',
  '--mqtt-endpoint',
  '--server-ca',
] as const;
const SWITCHES = ['--list', '--json', '--help'] as const;

type ValueFlag = (typeof VALUE_FLAGS)[number];
type Switch = (typeof SWITCHES)[number];

/**
 * Parses the arguments after `warden simulate`. Flags take their value as the next argument or
 * after `=`. Returns `help` when --help is given.
 * @throws SimulateArgsError naming the first missing, repeated, unknown or invalid flag
 */
export function parseSimulateArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): SimulateArgs | 'help' {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<Switch>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if ((SWITCHES as readonly string[]).includes(flag)) {
      if (equals > 0) throw new SimulateArgsError(`Option "${flag}" takes no value`);
      switches.add(flag as Switch);
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new SimulateArgsError(
        argument.startsWith('-')
          ? `Unknown option "${argument}"`
          : `Unexpected argument "${argument}"`,
      );
    }
    if (values.has(flag as ValueFlag))
      throw new SimulateArgsError(`Option "${flag}" is given more than once`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[(index += 1)];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
      throw new SimulateArgsError(`Missing value for "${flag}"`);
    }
    values.set(flag as ValueFlag, value);
  }
  if (switches.has('--help')) return 'help';
  return toArgs(values, switches, env);
}

function toArgs(
  values: Map<ValueFlag, string>,
  switches: Set<Switch>,
  env: NodeJS.ProcessEnv,
): SimulateArgs {
  const list = switches.has('--list');
  const devicesText = values.get('--devices');
  if (devicesText === undefined && !list)
    throw new SimulateArgsError('Missing required option "--devices"');
  const devices =
    devicesText === undefined ? 1 : integer('--devices', devicesText, 1, LIMITS.maxDevices);

  const seed = integer('--seed', values.get('--seed') ?? '1', 0, LIMITS.maxSeed);
  const args: SimulateArgs = {
    list,
    json: switches.has('--json'),
    devices,
    scenarios: scenarioNames(values.get('--scenario')),
    targets: targets(values.get('--targets') ?? '1', devices, seed),
    durationMs: seconds('--duration', values.get('--duration') ?? '60', LIMITS.maxDurationMs),
    tickIntervalMs: seconds(
      '--interval',
      values.get('--interval') ?? '1',
      LIMITS.maxTickIntervalMs,
    ),
    seed,
    location: location(values, env),
  };
  const group = values.get('--thing-group');
  if (group !== undefined) args.thingGroup = group;
  return args;
}

function scenarioNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (findScenario(name) === undefined) {
      const known = SCENARIOS.map((scenario) => scenario.name).join(', ');
      throw new SimulateArgsError(
        `Unknown scenario "${name}" for "--scenario": use one of ${known}`,
      );
    }
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined)
    throw new SimulateArgsError(`Scenario "${repeated}" is given more than once in "--scenario"`);
  return names;
}

function targets(text: string, devices: number, seed: number): number | string[] {
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > devices) {
      throw new SimulateArgsError(
        `Invalid value "${text}" for "--targets": must be a count 1-${devices} (the number of devices) or thing names`,
      );
    }
    return count;
  }
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new SimulateArgsError(`Invalid value "${text}" for "--targets": a thing name is empty`);
  }
  const last = thingNameFor(seed, devices);
  for (const name of names) {
    const index = name.startsWith(`sim-${seed}-`) ? Number(name.slice(`sim-${seed}-`.length)) : 0;
    if (thingNameFor(seed, index) !== name || index < 1 || index > devices) {
      throw new SimulateArgsError(
        `Unknown thing "${name}" in "--targets": the fleet has things ${thingNameFor(seed, 1)} to ${last}`,
      );
    }
  }
  return names;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new SimulateArgsError(
      `Invalid value "${text}" for "${flag}": must be an integer ${min}-${max}`,
    );
  }
  return value;
}

/** Reads seconds with up to three decimals and returns milliseconds. */
function seconds(flag: string, text: string, maxMs: number): number {
  const milliseconds = Math.round(Number(text) * 1000);
  if (
    !/^\d+(\.\d{1,3})?$/.test(text) ||
    milliseconds < LIMITS.minTickIntervalMs ||
    milliseconds > maxMs
  ) {
    throw new SimulateArgsError(
      `Invalid value "${text}" for "${flag}": must be a number of seconds from ${LIMITS.minTickIntervalMs / 1000} to ${maxMs / 1000}`,
    );
  }
  return milliseconds;
}

function location(
  values: Map<ValueFlag, string>,
  env: NodeJS.ProcessEnv,
): SimulateArgs['location'] {
  const endpoint = values.get('--endpoint');
  const dataDir = values.get('--data-dir');
  const mqttEndpoint = values.get('--mqtt-endpoint');
  const serverCaFile = values.get('--server-ca');
  if (endpoint !== undefined && dataDir !== undefined) {
    throw new SimulateArgsError('Options "--endpoint" and "--data-dir" cannot be used together');
  }
  if (endpoint === undefined) {
    const extra =
      mqttEndpoint !== undefined
        ? '--mqtt-endpoint'
        : serverCaFile !== undefined
          ? '--server-ca'
          : undefined;
    if (extra !== undefined) throw new SimulateArgsError(`Option "${extra}" requires "--endpoint"`);
    return { kind: 'data-dir', dataDir: dataDir ?? env['WARDEN_DATA_DIR'] ?? './warden-data' };
  }
  if (mqttEndpoint === undefined || serverCaFile === undefined) {
    throw new SimulateArgsError('Option "--endpoint" requires "--mqtt-endpoint" and "--server-ca"');
  }
  const api = wrapped(() => checkEndpoint(endpoint));
  wrapped(() => checkLoopbackHost(new URL(api).hostname, endpoint, '--endpoint'));
  wrapped(() => checkBrokerUrl(mqttEndpoint, '--mqtt-endpoint'));
  return { kind: 'endpoint', endpoint: api, mqttEndpoint, serverCaFile };
}

/** Turns an endpoint check's error into an argument error with the same message. */
function wrapped<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new SimulateArgsError((error as Error).message);
  }
}
