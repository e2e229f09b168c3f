/**
 * `warden attack`: ATT&CK coverage of the running setup (text, JSON or a Navigator layer), a
 * layer of what was detected, comparison with any Mappings Explorer file, and Warden's catalog in
 * that format.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { computeCoverage } from '../../attack/coverage.ts';
import { renderCoverageText } from '../../attack/coverage-text.ts';
import { validateLayer } from '../../attack/layer-schema.ts';
import {
  compareWithSetup,
  exportCatalog,
  parseMappingFile,
  type MappingComparison,
} from '../../attack/mappings-explorer.ts';
import { buildCoverageLayer, buildDetectionLayer } from '../../attack/navigator-layer.ts';
import type { Detection } from '../../attack/navigator-layer.ts';
import type { AttackDomain } from '../../attack/techniques.ts';
import { WardenApiClient, WardenApiError } from '../../client/warden-api-client.ts';
import { ConnectionError, connectToWarden } from '../../client/warden-connection.ts';
import { readDetections } from './detections.ts';
import { readRunningSetup } from './running-setup.ts';

export const ATTACK_USAGE = `Usage: warden attack <command> [--endpoint URL | --data-dir DIR]

Commands:
  coverage [--layer FILE] [--format text|json] [--domain enterprise|ics]
      which ATT&CK techniques the enabled checks, behaviors and actions cover, and which
      published Device Defender rows they do not; --layer writes an ATT&CK Navigator 4.5 layer
      of the --domain matrix (the text and JSON cover both matrices)
  coverage --detections [--since 7d] [--layer FILE] [--format text|json] [--domain enterprise|ics]
      the techniques of the findings and violations raised since then (s, m, h or d)
  import FILE [--capability ID]
      compare a Mappings Explorer mapping file (JSON) with the running setup, row by row
  export [-o FILE] [--domain enterprise|ics]
      write Warden's catalog in the Mappings Explorer format (no running Warden needed)

Exit codes: 0 done; 1 Warden rejected a request or a file is invalid; 2 usage error or Warden
unreachable.`;

export interface AttackCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** A problem the user can fix; the command prints it and exits with `exitCode`. */
class AttackCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

const OPTIONS = {
  endpoint: { type: 'string' },
  'data-dir': { type: 'string' },
  layer: { type: 'string' },
  format: { type: 'string' },
  domain: { type: 'string' },
  detections: { type: 'boolean' },
  since: { type: 'string' },
  capability: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

export async function runAttackCommand(
  argv: readonly string[],
  io: AttackCommandIo,
): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new AttackCommandError((error as Error).message, 2);
    }
    if (parsed.values.help === true) {
      io.stdout.write(`${ATTACK_USAGE}\n`);
      return 0;
    }
    io.stdout.write(await run(parsed.positionals, parsed.values, io));
    return 0;
  } catch (error) {
    const known = knownFailure(error);
    if (known === undefined) throw error;
    io.stderr.write(`${known.message}\n`);
    return known.exitCode;
  }
}

async function run(positionals: string[], values: Values, io: AttackCommandIo): Promise<string> {
  const [command, ...rest] = positionals;
  const domain = domainOf(values.domain);
  if (values.endpoint !== undefined && values['data-dir'] !== undefined) {
    throw new AttackCommandError('Give only one of "--endpoint" and "--data-dir"', 2);
  }
  switch (command) {
    case 'export':
      noArguments(rest);
      return writeOut(values.output, `${JSON.stringify(exportCatalog(domain), null, 2)}\n`);
    case 'coverage':
      noArguments(rest);
      return values.detections === true
        ? detections(values, domain, io)
        : coverage(values, domain, io);
    case 'import': {
      if (rest.length !== 1) throw new AttackCommandError('Give exactly one mapping FILE', 2);
      return importMapping(rest[0]!, values, io);
    }
    case undefined:
      throw new AttackCommandError('Missing command: coverage, import or export', 2);
    default:
      throw new AttackCommandError(
        `Unknown command "${command}": use coverage, import or export`,
        2,
      );
  }
}

async function coverage(values: Values, domain: AttackDomain, io: AttackCommandIo) {
  const format = checkFormat(values.format);
  const report = computeCoverage(await readRunningSetup(await client(values, io)));
  if (values.layer !== undefined) {
    const name = 'Warden ATT&CK coverage';
    const layer = buildCoverageLayer(report, { domain, name, generatedAt: now(io) });
    await writeLayer(values.layer, layer);
  }
  return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderCoverageText(report);
}

async function detections(values: Values, domain: AttackDomain, io: AttackCommandIo) {
  const format = checkFormat(values.format);
  const until = now(io);
  const since = until - durationMs(values.since ?? '7d');
  const found = await readDetections(await client(values, io), since, until);
  if (values.layer !== undefined) {
    const layer = buildDetectionLayer(found, {
      domain,
      generatedAt: until,
      description: `Techniques of findings and violations from ${iso(since)} to ${iso(until)}.`,
    });
    await writeLayer(values.layer, layer);
  }
  if (format === 'json') {
    return `${JSON.stringify({ since: iso(since), until: iso(until), detections: found }, null, 2)}\n`;
  }
  return renderDetections(found, since, until);
}

function checkFormat(raw: string | undefined): 'text' | 'json' {
  const format = raw ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new AttackCommandError(
      `Invalid value "${format}" for "--format": must be text or json`,
      2,
    );
  }
  return format;
}

async function importMapping(file: string, values: Values, io: AttackCommandIo) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new AttackCommandError(
      `Cannot read mapping file "${file}": ${(error as Error).message}`,
      1,
    );
  }
  const parsed = parseMappingFile(json);
  if (!parsed.ok) {
    const lines = parsed.problems.map((problem) => `${file}: ${problem.path}: ${problem.message}`);
    throw new AttackCommandError(lines.join('\n'), 1);
  }
  const capability = values.capability;
  if (capability !== undefined) {
    const known = [...new Set(parsed.mapping.mapping_objects.map((row) => row.capability_id))];
    if (!known.includes(capability)) {
      const listed = known.filter(Boolean).slice(0, 20).join(', ');
      throw new AttackCommandError(
        `${file} has no rows of capability "${capability}"; its capabilities include: ${listed}`,
        1,
      );
    }
  }
  const report = computeCoverage(await readRunningSetup(await client(values, io)));
  const options = capability === undefined ? {} : { capabilityId: capability };
  return renderComparison(file, compareWithSetup(parsed.mapping, report, options));
}

function renderComparison(file: string, comparison: MappingComparison): string {
  const total = comparison.covered.length + comparison.notCovered.length;
  const row = (status: MappingComparison['covered'][number]) => {
    const score = [status.category, status.value].filter(Boolean).join(' ');
    const renamed = status.nameInFile === undefined ? '' : ` (file: "${status.nameInFile}")`;
    return `  ${status.techniqueId} ${status.name}${renamed}${score ? ` [${score}]` : ''}`;
  };
  const lines = [
    `${file}: the running setup covers ${comparison.covered.length} of ${total} rows` +
      (comparison.skipped > 0 ? ` (${comparison.skipped} rows without a technique skipped)` : ''),
    '',
    'Not covered:',
    ...(comparison.notCovered.length === 0 ? ['  (none)'] : comparison.notCovered.map(row)),
    '',
    'Covered:',
    ...(comparison.covered.length === 0
      ? ['  (none)']
      : comparison.covered.map(
          (status) => `${row(status)}\n    by ${status.coveredBy.join(', ')}`,
        )),
  ];
  return `${lines.join('\n')}\n`;
}

function renderDetections(found: readonly Detection[], since: number, until: number): string {
  const header = `Techniques detected from ${iso(since)} to ${iso(until)}: ${found.length}`;
  const lines = found.map(
    (entry) =>
      `  ${entry.techniqueId}  ${entry.count} times, last ${iso(entry.lastSeen)}\n    by ${entry.sources.join(', ')}`,
  );
  return `${[header, ...lines].join('\n')}\n`;
}

async function writeLayer(file: string, layer: object): Promise<void> {
  const problems = validateLayer(layer);
  if (problems.length > 0) {
    // A built layer that fails the schema is a bug in Warden, not in the user's input.
    throw new Error(`Built an invalid layer: ${problems.map((p) => `${p.path}: ${p.message}`)}`);
  }
  await writeFile(file, `${JSON.stringify(layer, null, 2)}\n`);
}

async function writeOut(file: string | undefined, text: string): Promise<string> {
  if (file === undefined) return text;
  await writeFile(file, text);
  return '';
}

async function client(values: Values, io: AttackCommandIo): Promise<WardenApiClient> {
  const location = {
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
  };
  return new WardenApiClient(await connectToWarden(location, io.env));
}

function domainOf(raw: string | undefined): AttackDomain {
  if (raw === undefined || raw === 'enterprise' || raw === 'ics') return raw ?? 'enterprise';
  throw new AttackCommandError(
    `Invalid value "${raw}" for "--domain": must be enterprise or ics`,
    2,
  );
}

/** Parses `30s`, `15m`, `24h` or `7d` into milliseconds. */
export function durationMs(raw: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(raw);
  if (match === null || Number(match[1]) === 0) {
    throw new AttackCommandError(
      `Invalid value "${raw}" for "--since": must be a positive number followed by s, m, h or d, e.g. 7d`,
      2,
    );
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

function noArguments(rest: string[]): void {
  if (rest.length > 0) throw new AttackCommandError(`Unexpected argument "${rest[0]}"`, 2);
}

function knownFailure(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof AttackCommandError) return error;
  if (error instanceof ConnectionError) return { message: error.message, exitCode: 2 };
  if (error instanceof WardenApiError) {
    return { message: error.message, exitCode: error.status === 0 ? 2 : 1 };
  }
  return undefined;
}

function now(io: AttackCommandIo): number {
  return io.now?.() ?? Date.now();
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
