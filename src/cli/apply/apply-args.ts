/**
 * Command-line arguments of `warden apply` and `warden export`, checked before any file is read
 * or Warden is contacted, so a typo fails at once with the option or the value named.
 */

import {
  checkEndpoint,
  ConnectionError,
  DEFAULT_ENDPOINT,
} from '../../client/warden-connection.ts';

/** A missing, unknown, repeated or invalid argument. The CLI prints it and exits 2. */
export class ApplyArgsError extends Error {
  override readonly name = 'ApplyArgsError';
}

const LOCATION_HELP = `Where Warden runs (default --endpoint ${DEFAULT_ENDPOINT}):
  --endpoint URL       REST API of a running Warden, http://HOST:PORT or https://HOST:PORT
  --data-dir DIR       data directory of a running Warden; its endpoints.json gives the address
                       and its credentials file the key when AWS_ACCESS_KEY_ID is not set`;

export const APPLY_USAGE = `Usage: warden apply -f FILE_OR_DIR [-f ...] [--prune] [--yes]
                    [--endpoint URL | --data-dir DIR]

Compares fleet files (apiVersion warden/v1, kind FleetSecurity) with a running Warden, prints
the plan, and with --yes applies it. A directory means every *.yaml, *.yml and *.json file in it.

Options:
  -f, --file PATH      fleet file or directory; repeat to merge several
  --prune              delete resources of the sections the files contain that the files lack;
                       without it they are listed as kept
  --yes                apply the plan; without it the plan is only printed
  --help               print this text

${LOCATION_HELP}

Exit codes: 0 plan printed or applied; 1 a file is invalid or Warden rejected a change;
2 usage error or Warden unreachable.`;

export const EXPORT_USAGE = `Usage: warden export [--format yaml|json] [-o FILE]
                     [--endpoint URL | --data-dir DIR]

Writes the current setup of a running Warden as a fleet file that "warden apply -f" accepts
and plans as no change. Webhook secrets are written as secretEnv variable names.

Options:
  --format yaml|json   output format; from the -o file extension, else yaml
  -o, --output FILE    file to write; standard output when absent
  --help               print this text

${LOCATION_HELP}

Exit codes: 0 written; 1 Warden rejected a request or the file cannot be written;
2 usage error or Warden unreachable.`;

/** The address of the Warden to contact, in the form `connectToWarden` takes. */
export type WardenLocation = { endpoint: string } | { dataDir: string };

export type ApplyArgs =
  | { command: 'help' }
  | { command: 'apply'; files: string[]; prune: boolean; yes: boolean; location: WardenLocation };

export type ExportArgs =
  | { command: 'help' }
  | { command: 'export'; format: 'yaml' | 'json'; output?: string; location: WardenLocation };

interface OptionSpec {
  values: Record<string, string>;
  switches: Record<string, string>;
  repeatable?: string[];
}

const LOCATION_OPTIONS = { '--endpoint': '--endpoint', '--data-dir': '--data-dir' };

/**
 * Parses the arguments after `warden apply`.
 * @throws ApplyArgsError naming the first missing, repeated, unknown or invalid argument.
 */
export function parseApplyArgs(argv: readonly string[]): ApplyArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const parsed = parseOptions(argv, {
    values: { '-f': '--file', '--file': '--file', ...LOCATION_OPTIONS },
    switches: { '--prune': '--prune', '--yes': '--yes' },
    repeatable: ['--file'],
  });
  const files = parsed.values.get('--file') ?? [];
  if (files.length === 0) throw new ApplyArgsError('Missing fleet file: give -f FILE_OR_DIR');
  return {
    command: 'apply',
    files,
    prune: parsed.switches.has('--prune'),
    yes: parsed.switches.has('--yes'),
    location: locationOf(parsed.values),
  };
}

/**
 * Parses the arguments after `warden export`.
 * @throws ApplyArgsError naming the first missing, repeated, unknown or invalid argument.
 */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const parsed = parseOptions(argv, {
    values: {
      '-o': '--output',
      '--output': '--output',
      '--format': '--format',
      ...LOCATION_OPTIONS,
    },
    switches: {},
  });
  const output = parsed.values.get('--output')?.[0];
  const formatOption = parsed.values.get('--format')?.[0];
  if (formatOption !== undefined && formatOption !== 'yaml' && formatOption !== 'json')
    throw new ApplyArgsError(
      `Invalid value "${formatOption}" for "--format": must be yaml or json`,
    );
  const format = formatOption ?? (output?.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  const args: ExportArgs = { command: 'export', format, location: locationOf(parsed.values) };
  if (output !== undefined) args.output = output;
  return args;
}

function parseOptions(argv: readonly string[], spec: OptionSpec) {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('-')) throw new ApplyArgsError(`Unexpected argument "${argument}"`);
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;

    const switchName = spec.switches[flag];
    if (switchName !== undefined && equals < 0) {
      if (switches.has(switchName))
        throw new ApplyArgsError(`Option "${switchName}" is given more than once`);
      switches.add(switchName);
      continue;
    }
    const name = spec.values[flag];
    if (name === undefined) throw new ApplyArgsError(`Unknown option "${argument}"`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[(index += 1)];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('-')))
      throw new ApplyArgsError(`Missing value for "${flag}"`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable?.includes(name))
      throw new ApplyArgsError(`Option "${name}" is given more than once`);
    values.set(name, [...list, value]);
  }
  return { values, switches };
}

function locationOf(values: Map<string, string[]>): WardenLocation {
  const endpoint = values.get('--endpoint')?.[0];
  const dataDir = values.get('--data-dir')?.[0];
  if (endpoint !== undefined && dataDir !== undefined)
    throw new ApplyArgsError('Give only one of "--endpoint" and "--data-dir"');
  if (dataDir !== undefined) return { dataDir };
  try {
    return { endpoint: checkEndpoint(endpoint ?? DEFAULT_ENDPOINT) };
  } catch (error) {
    if (error instanceof ConnectionError) throw new ApplyArgsError(error.message);
    throw error;
  }
}
