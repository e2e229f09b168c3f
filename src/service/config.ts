import path from 'node:path';
import { parseArgs } from 'node:util';

/** Settings of `warden serve`, from flags, then environment variables, then defaults. */
export interface ServeConfig {
  dataDir: string;
  host: string;
  mqttPort: number;
  httpPort: number;
  region: string;
  accountId: string;
  minReportIntervalMs: number;
  alertTargetsFile?: string;
  logLevel: string;
  /** The root pair from WARDEN_ROOT_ACCESS_KEY_ID and WARDEN_ROOT_SECRET_ACCESS_KEY. */
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  /** Regions request signatures may name; every region when absent. */
  allowedRegions?: string[];
  rateLimitPerKey: number;
  /** Badly signed requests per address and minute before the address is refused. */
  authFailureLimit: number;
  /** Serve the API over HTTPS with the broker's certificate. */
  apiTls: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const USAGE = `Usage: warden serve [options]

Options:
  --data-dir DIR          where Warden keeps its database and TLS files (WARDEN_DATA_DIR, default ./warden-data)
  --host HOST             address to listen on (WARDEN_HOST, default 127.0.0.1)
  --mqtt-port PORT        MQTT over TLS port, 0 picks a free port (WARDEN_MQTT_PORT, default 8883)
  --http-port PORT        REST API port, 0 picks a free port (WARDEN_HTTP_PORT, default 8080)
  --report-interval S     shortest time between two reports of one thing, seconds (WARDEN_REPORT_INTERVAL, default 300)
  --alert-targets FILE    JSON file of webhook and MQTT alert targets (WARDEN_ALERT_TARGETS)
  --region REGION         region in the ARNs Warden hands out (WARDEN_REGION, default us-east-1)
  --account-id ID         12-digit account id in the ARNs (WARDEN_ACCOUNT_ID, default 123456789012)
  --log-level LEVEL       trace, debug, info, warn or error (WARDEN_LOG_LEVEL, default info)
  --allowed-regions LIST  comma-separated regions request signatures may name (WARDEN_ALLOWED_REGIONS, default any)
  --rate-limit N          API requests per second per key, burst 2N, 0 for none (WARDEN_RATE_LIMIT, default 100)
  --auth-failure-limit N  badly signed requests per address and minute before it is refused, 0 for none (WARDEN_AUTH_FAILURE_LIMIT, default 100)
  --api-tls               serve the API over HTTPS with the broker's certificate (WARDEN_API_TLS=true)

The API accepts only requests signed with AWS Signature Version 4. The root key comes from
WARDEN_ROOT_ACCESS_KEY_ID and WARDEN_ROOT_SECRET_ACCESS_KEY, or else from DATA_DIR/credentials
(profile "warden"), which the first start writes with mode 0600.`;

export function serveUsage(): string {
  return USAGE;
}

/**
 * Reads the serve settings.
 * @throws Error naming the option and the bad value.
 */
export function readServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      'mqtt-port': { type: 'string' },
      'http-port': { type: 'string' },
      'report-interval': { type: 'string' },
      'alert-targets': { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'log-level': { type: 'string' },
      'allowed-regions': { type: 'string' },
      'rate-limit': { type: 'string' },
      'api-tls': { type: 'boolean' },
      'auth-failure-limit': { type: 'string' },
    },
  });
  const pick = (flag: keyof typeof values, variable: string, fallback?: string) =>
    (values[flag] as string | undefined) ?? env[variable] ?? fallback;

  const config: ServeConfig = {
    dataDir: path.resolve(pick('data-dir', 'WARDEN_DATA_DIR', './warden-data') ?? ''),
    host: pick('host', 'WARDEN_HOST', '127.0.0.1') ?? '',
    mqttPort: port('--mqtt-port', pick('mqtt-port', 'WARDEN_MQTT_PORT', '8883')),
    httpPort: port('--http-port', pick('http-port', 'WARDEN_HTTP_PORT', '8080')),
    region: matching(
      '--region',
      pick('region', 'WARDEN_REGION', 'us-east-1'),
      REGION,
      'must look like us-east-1',
    ),
    accountId: matching(
      '--account-id',
      pick('account-id', 'WARDEN_ACCOUNT_ID', '123456789012'),
      /^\d{12}$/,
      'must be 12 digits',
    ),
    minReportIntervalMs:
      seconds('--report-interval', pick('report-interval', 'WARDEN_REPORT_INTERVAL', '300')) * 1000,
    logLevel: matching(
      '--log-level',
      pick('log-level', 'WARDEN_LOG_LEVEL', 'info'),
      /^(trace|debug|info|warn|error|silent)$/,
      'must be trace, debug, info, warn, error or silent',
    ),
    rateLimitPerKey: seconds('--rate-limit', pick('rate-limit', 'WARDEN_RATE_LIMIT', '100')),
    authFailureLimit: count(
      '--auth-failure-limit',
      pick('auth-failure-limit', 'WARDEN_AUTH_FAILURE_LIMIT', '100'),
    ),
    apiTls: values['api-tls'] === true || booleanVariable('WARDEN_API_TLS', env['WARDEN_API_TLS']),
  };
  const regions = pick('allowed-regions', 'WARDEN_ALLOWED_REGIONS');
  if (regions !== undefined) config.allowedRegions = regionList(regions);
  const alertTargets = pick('alert-targets', 'WARDEN_ALERT_TARGETS');
  if (alertTargets !== undefined) config.alertTargetsFile = path.resolve(alertTargets);
  if (env['WARDEN_ROOT_ACCESS_KEY_ID']) config.rootAccessKeyId = env['WARDEN_ROOT_ACCESS_KEY_ID'];
  if (env['WARDEN_ROOT_SECRET_ACCESS_KEY'])
    config.rootSecretAccessKey = env['WARDEN_ROOT_SECRET_ACCESS_KEY'];
  return config;
}

function port(option: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw ?? '') || value > 65535)
    throw new Error(`Invalid value "${raw}" for "${option}": must be a port number 0-65535`);
  return value;
}

function seconds(option: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw ?? '')) {
    const unit = option === '--rate-limit' ? 'requests per second' : 'seconds';
    throw new Error(
      `Invalid value "${raw}" for "${option}": must be a number of ${unit}, 0 or more`,
    );
  }
  return value;
}

function count(option: string, raw: string | undefined): number {
  if (!/^\d{1,9}$/.test(raw ?? '')) {
    throw new Error(`Invalid value "${raw}" for "${option}": must be a whole number, 0 or more`);
  }
  return Number(raw);
}

function booleanVariable(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`Invalid value "${raw}" for "${name}": must be true, false, 1 or 0`);
}

function regionList(raw: string): string[] {
  const regions = raw.split(',').map((region) => region.trim());
  for (const region of regions)
    matching('--allowed-regions', region, REGION, 'must look like us-east-1');
  return regions;
}

function matching(option: string, raw: string | undefined, pattern: RegExp, rule: string): string {
  if (raw === undefined || !pattern.test(raw))
    throw new Error(`Invalid value "${raw}" for "${option}": ${rule}`);
  return raw;
}
