/**
 * Command-line options of `warden audit`, checked before anything is read or contacted so a typo
 * fails at once with the option and the value named.
 */

import { checkEndpoint as checkConnectionEndpoint } from '../../client/warden-connection.ts';
import type { AuditSeverity } from '../../audit/audit-types.ts';

/** Error for a missing, unknown, repeated or invalid option. The CLI prints it with the usage. */
export class AuditArgsError extends Error {
  override readonly name = 'AuditArgsError';
}

/** The REST API address `warden serve` listens on by default. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';

/** Seconds the online audit waits for its task before giving up. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Usage text for `warden audit`. */
export const AUDIT_USAGE = `Usage: warden audit [--endpoint URL | --data-dir DIR | --offline DIR] [options]

Runs an on-demand audit on a running Warden, or audits a folder of exports.

Where to audit (default: --endpoint ${DEFAULT_ENDPOINT}):
  --endpoint URL      REST API of a running Warden
  --data-dir DIR      data directory of a running Warden (reads DIR/endpoints.json)
  --offline DIR       audit the certificates, policies, roles, CRLs and logging
                      options in DIR without a server (format: docs/audit-cli.md)

Options:
  --checks NAME,...   checks to run (default: every enabled check; offline,
                      every check the folder has input for)
  --enable-defaults   enable every check first when none is enabled (online)
  --format FORMAT     table (default), json or sarif
  --output FILE       write the report to FILE instead of standard output
  --fail-on SEVERITY  lowest severity that makes the exit code 1: LOW (default),
                      MEDIUM, HIGH or CRITICAL
  --progress          show the progress bar even when stderr is not a terminal
  --no-progress       never show the progress bar
  --timeout SECONDS   seconds to wait for the audit task (online, default ${DEFAULT_TIMEOUT_SECONDS})
  --help              print this text

Exit codes: 0 no unsuppressed finding at or above --fail-on; 1 such findings;
2 usage error, Warden unreachable, unreadable folder, or incomplete audit.`;

export type AuditTarget =
  | { kind: 'endpoint'; endpoint: string }
  | { kind: 'data-dir'; dataDir: string }
  | { kind: 'offline'; folder: string };

export type ReportFormat = 'table' | 'json' | 'sarif';

/** The options of one `warden audit` run, after validation. */
export interface AuditArgs {
  target: AuditTarget;
  checks?: string[];
  enableDefaults: boolean;
  format: ReportFormat;
  output?: string;
  failOn: AuditSeverity;
  progress: 'auto' | 'always' | 'never';
  timeoutSeconds: number;
  help: boolean;
}

const VALUE_FLAGS = [
  '--endpoint',
  '--data-dir',
  '--offline',
  '--checks',
  '--format',
  '--output',
  '--fail-on',
  '--timeout',
] as const;
const SWITCHES = ['--enable-defaults', '--progress', '--no-progress', '--help', '-h'] as const;

type ValueFlag = (typeof VALUE_FLAGS)[number];
type Switch = (typeof SWITCHES)[number];

const SEVERITIES: readonly AuditSeverity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif'];
const MAX_TIMEOUT_SECONDS = 24 * 3600;

/**
 * Parses the arguments that follow `warden audit`. Options take their value as the next
 * argument or after `=` (`--format=json`).
 * @throws {AuditArgsError} naming the first missing, repeated, unknown or invalid option.
 */
export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<Switch>();
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i] ?? '';
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;

    if (isSwitch(flag)) {
      if (equals > 0) throw new AuditArgsError(`Option "${flag}" takes no value`);
      switches.add(flag);
      continue;
    }
    if (!isValueFlag(flag)) throw new AuditArgsError(unknownMessage(argument));
    if (values.has(flag)) throw new AuditArgsError(`Option "${flag}" is given more than once`);

    // A following option is not taken as the value, so "--output --format json" names "--output".
    const value = equals > 0 ? argument.slice(equals + 1) : argv[(i += 1)];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--')))
      throw new AuditArgsError(`Missing value for "${flag}"`);
    values.set(flag, value);
  }
  return toAuditArgs(values, switches);
}

function toAuditArgs(values: Map<ValueFlag, string>, switches: Set<Switch>): AuditArgs {
  if (switches.has('--progress') && switches.has('--no-progress'))
    throw new AuditArgsError('Give at most one of "--progress" and "--no-progress"');
  const target = targetOf(values);
  if (target.kind === 'offline' && switches.has('--enable-defaults'))
    throw new AuditArgsError('Option "--enable-defaults" applies only to an online audit');
  if (target.kind === 'offline' && values.has('--timeout'))
    throw new AuditArgsError('Option "--timeout" applies only to an online audit');

  const args: AuditArgs = {
    target,
    enableDefaults: switches.has('--enable-defaults'),
    format: oneOf(values.get('--format') ?? 'table', FORMATS, '--format'),
    failOn: severityOf(values.get('--fail-on') ?? 'LOW'),
    progress: switches.has('--progress')
      ? 'always'
      : switches.has('--no-progress')
        ? 'never'
        : 'auto',
    timeoutSeconds: timeoutOf(values.get('--timeout')),
    help: switches.has('--help') || switches.has('-h'),
  };
  const checks = values.get('--checks');
  if (checks !== undefined) args.checks = checkNamesOf(checks);
  const output = values.get('--output');
  if (output !== undefined) args.output = output;
  return args;
}

function targetOf(values: Map<ValueFlag, string>): AuditTarget {
  const targetFlags = (['--endpoint', '--data-dir', '--offline'] as const).filter((flag) =>
    values.has(flag),
  );
  if (targetFlags.length > 1)
    throw new AuditArgsError(
      `Give only one of ${targetFlags.map((flag) => `"${flag}"`).join(' and ')}`,
    );
  const dataDir = values.get('--data-dir');
  if (dataDir !== undefined) return { kind: 'data-dir', dataDir };
  const folder = values.get('--offline');
  if (folder !== undefined) return { kind: 'offline', folder };
  return {
    kind: 'endpoint',
    endpoint: checkEndpoint(values.get('--endpoint') ?? DEFAULT_ENDPOINT),
  };
}

/**
 * Checks that an endpoint is `http://HOST:PORT` or `https://HOST:PORT`, without a path, and
 * returns it without a trailing slash.
 * @throws {AuditArgsError} when it is not.
 */
export function checkEndpoint(endpoint: string, source = '--endpoint'): string {
  try {
    return checkConnectionEndpoint(endpoint, source);
  } catch (error) {
    throw new AuditArgsError((error as Error).message);
  }
}

function checkNamesOf(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  const bad = names.find((name) => !/^[A-Za-z0-9_-]{1,128}$/.test(name));
  if (bad !== undefined)
    throw new AuditArgsError(
      `Invalid check name "${bad}" in "--checks": must be 1-128 letters, digits, "_" or "-", separated by commas`,
    );
  return [...new Set(names)];
}

function timeoutOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!/^[0-9]+$/.test(text) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS)
    throw new AuditArgsError(
      `Invalid value "${text}" for "--timeout": must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`,
    );
  return seconds;
}

function severityOf(text: string): AuditSeverity {
  const upper = text.toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as AuditSeverity;
  throw new AuditArgsError(
    `Invalid value "${text}" for "--fail-on": must be one of ${SEVERITIES.join(', ')}`,
  );
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: ValueFlag): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AuditArgsError(
    `Invalid value "${value}" for "${flag}": must be one of ${allowed.join(', ')}`,
  );
}

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

function isSwitch(flag: string): flag is Switch {
  return (SWITCHES as readonly string[]).includes(flag);
}

function unknownMessage(argument: string): string {
  if (!argument.startsWith('-')) return `Unexpected argument "${argument}"`;
  return `Unknown option "${argument}"`;
}
