/**
 * Benchmark of the certificate key-quality analysis on synthetic fleets (see planted-fleet.ts).
 * It reports the time per certificate of the DER reading and of every per-certificate check, and
 * the time of the batch gcd over all RSA moduli plus the small-prime product. It runs the same
 * batch gcd in C with GMP (batchgcd-gmp.c, compiled here with gcc -O2 -lgmp) on the same moduli.
 *
 * Run: npm run bench:audit -- [--sizes=10000,100000] [--weak-share=0.01] [--workers=N]
 *      [--no-gmp] [--end-to-end-max=10000] [--repeat=1]
 * Needs gcc and libgmp-dev (Debian: apt-get install gcc libgmp-dev) unless --no-gmp.
 * Writes the figures to bench/audit/results/latest.json.
 */

import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

import { deviceCertificateKeyQualityCheck } from '../../src/audit/checks/device-certificate-key-quality.ts';
import type { FleetSnapshot } from '../../src/audit/fleet-snapshot.ts';
import { batchGcd } from '../../src/audit/key-quality/batch-gcd-parallel.ts';
import { loadBlocklists } from '../../src/audit/key-quality/blocklist.ts';
import {
  readCertificateKey,
  type CertificateKey,
} from '../../src/audit/key-quality/certificate-key.ts';
import { PER_KEY_CHECKS } from '../../src/audit/key-quality/key-analyzer.ts';
import { primorialChunks } from '../../src/audit/key-quality/small-factor.ts';
import {
  buildPlantedFleet,
  PLANTED_GROUPS,
  type BenchCertificate,
  type PlantedFleet,
} from './planted-fleet.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Options {
  sizes: number[];
  weakShare: number;
  workers: number;
  gmp: boolean;
  endToEndMax: number;
  repeat: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    sizes: [10_000, 100_000],
    weakShare: 0.01,
    workers: availableParallelism(),
    gmp: true,
    endToEndMax: 10_000,
    repeat: 1,
  };
  for (const argument of argv) {
    const [name, value = ''] = argument.split('=', 2);
    if (name === '--sizes') options.sizes = value.split(',').map((size) => positive(name, size));
    else if (name === '--weak-share') options.weakShare = Number(value);
    else if (name === '--workers') options.workers = positive(name, value);
    else if (name === '--no-gmp') options.gmp = false;
    else if (name === '--end-to-end-max') options.endToEndMax = positive(name, value);
    else if (name === '--repeat') options.repeat = positive(name, value);
    else
      throw new Error(
        `Unknown option "${argument}": expected --sizes, --weak-share, --workers, --no-gmp, --end-to-end-max or --repeat`,
      );
  }
  if (!(options.weakShare >= 0 && options.weakShare < 1))
    throw new Error(`Invalid --weak-share "${options.weakShare}": must be 0 to under 1`);
  return options;
}

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`Invalid ${name} "${value}": must be a positive integer`);
  return number;
}

function time<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

async function timeAsync<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

interface SizeResult {
  certificates: number;
  rsaModuli: number;
  planted: Record<string, number>;
  generationMs: number;
  perCertificateUs: Record<string, number>;
  perCertificateTotalUs: number;
  perCertificateTotalMs: number;
  detected: Record<string, number>;
  batchGcd: {
    leaves: number;
    wardenMs: number;
    wardenRunsMs: number[];
    gmpRunsMs?: number[];
    workers: number;
    nonTrivial: number;
    gmp?: Record<string, number>;
    ratio?: number;
  };
  endToEnd?: { ms: number; findings: number; byCode: Record<string, number> };
}

async function benchmarkSize(
  size: number,
  options: Options,
  gmpBinary: string | undefined,
  folder: string,
): Promise<SizeResult> {
  const generation = time(() => buildPlantedFleet(size, options.weakShare));
  const fleet = generation.result;
  const blocklistPaths = writeBlocklists(fleet, folder);
  const blocklist = loadBlocklists(blocklistPaths);
  log(
    `${size}: generated ${fleet.certificates.length} certificates in ${generation.ms.toFixed(0)} ms`,
  );

  const reading = time(() =>
    fleet.certificates.map((certificate) => readCertificateKey(certificate.pem)),
  );
  const keys = reading.result;
  const perCertificateUs: Record<string, number> = { 'read-der': (reading.ms * 1000) / size };
  const detected: Record<string, number> = {};
  for (const check of PER_KEY_CHECKS) {
    const run = time(() => keys.map((key) => check.run(key, { blocklist })));
    perCertificateUs[check.name] = (run.ms * 1000) / size;
    for (const finding of run.result)
      if (finding !== undefined) detected[finding.code] = (detected[finding.code] ?? 0) + 1;
  }
  const perCertificateTotalUs = Object.values(perCertificateUs).reduce((sum, us) => sum + us, 0);
  log(
    `${size}: per-certificate checks ${((perCertificateTotalUs * size) / 1e6).toFixed(1)} s in all`,
  );

  const batch = await benchmarkBatchGcd(keys, options, gmpBinary, folder);
  const result: SizeResult = {
    certificates: size,
    rsaModuli: batch.leaves - primorialChunks().length,
    planted: fleet.planted,
    generationMs: generation.ms,
    perCertificateUs,
    perCertificateTotalUs,
    perCertificateTotalMs: (perCertificateTotalUs * size) / 1000,
    detected,
    batchGcd: batch,
  };
  if (size <= options.endToEndMax)
    result.endToEnd = await endToEnd(fleet.certificates, blocklistPaths);
  return result;
}

function writeBlocklists(fleet: PlantedFleet, folder: string): string[] {
  const warden = join(folder, 'warden.list');
  const debian = join(folder, 'blacklist.RSA-2048');
  writeFileSync(warden, fleet.wardenBlocklist);
  writeFileSync(debian, fleet.debianBlocklist);
  return [warden, debian];
}

/**
 * Times Warden's and GMP's batch gcd on the same leaves, alternating `repeat` times, and keeps
 * the fastest run of each: other processes on a shared machine only ever add time.
 */
async function benchmarkBatchGcd(
  keys: readonly CertificateKey[],
  options: Options,
  gmpBinary: string | undefined,
  folder: string,
) {
  const moduli = [
    ...new Set(keys.flatMap((key) => (key.rsa === undefined ? [] : [key.rsa.modulus]))),
  ];
  const leaves = [...moduli, ...primorialChunks()];
  const input = join(folder, 'moduli.hex');
  if (gmpBinary !== undefined) {
    writeFileSync(input, `${leaves.map((leaf) => leaf.toString(16)).join('\n')}\n`);
  }

  const wardenRuns: number[] = [];
  const gmpRuns: Array<Record<string, number>> = [];
  let nonTrivial = 0;
  for (let round = 0; round < options.repeat; round += 1) {
    const warden = await timeAsync(() => batchGcd(leaves, { workers: options.workers }));
    nonTrivial = warden.result.filter((divisor) => divisor !== 1n).length;
    wardenRuns.push(warden.ms);
    log(
      `${leaves.length} leaves: Warden batch gcd ${(warden.ms / 1000).toFixed(1)} s, ${nonTrivial} non-trivial gcds`,
    );
    if (gmpBinary === undefined) continue;

    const gmp = JSON.parse(
      execFileSync(gmpBinary, [input], { encoding: 'utf8', maxBuffer: 1 << 20 }),
    ) as Record<string, number>;
    if (gmp.flagged !== nonTrivial) {
      throw new Error(`GMP found ${gmp.flagged} non-trivial gcds where Warden found ${nonTrivial}`);
    }
    gmpRuns.push(gmp);
    log(`GMP batch gcd ${((gmp.totalMs ?? 0) / 1000).toFixed(1)} s`);
  }

  const batch: SizeResult['batchGcd'] = {
    leaves: leaves.length,
    wardenMs: Math.min(...wardenRuns),
    wardenRunsMs: wardenRuns,
    workers: options.workers,
    nonTrivial,
  };
  if (gmpRuns.length > 0) {
    const fastest = gmpRuns.reduce((best, run) =>
      (run.totalMs ?? Infinity) < (best.totalMs ?? Infinity) ? run : best,
    );
    batch.gmp = fastest;
    batch.gmpRunsMs = gmpRuns.map((run) => run.totalMs ?? 0);
    batch.ratio = batch.wardenMs / (fastest.totalMs ?? Infinity);
    log(`fastest runs: Warden / GMP = ${batch.ratio.toFixed(2)}`);
  }
  return batch;
}

async function endToEnd(
  certificates: readonly BenchCertificate[],
  blocklistPaths: readonly string[],
) {
  const fleet = snapshot(certificates);
  const run = await timeAsync(async () =>
    deviceCertificateKeyQualityCheck.run({
      fleet,
      now: Date.now(),
      configuration: { KEY_BLOCKLIST_FILES: blocklistPaths.join(',') },
    }),
  );
  const byCode: Record<string, number> = {};
  for (const item of run.result.nonCompliant)
    byCode[item.reasonForNonComplianceCode] = (byCode[item.reasonForNonComplianceCode] ?? 0) + 1;
  log(`end to end: ${run.result.nonCompliant.length} findings in ${(run.ms / 1000).toFixed(1)} s`);
  return { ms: run.ms, findings: run.result.nonCompliant.length, byCode };
}

function snapshot(certificates: readonly BenchCertificate[]): FleetSnapshot {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    certificates: certificates.map((certificate) => ({
      certificateId: certificate.certificateId,
      pem: certificate.pem,
      status: 'ACTIVE',
      mode: 'DEFAULT',
      createdAt: 0,
      lastModifiedAt: 0,
      customerVersion: 1,
      generationId: 'bench',
      notBefore: 0,
      notAfter: 0,
    })),
    caCertificates: [],
    policies: [],
    policyTargets: {},
    roleAliases: [],
    roles: [],
    identityPools: [],
    crls: [],
    logging: undefined,
    connections: [],
    window: { since: 0, until: 0 },
  };
}

function compileGmp(folder: string): string {
  const binary = join(folder, 'batchgcd-gmp');
  execFileSync('gcc', ['-O2', '-o', binary, join(HERE, 'batchgcd-gmp.c'), '-lgmp'], {
    stdio: 'inherit',
  });
  return binary;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const folder = mkdtempSync(join(tmpdir(), 'warden-bench-audit-'));
  try {
    const gmpBinary = options.gmp ? compileGmp(folder) : undefined;
    const results: SizeResult[] = [];
    for (const size of options.sizes)
      results.push(await benchmarkSize(size, options, gmpBinary, folder));

    const report = {
      date: new Date().toISOString(),
      command: `npm run bench:audit -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: availableParallelism(),
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      expectedCodes: PLANTED_GROUPS,
      results,
      growth: growth(results),
    };
    const output = join(HERE, 'results', 'latest.json');
    mkdirSync(dirname(output), { recursive: true });
    // Formatted like the rest of the repository, so that `prettier --check .` passes.
    const style = (await resolveConfig(output)) ?? {};
    writeFileSync(output, await format(JSON.stringify(report), { ...style, parser: 'json' }));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Computes how times grow between consecutive sizes, as exponents (1 is linear). */
function growth(results: readonly SizeResult[]): Array<Record<string, number>> {
  const rows: Array<Record<string, number>> = [];
  for (let i = 1; i < results.length; i += 1) {
    const [small, large] = [results[i - 1] as SizeResult, results[i] as SizeResult];
    const scale = Math.log(large.certificates / small.certificates);
    rows.push({
      from: small.certificates,
      to: large.certificates,
      perCertificateChecksExponent:
        Math.log(large.perCertificateTotalMs / small.perCertificateTotalMs) / scale,
      wardenBatchGcdExponent: Math.log(large.batchGcd.wardenMs / small.batchGcd.wardenMs) / scale,
      ...(large.batchGcd.gmp && small.batchGcd.gmp
        ? {
            gmpBatchGcdExponent:
              Math.log((large.batchGcd.gmp.totalMs ?? 1) / (small.batchGcd.gmp.totalMs ?? 1)) /
              scale,
          }
        : {}),
    });
  }
  return rows;
}

await main();
