/**
 * Command-line arguments of `warden mitigations`, checked before Warden is contacted so a typo
 * fails at once with the option or the value named.
 */

import { checkEndpoint as checkConnectionEndpoint } from '../../client/warden-connection.ts';

/** A missing, unknown, repeated or invalid argument. The CLI prints it and exits 2. */
export class MitigationsArgsError extends Error {
  override readonly name = 'MitigationsArgsError';
}

/** The REST API address `warden serve` listens on by default. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';

export const MITIGATIONS_USAGE = `Usage: warden mitigations <command> [--endpoint URL | --data-dir DIR]

Lists, shows and rolls back the executions of mitigation actions on a running Warden.

Commands:
  list [--thing NAME]      list executions, oldest first; with --thing, only those that acted
                           on the thing NAME
  show EXECUTION_ID        show one execution with its target and its state before and after
  rollback EXECUTION_ID    restore the state that one execution changed

Where Warden runs (default --endpoint ${DEFAULT_ENDPOINT}):
  --endpoint URL           REST API of a running Warden, http://HOST:PORT or https://HOST:PORT
  --data-dir DIR           data directory of a running Warden; its endpoints.json gives the address
  --help                   print this text

Exit codes: 0 done; 1 Warden rejected the request, e.g. the execution does not exist or has
nothing to roll back; 2 usage error or Warden unreachable.`;

export type WardenLocation =
  { kind: 'endpoint'; endpoint: string } | { kind: 'data-dir'; dataDir: string };

export type MitigationsArgs =
  | { command: 'help' }
  | { command: 'list'; location: WardenLocation; thingName?: string }
  | { command: 'show' | 'rollback'; location: WardenLocation; executionId: string };

const COMMANDS = ['list', 'show', 'rollback'] as const;
const VALUE_FLAGS = ['--endpoint', '--data-dir', '--thing'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/**
 * Parses the arguments that follow `warden mitigations`. Options take their value as the next
 * argument or after `=` (`--thing=sensor-1`).
 * @throws {MitigationsArgsError} naming the first missing, repeated, unknown or invalid argument.
 */
export function parseMitigationsArgs(argv: readonly string[]): MitigationsArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const values = new Map<ValueFlag, string>();
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('-')) {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if (!isValueFlag(flag)) throw new MitigationsArgsError(`Unknown option "${argument}"`);
    if (values.has(flag))
      throw new MitigationsArgsError(`Option "${flag}" is given more than once`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[(index += 1)];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('-')))
      throw new MitigationsArgsError(`Missing value for "${flag}"`);
    values.set(flag, value);
  }
  return toArgs(positionals, values);
}

function toArgs(positionals: string[], values: Map<ValueFlag, string>): MitigationsArgs {
  const [command, ...rest] = positionals;
  if (command === undefined)
    throw new MitigationsArgsError(`Missing command: give one of ${COMMANDS.join(', ')}`);
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new MitigationsArgsError(
      `Unknown command "${command}": give one of ${COMMANDS.join(', ')}`,
    );
  const location = locationOf(values);

  if (command === 'list') {
    if (rest.length > 0) throw new MitigationsArgsError(`Unexpected argument "${rest[0]}"`);
    const thingName = values.get('--thing');
    if (thingName === undefined) return { command, location };
    return { command, location, thingName: checkThingName(thingName) };
  }

  if (values.has('--thing'))
    throw new MitigationsArgsError(`Option "--thing" applies only to "list"`);
  const [executionId, extra] = rest;
  if (executionId === undefined)
    throw new MitigationsArgsError(`Missing EXECUTION_ID: "warden mitigations ${command} ID"`);
  if (extra !== undefined) throw new MitigationsArgsError(`Unexpected argument "${extra}"`);
  return { command: command as 'show' | 'rollback', location, executionId: checkId(executionId) };
}

function locationOf(values: Map<ValueFlag, string>): WardenLocation {
  const endpoint = values.get('--endpoint');
  const dataDir = values.get('--data-dir');
  if (endpoint !== undefined && dataDir !== undefined)
    throw new MitigationsArgsError('Give only one of "--endpoint" and "--data-dir"');
  if (dataDir !== undefined) return { kind: 'data-dir', dataDir };
  return { kind: 'endpoint', endpoint: checkEndpoint(endpoint ?? DEFAULT_ENDPOINT) };
}

/**
 * Checks that an endpoint is `http://HOST:PORT` or `https://HOST:PORT` without a path or
 * credentials, and returns it without a trailing slash.
 * @throws {MitigationsArgsError} when it is not.
 */
export function checkEndpoint(endpoint: string, source = '--endpoint'): string {
  try {
    return checkConnectionEndpoint(endpoint, source);
  } catch (error) {
    throw new MitigationsArgsError((error as Error).message);
  }
}

function checkThingName(name: string): string {
  if (/^[a-zA-Z0-9:_-]{1,128}$/.test(name)) return name;
  throw new MitigationsArgsError(
    `Invalid thing name "${name}" for "--thing": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"`,
  );
}

function checkId(id: string): string {
  if (/^[a-zA-Z0-9._:-]{1,128}$/.test(id)) return id;
  throw new MitigationsArgsError(
    `Invalid EXECUTION_ID "${id}": must be 1-128 characters of a-z, A-Z, 0-9, ".", ":", "_" and "-"`,
  );
}

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}
