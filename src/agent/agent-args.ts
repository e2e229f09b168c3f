/**
 * Command-line flags of `warden agent`, checked before anything connects so a typo fails at once
 * with the flag and the value named.
 */
import type { AgentOptions, ReportFormat } from './agent.ts';

/** Error for a missing, unknown or invalid command-line flag. The CLI prints it with the usage. */
export class AgentArgsError extends Error {
  override readonly name = 'AgentArgsError';
}

/** Usage text for `warden agent`, with the unit of every value. */
export const AGENT_USAGE = `Usage: warden agent --endpoint mqtts://HOST:PORT --thing NAME --cert FILE --key FILE --ca FILE
                    [--interval SECONDS] [--format json|cbor] [--short-keys] [--client-id ID] [--count N]

  --endpoint   MQTT over TLS endpoint of the Warden broker, e.g. mqtts://127.0.0.1:8883
  --thing      thing name the reports are published for
  --cert       PEM file of the device certificate
  --key        PEM file of the device private key
  --ca         PEM file of the CA that signed the broker's server certificate
  --interval   seconds between reports (default 300, the Device Defender minimum)
  --format     report encoding, json or cbor (default json)
  --short-keys use the short key names (hed, met, ...) instead of the long ones
  --client-id  MQTT client ID (default: the thing name)
  --count      stop after this many reports have a response (default: run until stopped)`;

/** The options of `AgentOptions` that flags set. The CLI adds `output` and `signal`. */
export type AgentArgs = Omit<AgentOptions, 'output' | 'signal'>;

const VALUE_FLAGS = [
  '--endpoint',
  '--thing',
  '--cert',
  '--key',
  '--ca',
  '--interval',
  '--format',
  '--client-id',
  '--count',
] as const;

type ValueFlag = (typeof VALUE_FLAGS)[number];

const REQUIRED_FLAGS: readonly ValueFlag[] = ['--endpoint', '--thing', '--cert', '--key', '--ca'];

/** Maximum thing name length in UTF-8 bytes that Device Defender accepts. */
const MAX_THING_NAME_BYTES = 128;

/**
 * Parses the arguments that follow `warden agent`. Flags take their value as the next argument
 * or after `=` (`--interval=60`).
 *
 * @throws {AgentArgsError} naming the first missing, repeated, unknown or invalid flag
 */
export function parseAgentArgs(argv: readonly string[]): AgentArgs {
  const values = new Map<ValueFlag, string>();
  let shortKeys = false;

  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i] ?? '';
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;

    if (flag === '--short-keys') {
      if (equals > 0) throw new AgentArgsError('Option "--short-keys" takes no value');
      shortKeys = true;
      continue;
    }
    if (!isValueFlag(flag)) throw new AgentArgsError(unknownMessage(argument));
    if (values.has(flag)) throw new AgentArgsError(`Option "${flag}" is given more than once`);

    // A following flag is not taken as the value, so "--thing --cert c.pem" names "--thing".
    const value = equals > 0 ? argument.slice(equals + 1) : argv[(i += 1)];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
      throw new AgentArgsError(`Missing value for "${flag}"`);
    }
    values.set(flag, value);
  }

  return toAgentArgs(values, shortKeys);
}

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

function unknownMessage(argument: string): string {
  if (!argument.startsWith('-')) return `Unexpected argument "${argument}"`;
  return `Unknown option "${argument}"`;
}

function toAgentArgs(values: Map<ValueFlag, string>, shortKeys: boolean): AgentArgs {
  for (const flag of REQUIRED_FLAGS) {
    if (!values.has(flag)) throw new AgentArgsError(`Missing required option "${flag}"`);
  }

  const args: AgentArgs = {
    endpoint: checkEndpoint(values.get('--endpoint') ?? ''),
    thingName: checkThingName(values.get('--thing') ?? ''),
    certFile: values.get('--cert') ?? '',
    keyFile: values.get('--key') ?? '',
    caFile: values.get('--ca') ?? '',
    format: checkFormat(values.get('--format') ?? 'json'),
    shortKeys,
  };

  const interval = values.get('--interval');
  if (interval !== undefined) args.intervalSeconds = checkInterval(interval);
  const count = values.get('--count');
  if (count !== undefined) args.reports = positiveInteger(count, '--count');
  const clientId = values.get('--client-id');
  if (clientId !== undefined) args.clientId = clientId;
  return args;
}

/**
 * Checks that an endpoint is `mqtts://HOST:PORT`. Plain `mqtt://` is rejected because the
 * device authenticates with its client certificate, which needs TLS.
 *
 * @throws {AgentArgsError} when the URL is malformed, not mqtts, or has no valid port
 */
export function checkEndpoint(endpoint: string): string {
  const problem = `Invalid value "${endpoint}" for "--endpoint": must be mqtts://HOST:PORT`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AgentArgsError(problem);
  }

  const path = url.pathname === '' || url.pathname === '/';
  if (url.protocol !== 'mqtts:' || url.hostname === '' || url.port === '' || !path) {
    throw new AgentArgsError(problem);
  }
  if (url.username !== '' || url.search !== '' || url.hash !== '')
    throw new AgentArgsError(problem);
  return endpoint;
}

function checkThingName(name: string): string {
  // Device Defender rejects reports for a thing name over 128 bytes or with control characters.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f]/.test(name);
  if (control || Buffer.byteLength(name, 'utf8') > MAX_THING_NAME_BYTES) {
    throw new AgentArgsError(
      `Invalid value "${JSON.stringify(name).slice(1, -1)}" for "--thing": must be 1-128 bytes of UTF-8 without control characters`,
    );
  }
  // These characters would turn the report topic into a different topic or a topic filter.
  if (/[/+#]/.test(name)) {
    throw new AgentArgsError(
      `Invalid value "${name}" for "--thing": must not contain "/", "+" or "#", which would change the report topic`,
    );
  }
  return name;
}

function checkFormat(format: string): ReportFormat {
  if (format === 'json' || format === 'cbor') return format;
  throw new AgentArgsError(`Invalid value "${format}" for "--format": must be json or cbor`);
}

/** Largest interval a Node.js timer can wait, in whole seconds (2^31 - 1 ms). */
const MAX_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function checkInterval(text: string): number {
  const seconds = positiveInteger(text, '--interval');
  if (seconds > MAX_INTERVAL_SECONDS) {
    throw new AgentArgsError(
      `Invalid value "${text}" for "--interval": must be at most ${MAX_INTERVAL_SECONDS} seconds`,
    );
  }
  return seconds;
}

function positiveInteger(text: string, flag: ValueFlag): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new AgentArgsError(`Invalid value "${text}" for "${flag}": must be a positive integer`);
  }
  return value;
}
